"""Towns (乡镇) and their rulebooks."""

from marshmallow import Schema, ValidationError, fields, pre_dump, validate

from domain.rulebook import BASES, Rulebook

from .common import Month, MonthText, Out, Score, Text

TRIM_TIERS = {"oneOf": [{"$ref": "#/components/schemas/Trim"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/Trim"}, "minItems": 1, "maxItems": 10}],
              "description": "R1: one tier, or tiers by panel size (1+1 dropped from 5 judges, 2+2 from 7)"}


class TownIn(Schema):
    name = Text(required=True)
    county = Text(load_default=None)


class Weights(Schema):
    duty = Score(validate=validate.Range(0, 1))
    contest = Score(validate=validate.Range(0, 1))


class WeightsOut(Out):
    duty = fields.Decimal()
    contest = fields.Decimal()


class Trim(Schema):
    """A trim tier: from `min_judges` sheets, drop the `drop` highest and the `drop` lowest totals."""

    min_judges = fields.Integer(required=True, validate=validate.Range(1, 50))
    drop = fields.Integer(required=True, validate=validate.Range(0, 10))


class TrimTiers(fields.Field):
    """R1's trim: one tier `{min_judges, drop}`, or a list of tiers (1+1 from 5, 2+2 from 7).

    The document's `oneOf` refers to the Trim schema by name: the app registers it (service.errors).
    """

    def __init__(self, **kw):
        super().__init__(metadata=TRIM_TIERS, **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            return Trim().load(value)
        if isinstance(value, list) and 1 <= len(value) <= 10:
            return Trim(many=True).load(value)
        raise ValidationError("Give {min_judges, drop} or a list of 1 to 10 of them.")


class DutyItemSpec(Schema):
    """An item of the duty list (职责清单) and its maximum."""

    item = Text(required=True, max=200)
    max = Score(required=True, validate=validate.Range(min=0, min_inclusive=False, max=100000))


class DutyItemSpecOut(Out):
    item = fields.String()
    max = fields.Decimal()


class RulebookIn(Schema):
    effective_from = Month(required=True)
    weights = fields.Nested(Weights)
    monthly_basis = fields.String(validate=validate.OneOf(BASES))
    top_n = fields.Integer(validate=validate.Range(1, 100))
    bottom_n = fields.Integer(validate=validate.Range(1, 100))
    improve_rank_places = fields.Integer(validate=validate.Range(1, 1000))
    improve_points = Score(validate=validate.Range(0, 100))
    trim = TrimTiers()
    excellent_share = Score(validate=validate.Range(0, 1))
    exchanges_per_month = fields.Integer(validate=validate.Range(0, 31))
    reminder_days = fields.List(fields.Integer(validate=validate.Range(1, 28)), validate=validate.Length(max=5))
    appeal_days = fields.Integer(validate=validate.Range(0, 60))
    overdue_days = fields.Integer(validate=validate.Range(1, 365))
    duty_items = fields.List(fields.Nested(DutyItemSpec), validate=validate.Length(min=1, max=100))


class RulebookOut(Out):
    version = fields.Integer()
    effective_from = MonthText()
    weights = fields.Nested(WeightsOut)
    monthly_basis = fields.String(metadata={"description": "contest or composite (R9)"})
    top_n = fields.Integer()
    bottom_n = fields.Integer()
    improve_rank_places = fields.Integer()
    improve_points = fields.Decimal()
    trim = TrimTiers()
    excellent_share = fields.Decimal()
    exchanges_per_month = fields.Integer()
    reminder_days = fields.List(fields.Integer())
    appeal_days = fields.Integer()
    overdue_days = fields.Integer()
    duty_items = fields.List(fields.Nested(DutyItemSpecOut),
                             metadata={"description": "the duty list's items (职责清单) and their maximum"})

    @pre_dump
    def recorded(self, book: Rulebook, **kwargs) -> dict:
        return book.as_dict()


class TownBrief(Out):
    id = fields.UUID()
    name = fields.String()
    county = fields.String(allow_none=True)


class TownOut(TownBrief):
    rulebook = fields.Nested(RulebookOut)


class TownDetail(TownOut):
    rulebooks = fields.List(fields.Nested(RulebookOut))
