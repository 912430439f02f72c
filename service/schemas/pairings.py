"""Pairings (结对共建), their exchanges, and follow-ups (后续通知)."""

from marshmallow import Schema, fields, validate

from .common import DateText, Day, Month, MonthText, Out, Text
from .consequences import ShortfallOut


class PairingIn(Schema):
    advanced_village_id = fields.UUID(required=True)
    lagging_village_id = fields.UUID(required=True)
    from_month = Month(required=True)


class ExchangeOut(Out):
    date = DateText()
    mode = fields.String(metadata={"description": "offline or online"})
    summary = fields.String()


class PairingOut(Out):
    id = fields.UUID()
    town_id = fields.UUID()
    advanced_village_id = fields.UUID()
    lagging_village_id = fields.UUID()
    from_month = MonthText()
    dissolved_on = DateText(allow_none=True, metadata={"description": "the first day without the pairing"})
    exchanges = fields.List(fields.Nested(ExchangeOut))
    shortfalls = fields.Dict(keys=fields.String(), values=fields.Nested(ShortfallOut),
                             metadata={"description": "closed month -> its shortfall (R12)"})


class ExchangeIn(Schema):
    date = Day(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(("offline", "online")))
    summary = Text(required=True, max=5000)


class DissolveIn(Schema):
    reason = Text(required=True, max=1000)
    effective_from = Month(load_default=None, metadata={"description": "the first month without the pairing; this month by default"})


class ComplianceOut(Out):
    pairing_id = fields.UUID()
    advanced_village_id = fields.UUID()
    lagging_village_id = fields.UUID()
    offline = fields.Integer()
    required = fields.Integer()
    compliant = fields.Boolean()


class FollowUpQuery(Schema):
    town_id = fields.UUID(required=True)
    status = fields.String(validate=validate.OneOf(("pending", "delivered", "failed")))


class FollowUpOut(Out):
    id = fields.UUID()
    kind = fields.String()
    subject = fields.String()
    recipient = fields.String()
    recipient_account_id = fields.UUID(allow_none=True, metadata={"description": "the recipient's own account, when one exists"})
    status = fields.String(metadata={"description": "pending, delivered or failed"})
    attempts = fields.Integer()
