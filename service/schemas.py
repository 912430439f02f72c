"""marshmallow schemas: the request bodies and responses of the HTTP contract."""

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from domain.account import ROLES
from domain.contest import DOMAINS, FORMS
from domain.periods import is_month
from domain.rulebook import BASES
from domain.village import TRACKS
from projections.chain import parse_digest

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class Plain(fields.String):
    """Text without control characters (tab and line breaks allowed) or lone surrogates: PostgreSQL
    cannot keep a NUL in a text column, nor UTF-8 a lone surrogate."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if CONTROL.search(text):
            raise ValidationError("Remove the control characters.")
        return text


Text = lambda **kw: Plain(validate=validate.Length(min=1, max=kw.pop("max", 200)), **kw)  # noqa: E731
Score = lambda **kw: fields.Decimal(allow_nan=False, **kw)  # noqa: E731


class Month(fields.String):
    """A month as "YYYY-MM"."""

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


Track = lambda **kw: fields.String(validate=validate.OneOf(TRACKS), **kw)  # noqa: E731


# Towns and rulebooks

class TownIn(Schema):
    name = Text(required=True)
    county = Text(load_default=None)


class Weights(Schema):
    duty = Score(validate=validate.Range(0, 1))
    contest = Score(validate=validate.Range(0, 1))


class Trim(Schema):
    min_judges = fields.Integer(required=True, validate=validate.Range(1, 50))
    drop = fields.Integer(required=True, validate=validate.Range(0, 10))


class TrimTiers(fields.Field):
    """R1's trim: one tier `{min_judges, drop}`, or a list of tiers (1+1 from 5, 2+2 from 7)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            return Trim().load(value)
        if isinstance(value, list) and 1 <= len(value) <= 10:
            return Trim(many=True).load(value)
        raise ValidationError("Give {min_judges, drop} or a list of 1 to 10 of them.")


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


class RulebookOut(RulebookIn):
    version = fields.Integer()
    effective_from = fields.String()
    weights = fields.Dict()
    trim = fields.Raw()


class TownOut(Schema):
    id = fields.UUID()
    name = fields.String()
    county = fields.String(allow_none=True)
    rulebook = fields.Nested(RulebookOut)


class TownDetail(TownOut):
    rulebooks = fields.List(fields.Nested(RulebookOut))


class TownBrief(Schema):
    id = fields.String()
    name = fields.String()
    county = fields.String(allow_none=True)


# Villages and accounts

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


class VillageOut(Schema):
    id = fields.UUID()
    town_id = fields.UUID()
    code = fields.String()
    name = fields.String()
    track = fields.String(allow_none=True)
    joined_from = fields.String()
    retired_from = fields.String(allow_none=True)
    secretary = fields.Dict()
    tracks = fields.List(fields.Dict())
    secretaries = fields.List(fields.Dict())


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


class AccountOut(Schema):
    id = fields.UUID()
    name = fields.String()
    role = fields.String()
    village_id = fields.UUID(allow_none=True)
    token = fields.String()
    disabled = fields.Boolean()


# Contests

class CriterionIn(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"[A-Za-z0-9_\-]{1,40}\Z"))
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
    month = Month(load_default=None)


class ContestOut(Schema):
    id = fields.UUID()
    town_id = fields.UUID()
    month = fields.String()
    theme = fields.String()
    domain = fields.String()
    form = fields.String()
    venue = fields.String()
    tracks = fields.List(fields.String())
    judges = fields.List(fields.String())
    criteria = fields.List(fields.Dict())
    participants = fields.List(fields.String())
    recusals = fields.Dict(keys=fields.String(), values=fields.String(),
                           metadata={"description": "judge id -> the village that judge comes from and may not score (回避)"})
    stage = fields.String()
    revision = fields.Integer()
    commentaries = fields.List(fields.Dict())
    absences = fields.Dict()


class StageOut(Schema):
    id = fields.UUID()
    stage = fields.String()


class ReasonIn(Schema):
    reason = Text(required=True, max=1000)


class Empty(Schema):
    pass


class CommentaryIn(Schema):
    village_id = fields.UUID(required=True)
    text = Text(required=True, max=5000)


class AbsenceIn(Schema):
    village_id = fields.UUID(required=True)
    excused = fields.Boolean(required=True)
    reason = Text(required=True, max=1000)


Marks = lambda **kw: fields.Dict(keys=Plain(validate=validate.Length(max=40)), values=Score(), **kw)  # noqa: E731


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


class SheetOut(Schema):
    id = fields.UUID()
    contest_id = fields.UUID()
    judge_id = fields.String()
    village_id = fields.String()
    marks = fields.Dict(keys=fields.String(), values=fields.Decimal())
    total = fields.Decimal()
    version = fields.Integer()


class VillageSheetsOut(Schema):
    village_id = fields.UUID()
    sheets = fields.List(fields.Nested(SheetOut))


class JudgeTotal(Schema):
    judge_id = fields.String()
    total = fields.Decimal()


class ResultRow(Schema):
    village_id = fields.String()
    track = fields.String()
    score = fields.Decimal(allow_none=True)
    rank = fields.Integer(allow_none=True)
    sheets = fields.List(fields.Nested(JudgeTotal))
    trimmed = fields.List(fields.String())
    flags = fields.List(fields.String())


class ResultsOut(Schema):
    contest_id = fields.UUID()
    revision = fields.Integer()
    rulebook_version = fields.Integer(allow_none=True)
    results = fields.List(fields.Nested(ResultRow))


# Audit

class EventOut(Schema):
    position = fields.Integer()
    entity_id = fields.String()
    version = fields.Integer()
    type = fields.String()
    at = fields.String()
    actor = fields.String(allow_none=True)
    data = fields.Dict()


class MarkedOut(Schema):
    marks = fields.Dict(keys=fields.String(), values=fields.Decimal())
    total = fields.Decimal()


class SheetVersionOut(Schema):
    version = fields.Integer()
    position = fields.Integer()
    type = fields.String()
    at = fields.String()
    actor = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    before = fields.Nested(MarkedOut, allow_none=True)
    after = fields.Nested(MarkedOut)


class SheetHistoryOut(Schema):
    sheet_id = fields.UUID()
    judge_id = fields.String()
    village_id = fields.String()
    versions = fields.List(fields.Nested(SheetVersionOut))


class ContestHistoryOut(Schema):
    contest_id = fields.UUID()
    events = fields.List(fields.Nested(EventOut))
    sheets = fields.List(fields.Nested(SheetHistoryOut))


class FeedQuery(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**63 - 1))  # a BIGINT position
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


class FeedOut(Schema):
    events = fields.List(fields.Nested(EventOut))
    next = fields.Integer()


class Digest(fields.String):
    """A digest kept outside the system, written POSITION:HASH."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_digest(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as error:
            raise ValidationError(str(error)) from error


class DigestOut(Schema):
    position = fields.Integer()
    hash = fields.String()


class VerifyQuery(Schema):
    against = Digest(load_default=None, metadata={"description": "POSITION:HASH of an earlier digest"})


class VerifyOut(Schema):
    ok = fields.Boolean()
    checked = fields.Integer()
    first_bad_position = fields.Integer(allow_none=True)


# Judge analytics

class OutsideMarkOut(Schema):
    village_id = fields.String()
    total = fields.Decimal()
    others_mean = fields.Decimal()


class JudgeAnalyticsOut(Schema):
    judge_id = fields.String()
    severity = fields.Decimal(allow_none=True)
    outside_corridor = fields.List(fields.Nested(OutsideMarkOut))


class AnalyticsOut(Schema):
    contest_id = fields.UUID()
    kendall_w = fields.Decimal(allow_none=True)
    judges = fields.List(fields.Nested(JudgeAnalyticsOut))


# Duty lists, months and boards

class DutyItemIn(Schema):
    item = Text(required=True, max=200)
    score = Score(required=True, validate=validate.Range(min=0, max=100000))
    max = Score(required=True, validate=validate.Range(min=0, min_inclusive=False, max=100000))


class DutyIn(Schema):
    items = fields.List(fields.Nested(DutyItemIn), required=True, validate=validate.Length(min=1, max=200))


class DutyOut(Schema):
    village_id = fields.UUID()
    month = fields.String()
    total = fields.Decimal()
    revision = fields.Integer()
    items = fields.List(fields.Dict())


class BoardRow(Schema):
    village_id = fields.String()
    code = fields.String()
    name = fields.String()
    track = fields.String()
    duty = fields.Decimal()
    contest = fields.Decimal(allow_none=True)
    composite = fields.Decimal()
    score = fields.Decimal()
    rank = fields.Integer()
    contest_rank = fields.Integer(allow_none=True)
    previous_rank = fields.Integer(allow_none=True)
    previous_contest_rank = fields.Integer(allow_none=True)
    improved = fields.Boolean()
    months = fields.Integer()
    grade = fields.String()
    flags = fields.List(fields.String())


TrackLists = lambda: fields.Dict(keys=fields.String(), values=fields.List(fields.String()))  # noqa: E731


class BoardOut(Schema):
    town_id = fields.UUID()
    period = fields.String()
    status = fields.String()
    revision = fields.Integer()
    rulebook_version = fields.Integer()
    basis = fields.String(metadata={"description": "the ranking the monthly top, bottom and improved are taken on (R9)"})
    tracks = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(BoardRow)))
    top = TrackLists()
    bottom = TrackLists()
    improved = TrackLists()
    stale = fields.Boolean()
    changes = fields.List(fields.Dict())


class BlockerOut(Schema):
    kind = fields.String(required=True)
    message = fields.String(required=True)
    villages = fields.List(fields.String(), required=True, metadata={"description": "village codes"})
    contests = fields.List(fields.String(), required=True)
    appeals = fields.List(fields.String(), required=True)


class PreviewItemOut(Schema):
    id = fields.UUID(required=True)
    village_id = fields.String(required=True)
    period = fields.String(required=True)


class PreviewInterviewOut(PreviewItemOut):
    level = fields.String(required=True)
    secretary = fields.String(required=True)
    conductor = fields.String(required=True)
    rank = fields.Integer(required=True)
    score = fields.Decimal(required=True)


class PreviewSharingOut(PreviewItemOut):
    reason = fields.String(required=True)


class PreviewWithdrawalOut(PreviewItemOut):
    kind = fields.String(required=True, metadata={"description": "interview or sharing"})


class PreviewShortfallOut(Schema):
    pairing_id = fields.String(required=True)
    offline = fields.Integer(required=True)
    required = fields.Integer(required=True)


class ConsequencesOut(Schema):
    interviews = fields.List(fields.Nested(PreviewInterviewOut), required=True)
    sharings = fields.List(fields.Nested(PreviewSharingOut), required=True)
    withdrawn = fields.List(fields.Nested(PreviewWithdrawalOut), required=True)
    shortfalls = fields.List(fields.Nested(PreviewShortfallOut), required=True)


class ClosePreviewOut(Schema):
    period = fields.String(required=True)
    can_close = fields.Boolean(required=True)
    blockers = fields.List(fields.Nested(BlockerOut), required=True)
    board = fields.Nested(BoardOut, required=True)
    consequences = fields.Nested(ConsequencesOut, required=True)


class AssessmentOut(BoardOut):
    year = fields.String()
    awards = TrackLists()
    labels = fields.Dict()


class BoardQuery(Schema):
    track = Track(load_default=None)


class InterviewQuery(Schema):
    town_id = fields.UUID(required=True)
    level = fields.String(load_default=None, validate=validate.OneOf(("monthly", "quarterly", "annual")))
    status = fields.String(load_default=None,
                           validate=validate.OneOf(("required", "scheduled", "held", "waived", "withdrawn")))


class InterviewOut(Schema):
    id = fields.String()
    village_id = fields.String()
    secretary = fields.String()
    level = fields.String()
    period = fields.String()
    conductor = fields.String()
    status = fields.String()
    rank = fields.Integer()
    score = fields.Decimal(allow_none=True)
    track = fields.String()
    overdue = fields.Boolean()
    pledge = fields.String(allow_none=True)


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
    period = Plain(load_default=None, validate=validate.Length(max=10))


class SharingOut(Schema):
    id = fields.String()
    village_id = fields.String()
    period = fields.String()
    reason = fields.String()
    status = fields.String()
    held_on = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)


class DissolveIn(Schema):
    reason = Text(required=True, max=1000)
    effective_from = Month(load_default=None, metadata={"description": "the first month without the pairing; this month by default"})


class AppealIn(Schema):
    village_id = fields.UUID(required=True)
    reason = Text(required=True, max=5000)


class ResolveIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(("upheld", "rejected")))
    reason = Text(required=True, max=5000)


class AppealOut(Schema):
    id = fields.UUID(required=True)
    contest_id = fields.UUID(required=True)
    village_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "open, upheld or rejected"})
    lodged_by = fields.UUID(required=True)
    lodged_at = fields.AwareDateTime(required=True)
    outcome_reason = fields.String(allow_none=True)
    resolved_by = fields.UUID(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)


# Pairings and follow-ups

class PairingIn(Schema):
    advanced_village_id = fields.UUID(required=True)
    lagging_village_id = fields.UUID(required=True)
    from_month = Month(required=True)


class PairingOut(Schema):
    id = fields.UUID()
    town_id = fields.UUID()
    advanced_village_id = fields.String()
    lagging_village_id = fields.String()
    from_month = fields.String()
    dissolved_on = fields.String(allow_none=True)
    exchanges = fields.List(fields.Dict())
    shortfalls = fields.Dict()


class ExchangeIn(Schema):
    date = Day(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(("offline", "online")))
    summary = Text(required=True, max=5000)


class ComplianceOut(Schema):
    pairing_id = fields.String()
    advanced_village_id = fields.String()
    lagging_village_id = fields.String()
    offline = fields.Integer()
    required = fields.Integer()
    compliant = fields.Boolean()


class FollowUpQuery(Schema):
    town_id = fields.UUID(required=True)
    status = fields.String(load_default=None, validate=validate.OneOf(("pending", "delivered", "failed")))


class FollowUpOut(Schema):
    id = fields.String()
    kind = fields.String()
    subject = fields.String()
    recipient = fields.String()
    recipient_account_id = fields.String(allow_none=True, metadata={"description": "the recipient's own account, when one exists"})
    status = fields.String()
    attempts = fields.Integer()
