"""Contests (擂台比武): their terms and stages, the panel's sheets, and published results."""

import re

from marshmallow import Schema, ValidationError, fields, validate

from domain.contest import DOMAINS, FORMS

from .common import Ids, Marks, Month, MonthText, Out, Plain, Score, Text, Track

CRITERION_KEY = r"^[A-Za-z0-9_-]{1,40}$"


def criterion_key(key: str) -> None:
    """The whole key, to its end: Python's `$` would also let a final line break through."""
    if not re.fullmatch(CRITERION_KEY[1:-1], key, re.ASCII):
        raise ValidationError("Use 1 to 40 letters, digits, _ or -.")


class CriterionIn(Schema):
    key = fields.String(required=True, validate=criterion_key, metadata={"pattern": CRITERION_KEY})
    label = Text(required=True, max=100)
    max = Score(required=True, validate=validate.Range(min=0, min_inclusive=False, max=1000))


class ContestIn(Schema):
    town_id = fields.UUID(required=True)
    month = Month(required=True)
    theme = Text(required=True, max=200)
    domain = fields.String(required=True, validate=validate.OneOf(DOMAINS))
    form = fields.String(required=True, validate=validate.OneOf(FORMS))
    venue = Plain(load_default="", validate=validate.Length(max=200))
    tracks = fields.List(Track(), required=True, validate=validate.Length(min=1, max=3))
    judges = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=50))
    criteria = fields.List(fields.Nested(CriterionIn), required=True, validate=validate.Length(min=1, max=30))
    participants = fields.List(fields.UUID(), load_default=None, validate=validate.Length(min=1, max=2000))


class ContestQuery(Schema):
    town_id = fields.UUID(required=True)
    month = Month()


class CriterionOut(Out):
    key = fields.String()
    label = fields.String()
    max = fields.Decimal()


class CommentaryOut(Out):
    """书记点评: the commentary given on a village's presentation."""

    village_id = fields.UUID()
    text = fields.String()
    by = fields.UUID()


class AbsenceOut(Out):
    excused = fields.Boolean()
    reason = fields.String()


class ContestOut(Out):
    id = fields.UUID()
    town_id = fields.UUID()
    month = MonthText()
    theme = fields.String()
    domain = fields.String()
    form = fields.String()
    venue = fields.String()
    tracks = fields.List(fields.String())
    judges = Ids()
    criteria = fields.List(fields.Nested(CriterionOut))
    participants = Ids()
    recusals = fields.Dict(keys=fields.String(), values=fields.UUID(),
                           metadata={"description": "judge id -> the village that judge comes from and may not score (回避)"})
    stage = fields.String(metadata={"description": "scheduled, observation, presentation, commentary, evaluation, "
                                                   "published or cancelled"})
    revision = fields.Integer()
    commentaries = fields.List(fields.Nested(CommentaryOut))
    absences = fields.Dict(keys=fields.String(), values=fields.Nested(AbsenceOut),
                           metadata={"description": "village id -> its recorded absence"})


class StageOut(Out):
    id = fields.UUID()
    stage = fields.String()


class CommentaryIn(Schema):
    village_id = fields.UUID(required=True)
    text = Text(required=True, max=5000)


class AbsenceIn(Schema):
    village_id = fields.UUID(required=True)
    excused = fields.Boolean(required=True)
    reason = Text(required=True, max=1000)


class SheetIn(Schema):
    marks = Marks(required=True)
    judge_id = fields.UUID(load_default=None)


class CorrectionIn(SheetIn):
    reason = Text(required=True, max=1000)


class BatchSheetIn(Schema):
    judge_id = fields.UUID(required=True)
    village_id = fields.UUID(required=True)
    marks = Marks(required=True)


class BatchIn(Schema):
    sheets = fields.List(fields.Nested(BatchSheetIn), required=True, validate=validate.Length(min=1, max=5000))


class SheetOut(Out):
    id = fields.UUID()
    contest_id = fields.UUID()
    judge_id = fields.UUID()
    village_id = fields.UUID()
    marks = fields.Dict(keys=fields.String(), values=fields.Decimal(), metadata={"description": "criterion key -> mark"})
    total = fields.Decimal()
    version = fields.Integer()


class VillageSheetsOut(Out):
    village_id = fields.UUID()
    sheets = fields.List(fields.Nested(SheetOut))


class JudgeTotal(Out):
    judge_id = fields.UUID()
    total = fields.Decimal()


class ResultRow(Out):
    village_id = fields.UUID()
    track = fields.String()
    score = fields.Decimal(allow_none=True)
    rank = fields.Integer(allow_none=True)
    sheets = fields.List(fields.Nested(JudgeTotal))
    trimmed = Ids(metadata={"description": "the judges whose sheets the trim dropped (R1)"})
    flags = fields.List(fields.String())


class ResultsOut(Out):
    contest_id = fields.UUID()
    revision = fields.Integer()
    rulebook_version = fields.Integer(allow_none=True)
    results = fields.List(fields.Nested(ResultRow))
