"""JSON out with scores as exact numbers: Decimals are written as JSON numbers, never via float."""

from datetime import date, datetime
from uuid import UUID

import simplejson
from flask.json.provider import JSONProvider


def fallback(value):
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class DecimalJSON(JSONProvider):
    def dumps(self, obj, **kwargs) -> str:
        return simplejson.dumps(obj, use_decimal=True, default=fallback, ensure_ascii=False, **kwargs)

    def loads(self, s, **kwargs):
        return simplejson.loads(s, use_decimal=True, **kwargs)
