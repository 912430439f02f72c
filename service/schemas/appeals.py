"""Appeals (申诉) on a contest's published result."""

from marshmallow import Schema, fields, validate

from .common import Out, Text


class AppealIn(Schema):
    village_id = fields.UUID(required=True)
    reason = Text(required=True, max=5000)


class ResolveIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(("upheld", "rejected")))
    reason = Text(required=True, max=5000)


class AppealOut(Out):
    id = fields.UUID()
    contest_id = fields.UUID()
    village_id = fields.UUID()
    reason = fields.String()
    status = fields.String(metadata={"description": "open, upheld or rejected"})
    lodged_by = fields.UUID()
    lodged_at = fields.AwareDateTime()
    outcome_reason = fields.String(allow_none=True)
    resolved_by = fields.UUID(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)
