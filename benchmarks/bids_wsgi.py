"""The WSGI application for the deadline rush: the project's, with the benchmark's tender keys.

Until tender keys are generated at publication (`tenders.TenderKey`), the
benchmark hands gunicorn the public keys it made, through BENCH_TENDER_KEYS
(JSON: kind -> base64). Only this benchmark loads this module.
"""

import base64
import json
import os

import bidding.keys
from config.wsgi import application

_KEYS = json.loads(os.environ.get("BENCH_TENDER_KEYS", "{}"))
if _KEYS:
    bidding.keys.tender_public_key = lambda tender, kind: base64.b64decode(_KEYS[kind])

__all__ = ["application"]
