"""Interviews (约谈), sharing invitations (经验分享), and what closing a month would record."""

from marshmallow import Schema, fields, validate

from .common import DateText, Day, Out, Plain, Text
from .boards import BoardOut

LEVELS = ("monthly", "quarterly", "annual")


class InterviewQuery(Schema):
    town_id = fields.UUID(required=True)
    level = fields.String(validate=validate.OneOf(LEVELS))
    status = fields.String(validate=validate.OneOf(("required", "scheduled", "held", "waived", "withdrawn")))


class InterviewOut(Out):
    optional = ("overdue",)
    id = fields.UUID()
    village_id = fields.UUID()
    secretary = fields.String(metadata={"description": "the secretary in office on the period's last day"})
    level = fields.String(metadata={"description": "monthly, quarterly or annual"})
    period = fields.String()
    conductor = fields.String()
    status = fields.String(metadata={"description": "required, scheduled, held, waived or withdrawn"})
    rank = fields.Integer()
    score = fields.Decimal(allow_none=True)
    track = fields.String()
    overdue = fields.Boolean(metadata={"description": "in the list: still not held after the rulebook's overdue_days"})
    pledge = fields.String(allow_none=True, dump_default=None)


class ScheduleIn(Schema):
    at = fields.AwareDateTime(required=True)


class HoldIn(Schema):
    held_at = fields.AwareDateTime(required=True)
    minutes = Text(required=True, max=20000)
    pledge = Text(load_default=None, max=20000,
                  metadata={"description": "the pledge made at the town-wide meeting (表态发言): required for an annual one"})


class SharingHeldIn(Schema):
    date = Day(required=True)
    summary = Text(required=True, max=20000)


class SharingQuery(Schema):
    town_id = fields.UUID(required=True)
    period = Plain(validate=validate.Length(max=10))


class SharingOut(Out):
    id = fields.UUID()
    village_id = fields.UUID()
    period = fields.String()
    reason = fields.String(metadata={"description": "top or improved"})
    status = fields.String(metadata={"description": "invited, delivered, held or withdrawn"})
    held_on = DateText(allow_none=True, dump_default=None)
    summary = fields.String(allow_none=True, dump_default=None)


# What closing a month would record now (close-preview)

class BlockerOut(Out):
    kind = fields.String()
    message = fields.String()
    villages = fields.List(fields.String(), metadata={"description": "village codes"})
    contests = fields.List(fields.UUID())
    appeals = fields.List(fields.UUID())


class PreviewItemOut(Out):
    id = fields.UUID()
    village_id = fields.UUID()
    period = fields.String()


class PreviewInterviewOut(PreviewItemOut):
    level = fields.String()
    secretary = fields.String()
    conductor = fields.String()
    rank = fields.Integer()
    score = fields.Decimal()


class PreviewSharingOut(PreviewItemOut):
    reason = fields.String()


class PreviewWithdrawalOut(PreviewItemOut):
    kind = fields.String(metadata={"description": "interview or sharing"})


class ShortfallOut(Out):
    """R12: a month with fewer offline exchanges than the rulebook requires."""

    offline = fields.Integer()
    required = fields.Integer()


class PreviewShortfallOut(ShortfallOut):
    pairing_id = fields.UUID()


class ConsequencesOut(Out):
    interviews = fields.List(fields.Nested(PreviewInterviewOut))
    sharings = fields.List(fields.Nested(PreviewSharingOut))
    withdrawn = fields.List(fields.Nested(PreviewWithdrawalOut))
    shortfalls = fields.List(fields.Nested(PreviewShortfallOut))


class ClosePreviewOut(Out):
    period = fields.String()
    can_close = fields.Boolean()
    blockers = fields.List(fields.Nested(BlockerOut))
    board = fields.Nested(BoardOut)
    consequences = fields.Nested(ConsequencesOut)
