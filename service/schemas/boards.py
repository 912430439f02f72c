"""Duty lists (职责清单) and the boards: a month, a quarter, the annual assessment."""

from marshmallow import Schema, fields, validate

from .common import IdsByTrack, MonthText, Out, Score, Text, Track


class DutyItemIn(Schema):
    item = Text(required=True, max=200)
    score = Score(required=True, validate=validate.Range(min=0, max=100000))
    max = Score(required=True, validate=validate.Range(min=0, min_inclusive=False, max=100000))


class DutyIn(Schema):
    items = fields.List(fields.Nested(DutyItemIn), required=True, validate=validate.Length(min=1, max=200))


class DutyItemOut(Out):
    item = fields.String()
    score = fields.Decimal()
    max = fields.Decimal()


class DutyOut(Out):
    village_id = fields.UUID()
    month = MonthText()
    total = fields.Decimal(metadata={"description": "scaled to 0-100"})
    revision = fields.Integer()
    items = fields.List(fields.Nested(DutyItemOut))


class DutyImportOut(Out):
    town_id = fields.UUID()
    month = MonthText()
    recorded = fields.List(fields.Nested(DutyOut), metadata={"description": "every village's list, new or revised"})


class BoardQuery(Schema):
    track = Track()


class RowOut(Out):
    village_id = fields.UUID()
    code = fields.String()
    name = fields.String()
    track = fields.String()
    rank = fields.Integer()


class MonthRowOut(RowOut):
    duty = fields.Decimal()
    contest = fields.Decimal(allow_none=True)
    composite = fields.Decimal()
    contest_rank = fields.Integer(allow_none=True)
    previous_rank = fields.Integer(allow_none=True)
    previous_contest_rank = fields.Integer(allow_none=True)
    improved = fields.Boolean()
    flags = fields.List(fields.String())


class ChangeOut(Out):
    """A village whose composite today differs from the one recorded when the month closed."""

    village_id = fields.UUID()
    recorded = fields.Decimal(allow_none=True)
    live = fields.Decimal(allow_none=True)


class PeriodOut(Out):
    town_id = fields.UUID()
    period = fields.String()
    status = fields.String(metadata={"description": "provisional or closed"})
    revision = fields.Integer()
    rulebook_version = fields.Integer()
    top = IdsByTrack()
    bottom = IdsByTrack()


class BoardOut(PeriodOut):
    """A month's board."""

    period = MonthText()
    basis = fields.String(metadata={"description": "the ranking the monthly top, bottom and improved are taken on (R9)"})
    tracks = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(MonthRowOut)))
    improved = IdsByTrack()
    stale = fields.Boolean(metadata={"description": "a closed month whose composites changed since (see changes)"})
    changes = fields.List(fields.Nested(ChangeOut))


class QuarterRowOut(RowOut):
    score = fields.Decimal(metadata={"description": "the mean composite of the closed months"})
    months = fields.Integer()


class QuarterlyBoardOut(PeriodOut):
    basis = fields.String(metadata={"description": "always composite: quarters rank by composite (R9)"})
    tracks = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(QuarterRowOut)))
    improved = IdsByTrack(metadata={"description": "always empty lists: notable improvement is judged monthly (R7)"})


class YearRowOut(QuarterRowOut):
    grade = fields.String(metadata={"description": "excellent, good or poor (优秀, 良好, 较差)"})


class LabelsOut(Out):
    grades = fields.Dict(keys=fields.String(), values=fields.String())
    tracks = fields.Dict(keys=fields.String(), values=fields.String())


class AssessmentOut(PeriodOut):
    year = fields.String()
    tracks = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(YearRowOut)))
    awards = IdsByTrack(dump_default=dict)
    labels = fields.Nested(LabelsOut)
