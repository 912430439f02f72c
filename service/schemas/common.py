"""The field types every resource shares, the base of response bodies, and the error body."""

import re

from marshmallow import Schema, ValidationError, fields, validate

from domain.periods import is_month
from domain.village import TRACKS

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# ECMA-262 patterns, as the document shows them; the fields check with domain.periods.
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
QUARTER = r"^\d{4}-Q[1-4]$"
YEAR = r"^\d{4}$"


def with_metadata(kw: dict, **more) -> dict:
    """A field's keyword arguments with more for its documentation; the caller's own metadata wins."""
    return {**kw, "metadata": {**more, **kw.get("metadata", {})}}


class Out(Schema):
    """A response body: every field is always there (so the document marks it required) unless named in `optional`."""

    optional: tuple[str, ...] = ()

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = field_name not in self.optional


# Requests

class Plain(fields.String):
    """Text without control characters (tab and line breaks allowed) or lone surrogates: PostgreSQL
    cannot keep a NUL in a text column, nor UTF-8 a lone surrogate."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if CONTROL.search(text):
            raise ValidationError("Remove the control characters.")
        return text


def Text(max=200, **kw):  # noqa: N802 - a field, named like one
    return Plain(validate=validate.Length(min=1, max=max), **kw)


def Score(**kw):  # noqa: N802
    return fields.Decimal(allow_nan=False, **kw)


def Track(**kw):  # noqa: N802
    return fields.String(validate=validate.OneOf(TRACKS), **kw)


class Month(fields.String):
    """A month as "YYYY-MM"."""

    def __init__(self, **kw):
        super().__init__(**with_metadata(kw, pattern=MONTH))

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_month(text):
            raise ValidationError("Give a month as YYYY-MM (2000-01 or later).")
        return text


class Day(fields.Date):
    """A date as "YYYY-MM-DD", from 2000-01-01 like the months."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs).isoformat()
        if day < "2000-01-01":
            raise ValidationError("Give a date from 2000-01-01 on.")
        return day


def Marks(**kw):  # noqa: N802
    return fields.Dict(keys=Plain(validate=validate.Length(max=40)), values=Score(),
                       **with_metadata(kw, description="criterion key -> mark"))


class ReasonIn(Schema):
    reason = Text(required=True, max=1000)


class Empty(Schema):
    pass


# Responses: what the server holds as text is written as text, with the format it has.

def MonthText(**kw):  # noqa: N802
    return fields.String(**with_metadata(kw, pattern=MONTH))


def DateText(**kw):  # noqa: N802
    return fields.String(**with_metadata(kw, format="date"))


def InstantText(**kw):  # noqa: N802
    return fields.String(**with_metadata(kw, format="date-time"))


def Ids(**kw):  # noqa: N802
    return fields.List(fields.UUID(), **kw)


def IdsByTrack(**kw):  # noqa: N802
    return fields.Dict(keys=fields.String(), values=Ids(), **with_metadata(kw, description="track -> village ids"))


def MaybeNested(schema, **kw):  # noqa: N802
    """A nested object or null, written as OpenAPI 3.0's `nullable` over `allOf`, which client generators type."""
    return fields.Nested(schema, **with_metadata(kw, nullable=True))


class ErrorOut(Out):
    """Every refusal: 401, 403, 404, 409, 422 (and any other 4xx)."""

    optional = ("errors",)
    code = fields.Integer(metadata={"description": "the HTTP status"})
    status = fields.String(metadata={"description": "its reason phrase"})
    message = fields.String(metadata={"description": "a sentence; for a 409, the rule that refused it"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "the fields at fault and their messages; for a 409, what is in the way (village codes, contest or appeal ids)"})
