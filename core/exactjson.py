"""JSON whose decimal numbers are written exactly: a `Decimal` becomes a JSON number.

The standard library writes a Decimal only as a string, or through a binary
float that cannot hold every amount (a float has 15 to 17 significant digits;
an amount has up to 20). OCDS wants amounts as JSON numbers, so its releases
are stored (`tenders.models.Release.data`) and served (`core.api.ExactJSONRenderer`)
through simplejson, which writes `Decimal("60000000000.50")` as
`60000000000.50`, and read back with every non-integer number as a Decimal.
"""

import json
from decimal import Decimal

import simplejson


class ExactJSONEncoder(json.JSONEncoder):
    """The standard encoder's interface (Django's JSONField, DRF), writing Decimals exactly."""

    def encode(self, o):
        return simplejson.dumps(
            o,
            use_decimal=True,
            ensure_ascii=self.ensure_ascii,
            allow_nan=False,
            sort_keys=self.sort_keys,
            indent=self.indent,
            separators=(self.item_separator, self.key_separator),
            default=self.default,
        )

    def iterencode(self, o, _one_shot=False):
        yield self.encode(o)


class ExactJSONDecoder(json.JSONDecoder):
    """Reads every number with a fraction or an exponent as a Decimal (integers stay int)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parse_float", Decimal)
        super().__init__(*args, **kwargs)
