"""The event log, every entity's history, and the audit hash chain."""

from marshmallow import Schema, ValidationError, fields, validate

from projections.chain import parse_digest

from .common import InstantText, MaybeNested, Out


class EventOut(Out):
    position = fields.Integer()
    entity_id = fields.UUID()
    version = fields.Integer()
    type = fields.String()
    at = InstantText()
    actor = fields.UUID(allow_none=True)
    data = fields.Dict(metadata={"description": "the event's own fields, which differ by `type`"})


class MarkedOut(Out):
    marks = fields.Dict(keys=fields.String(), values=fields.Decimal(), metadata={"description": "criterion key -> mark"})
    total = fields.Decimal()


class SheetVersionOut(Out):
    version = fields.Integer()
    position = fields.Integer()
    type = fields.String()
    at = InstantText()
    actor = fields.UUID(allow_none=True)
    reason = fields.String(allow_none=True)
    before = MaybeNested(MarkedOut)
    after = fields.Nested(MarkedOut)


class SheetHistoryOut(Out):
    sheet_id = fields.UUID()
    judge_id = fields.UUID()
    village_id = fields.UUID()
    versions = fields.List(fields.Nested(SheetVersionOut))


class ContestHistoryOut(Out):
    contest_id = fields.UUID()
    events = fields.List(fields.Nested(EventOut))
    sheets = fields.List(fields.Nested(SheetHistoryOut))


class FeedQuery(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**63 - 1))  # a BIGINT position
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


class FeedOut(Out):
    events = fields.List(fields.Nested(EventOut))
    next = fields.Integer()


class Digest(fields.String):
    """A digest kept outside the system, written POSITION:HASH."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_digest(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as error:
            raise ValidationError(str(error)) from error


class DigestOut(Out):
    position = fields.Integer()
    hash = fields.String()


class VerifyQuery(Schema):
    against = Digest(metadata={"description": "POSITION:HASH of an earlier digest"})


class VerifyOut(Out):
    ok = fields.Boolean()
    checked = fields.Integer()
    first_bad_position = fields.Integer(allow_none=True)
