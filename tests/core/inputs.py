"""Every input the platform takes: the fields of its forms, filters and API request bodies.

The walking tests (test_request_edges, test_dates_out_of_range) compare what they
cover with what is found here, so a new form, filter or endpoint is walked too.
"""

import importlib
import inspect
import pkgutil
from functools import cache

import django_filters
from django import forms

APPS = ("core", "accounts", "audit", "suppliers", "tenders")


@cache
def _modules() -> list:
    found = []
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            found.append(importlib.import_module(info.name))
    return found


def _classes(base) -> list:
    found = {}
    for module in _modules():
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, base) and obj.__module__ == module.__name__:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return sorted(found.items())


def form_fields() -> list[tuple[str, forms.Field]]:
    """(`module.Form.field`, field) of every form class of the platform."""
    fields = []
    for name, form in _classes(forms.BaseForm):
        for field_name, field in getattr(form, "base_fields", {}).items():
            fields.append((f"{name}.{field_name}", field))
    return fields


def filter_fields() -> list[tuple[str, forms.Field]]:
    """(`module.FilterSet.filter`, form field) of every django-filter FilterSet."""
    fields = []
    for name, filterset in _classes(django_filters.FilterSet):
        for filter_name, filter_ in filterset.base_filters.items():
            fields.append((f"{name}.{filter_name}", filter_.field))
    return fields


@cache
def api_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict) -> dict:
    components = api_schema()["components"]["schemas"]
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _properties(schema: dict, prefix: str):
    schema = _resolve(schema)
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            yield from _properties(part, prefix)
    if schema.get("type") == "array" and "items" in schema:
        yield from _properties(schema["items"], f"{prefix}[].")
    for name, value in schema.get("properties", {}).items():
        value = _resolve(value)
        if value.get("readOnly"):
            continue
        yield f"{prefix}{name}", value
        if value.get("type") in {"object", "array"}:
            yield from _properties(value, f"{prefix}{name}.")


def request_body_fields() -> list[tuple[str, str, dict]]:
    """(operationId, field, schema) of every writable field of every request body."""
    found = set()
    rows = []
    for path_item in api_schema()["paths"].values():
        for method, operation in path_item.items():
            if method not in {"post", "put", "patch", "delete"}:
                continue
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for name, schema in _properties(content["schema"], ""):
                    name = name.replace(".[]", "[]").replace("[].", "[].")
                    key = (operation["operationId"], name)
                    if key not in found:
                        found.add(key)
                        rows.append((*key, schema))
    return rows


def query_parameters() -> list[tuple[str, str, dict]]:
    """(operationId, parameter, schema) of every query parameter."""
    rows = []
    for path_item in api_schema()["paths"].values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    rows.append((operation["operationId"], parameter["name"], parameter["schema"]))
    return rows
