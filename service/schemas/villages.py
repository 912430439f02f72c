"""Villages (村) on their tracks, their secretaries, and accounts."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from domain.account import ROLES

from .common import DateText, Day, Month, MonthText, Out, Text, Track


class SecretaryIn(Schema):
    name = Text(required=True, max=50)


class VillageIn(Schema):
    town_id = fields.UUID(required=True)
    code = Text(required=True, max=40)
    name = Text(required=True, max=100)
    track = Track(required=True)
    secretary = fields.Nested(SecretaryIn, required=True)
    joined_from = Month(load_default=None, metadata={
        "description": "the first month the village takes part in; by default the month after the town's last closed one"})


class VillageQuery(Schema):
    town_id = fields.UUID(required=True)


class TrackChangeIn(Schema):
    track = Track(required=True)
    effective_from = Month(required=True)
    reason = Text(required=True, max=1000)


class SecretaryChangeIn(Schema):
    name = Text(required=True, max=50)
    since = Day(required=True)


class RetireIn(Schema):
    effective_from = Month(required=True)
    reason = Text(required=True, max=1000)


class SecretaryOut(Out):
    """村党组织书记: a village's Party secretary, in office since a date (none for the first one recorded)."""

    name = fields.String()
    since = DateText(allow_none=True)


class TrackSpellOut(Out):
    track = fields.String(allow_none=True, metadata={"description": "none from the month the village left the programme"})
    effective_from = MonthText()


class VillageOut(Out):
    id = fields.UUID()
    town_id = fields.UUID()
    code = fields.String()
    name = fields.String()
    track = fields.String(allow_none=True, metadata={"description": "none once the village has left the programme"})
    joined_from = MonthText()
    retired_from = MonthText(allow_none=True)
    secretary = fields.Nested(SecretaryOut)
    tracks = fields.List(fields.Nested(TrackSpellOut))
    secretaries = fields.List(fields.Nested(SecretaryOut))


class AccountIn(Schema):
    name = Text(required=True, max=100)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    village_id = fields.UUID(load_default=None)

    @validates_schema
    def village_for_secretary(self, data, **kwargs):
        """A secretary has a village; a judge may (peer judging, recused from it); an organizer or auditor has none."""
        role, village = data.get("role"), data.get("village_id")
        if role == "secretary" and village is None or role in ("organizer", "auditor") and village is not None:
            raise ValidationError("required for a secretary; allowed for a judge; not for an organizer or auditor",
                                  "village_id")


class AccountOut(Out):
    id = fields.UUID()
    name = fields.String()
    role = fields.String()
    village_id = fields.UUID(allow_none=True)
    disabled = fields.Boolean()


class NewAccountOut(AccountOut):
    token = fields.String(metadata={"description": "shown once: only its hash is kept"})


class NewTokenOut(Out):
    id = fields.UUID()
    token = fields.String(metadata={"description": "shown once: only its hash is kept; the old token is refused from now on"})
