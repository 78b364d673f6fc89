"""The API's documentation page (kept apart from core.api, which DRF's settings import)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the local sidecar files, within the site's CSP.

    The split view serves Swagger UI's start-up script as a file (no inline
    script), and our template moves the page's inline style into a static file.
    """

    template_name = "core/api/swagger_ui.html"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Document the personal API tokens (`Authorization: Bearer pnj_…`) in the schema."""

    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (pnj_…), created under “My account”.",
        }
