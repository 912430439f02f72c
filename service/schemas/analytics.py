"""Judge analytics (评委分析): severity, the corridor and the panel's agreement."""

from marshmallow import fields

from .common import Out


class OutsideMarkOut(Out):
    village_id = fields.UUID()
    total = fields.Decimal()
    others_mean = fields.Decimal()


class JudgeAnalyticsOut(Out):
    judge_id = fields.UUID()
    severity = fields.Decimal(allow_none=True)
    outside_corridor = fields.List(fields.Nested(OutsideMarkOut))


class AnalyticsOut(Out):
    contest_id = fields.UUID()
    kendall_w = fields.Decimal(allow_none=True)
    judges = fields.List(fields.Nested(JudgeAnalyticsOut))
