from copy import copy
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .errors import ForbiddenError, InvalidError, NotFoundError, RuleError
from .rulebook import Rulebook
from .rules import panel_score, published, ranked

DOMAINS = ("party_building", "industry", "environment", "livelihood", "governance")
FORMS = ("meeting", "on_site", "project")
STAGES = ("scheduled", "observation", "presentation", "commentary", "evaluation")
DOMAIN_LABELS = {"party_building": "基层党建", "industry": "产业发展", "environment": "环境整治",
                 "livelihood": "民生改善", "governance": "村庄治理"}
FORM_LABELS = {"meeting": "会议擂台", "on_site": "现场擂台", "project": "项目擂台"}
STAGE_LABELS = {"scheduled": "已安排", "observation": "现场观摩", "presentation": "汇报演讲",
                "commentary": "书记点评", "evaluation": "集中评比", "published": "已公布", "cancelled": "已取消"}


class Contest(Aggregate):
    """擂台比武: one themed contest of a month, run in four steps (观摩—演讲—点评—评比), then published.

    Ids inside the contest's own state (judges, participants, sheet totals) are strings, so they
    survive the JSON round trip as dict keys.
    """

    @event("Scheduled")
    def __init__(self, town_id: UUID, month: str, theme: str, domain: str, form: str, venue: str,
                 judges: list[str], criteria: list[dict], participants: dict[str, dict], by: UUID,
                 recusals: dict[str, str] | None = None):
        self.town_id = town_id
        self.month = month
        self.theme = theme
        self.domain = domain
        self.form = form
        self.venue = venue
        self.judges = judges
        self.criteria = criteria
        self.participants = participants
        self.recusals = recusals or {}  # judge id -> the village they come from (回避)
        self.appeals: dict[str, dict] = {}
        self.stage = "scheduled"
        self.commentaries: list[dict] = []
        self.absences: dict[str, dict] = {}
        self.totals: dict[str, dict[str, Decimal]] = {}
        self.results: list[dict] = []
        self.revision = 0
        self.rulebook_version: int | None = None
        self.published_at: datetime | None = None

    def __deepcopy__(self, memo: dict) -> "Contest":
        """A copy for a command: only the containers its events change are copied, the values in them
        (str, Decimal, UUID, datetime) are immutable; the generic walk cost up to half a command."""
        clone = copy(self)
        clone.totals = {village: dict(judges) for village, judges in self.totals.items()}
        clone.appeals = {appeal_id: dict(appeal) for appeal_id, appeal in self.appeals.items()}
        clone.absences = dict(self.absences)
        clone.commentaries = list(self.commentaries)
        clone._pending_events = list(self._pending_events)
        return clone

    def has_sheet(self, judge_id: str, village_id: str) -> bool:
        """Whether a sheet was recorded: a sheet is always saved with its SheetRecorded."""
        return judge_id in self.totals.get(village_id, {})

    @property
    def tracks(self) -> list[str]:
        return sorted({p["track"] for p in self.participants.values()})

    def advance(self, by: UUID) -> None:
        self.check_open()
        if self.stage == "evaluation":
            raise RuleError("evaluation is the last step: publish the results instead")
        self._advance(STAGES[STAGES.index(self.stage) + 1], by)

    @event("Advanced")
    def _advance(self, stage: str, by: UUID) -> None:
        self.stage = stage

    def comment(self, village_id: str, text: str, by: UUID) -> None:
        self.check_stage("commentary")
        self.check_participant(village_id)
        self._comment(village_id, text, by)

    @event("CommentaryGiven")
    def _comment(self, village_id: str, text: str, by: UUID) -> None:
        self.commentaries.append({"village_id": village_id, "text": text, "by": str(by)})

    def record_absence(self, village_id: str, excused: bool, reason: str, by: UUID) -> None:
        self.check_open()
        self.check_participant(village_id)
        self._record_absence(village_id, excused, reason, by)

    @event("AbsenceRecorded")
    def _record_absence(self, village_id: str, excused: bool, reason: str, by: UUID) -> None:
        self.absences[village_id] = {"excused": excused, "reason": reason}

    def record_sheet(self, judge_id: str, village_id: str, total: Decimal, by: UUID) -> None:
        self.check_can_score(judge_id, village_id)
        self._record_sheet(judge_id, village_id, total, by)

    @event("SheetRecorded")
    def _record_sheet(self, judge_id: str, village_id: str, total: Decimal, by: UUID) -> None:
        self.totals.setdefault(village_id, {})[judge_id] = total

    def amend_sheet(self, judge_id: str, village_id: str, total: Decimal, book: Rulebook, now: datetime, by: UUID) -> None:
        """R8: after publication the organiser amends within the appeal window, or later on an upheld appeal;
        results get a new revision."""
        self.check_stage("published")
        if not self.upheld_for(village_id):
            self.check_appeal_window(book, now)
        self._amend_sheet(judge_id, village_id, total, by)
        self._publish(self.results_under(book), self.revision + 1, book.version, now, by)

    def check_appeal_window(self, book: Rulebook, now: datetime) -> None:
        if now > self.published_at + timedelta(days=book.appeal_days):
            raise RuleError(f"the appeal window of {book.appeal_days} days after publication has closed")

    def upheld_for(self, village_id: str) -> bool:
        return any(a["village_id"] == village_id and a["status"] == "upheld" for a in self.appeals.values())

    # Appeals (申诉)

    def lodge_appeal(self, appeal_id: str, village_id: str, reason: str, book: Rulebook, now: datetime, by: UUID) -> None:
        """R14: a village's secretary contests its published result within the appeal window."""
        self.check_stage("published")
        self.check_participant(village_id)
        self.check_appeal_window(book, now)
        if any(a["village_id"] == village_id and a["status"] == "open" for a in self.appeals.values()):
            raise RuleError("this village already has an open appeal on this contest")
        if not reason.strip():
            raise InvalidError("give the appeal's reason", {"reason": ["say what is contested"]})
        self._lodge_appeal(appeal_id, village_id, reason, now, by)

    @event("AppealLodged")
    def _lodge_appeal(self, appeal_id: str, village_id: str, reason: str, at: datetime, by: UUID) -> None:
        self.appeals[appeal_id] = {"id": appeal_id, "contest_id": str(self.id), "village_id": village_id,
                                   "reason": reason, "status": "open", "lodged_by": str(by), "lodged_at": at,
                                   "outcome_reason": None, "resolved_by": None, "resolved_at": None}

    def resolve_appeal(self, appeal_id: str, outcome: str, reason: str, now: datetime, by: UUID) -> None:
        """The organiser upholds (and then amends the sheets, R8) or rejects an appeal, with a reason."""
        appeal = self.appeals.get(appeal_id)
        if appeal is None:
            raise NotFoundError(f"appeal {appeal_id} not found")
        if appeal["status"] != "open":
            raise RuleError(f"the appeal is already {appeal['status']}")
        if outcome not in ("upheld", "rejected") or not reason.strip():
            raise InvalidError("give an outcome and a reason", {"outcome": ["upheld or rejected, with a reason"]})
        self._resolve_appeal(appeal_id, outcome, reason, now, by)

    @event("AppealResolved")
    def _resolve_appeal(self, appeal_id: str, outcome: str, reason: str, at: datetime, by: UUID) -> None:
        self.appeals[appeal_id].update(status=outcome, outcome_reason=reason, resolved_by=str(by), resolved_at=at)

    @event("SheetAmended")
    def _amend_sheet(self, judge_id: str, village_id: str, total: Decimal, by: UUID) -> None:
        self.totals[village_id][judge_id] = total

    def publish(self, book: Rulebook, now: datetime, by: UUID) -> None:
        self.check_stage("evaluation")
        self.check_everyone_scored()
        self._publish(self.results_under(book), self.revision + 1, book.version, now, by)

    @event("Published")
    def _publish(self, results: list[dict], revision: int, rulebook_version: int, at: datetime, by: UUID) -> None:
        """A results revision; the appeal window runs from the first one."""
        self.results = results
        self.revision = revision
        self.rulebook_version = rulebook_version
        self.stage = "published"
        self.published_at = self.published_at or at

    def cancel(self, reason: str, by: UUID) -> None:
        self.check_open()
        self._cancel(reason, by)

    @event("Cancelled")
    def _cancel(self, reason: str, by: UUID) -> None:
        self.stage = "cancelled"

    def results_under(self, book: Rulebook) -> list[dict]:
        """R1-R4: each participant's panel score, ranked within its track."""
        rows = [self.result_row(village_id, book) for village_id in self.participants]
        for track in self.tracks:
            scored = [r for r in rows if r["track"] == track and r["score"] is not None]
            for rank, row in ranked(scored, lambda r: r["score"], lambda r: (-r["score"], r["code"])):
                row["rank"] = rank
        return sorted(rows, key=lambda r: (r["track"], r["rank"] is None, r["rank"] or 0, r["code"]))

    def result_row(self, village_id: str, book: Rulebook) -> dict:
        totals = self.totals.get(village_id, {})
        panel = panel_score(totals, book.trim)
        score, flags = panel.score, list(panel.flags)
        if village_id in self.absences:
            excused = self.absences[village_id]["excused"]
            score, flags = (None, ["excused"]) if excused else (Decimal(0), ["absent"])
        elif 0 < len(totals) < len(self.panel_for(village_id)):
            flags.append("incomplete")
        participant = self.participants[village_id]
        return {"village_id": village_id, "track": participant["track"], "code": participant["code"],
                "score": None if score is None else published(score), "rank": None,
                "sheets": [{"judge_id": j, "total": t} for j, t in sorted(totals.items())],
                "trimmed": list(panel.trimmed) if village_id not in self.absences else [], "flags": flags}

    def check_open(self) -> None:
        if self.stage in ("published", "cancelled"):
            raise RuleError(f"the contest is {self.stage}")

    def check_stage(self, stage: str) -> None:
        if self.stage != stage:
            raise RuleError(f"the contest is in stage {self.stage}, not {stage}")

    def check_participant(self, village_id: str) -> None:
        if village_id not in self.participants:
            raise NotFoundError(f"village {village_id} does not take part in this contest")

    def check_everyone_scored(self) -> None:
        """A participant with no sheet would be published with composite = duty and climb: record an absence instead."""
        unscored = sorted(p["code"] for v, p in self.participants.items() if v not in self.totals and v not in self.absences)
        if unscored:
            raise RuleError(f"no sheet and no recorded absence for {', '.join(unscored)}: score them or record their absence",
                            {"villages": unscored})

    def check_judge(self, judge_id: str) -> None:
        if judge_id not in self.judges:
            raise ForbiddenError("this judge is not on the contest's panel")

    def check_can_score(self, judge_id: str, village_id: str) -> None:
        self.check_stage("evaluation")
        self.check_judge(judge_id)
        self.check_participant(village_id)
        if self.recusals.get(judge_id) == village_id:
            raise RuleError("this judge comes from the village and is recused from scoring it (回避)")

    def panel_for(self, village_id: str) -> list[str]:
        """The judges who score a village: the panel less anyone recused from it."""
        return [j for j in self.judges if self.recusals.get(j) != village_id]

    def check_marks(self, marks: dict[str, Decimal]) -> None:
        """Every criterion marked once, within 0..max, and nothing else."""
        maxima = {c["key"]: Decimal(c["max"]) for c in self.criteria}
        problems = [f"unknown criterion {key}" for key in marks if key not in maxima]
        problems += [f"criterion {key} is not marked" for key in maxima if key not in marks]
        problems += [f"criterion {key} must be between 0 and {maxima[key]}" for key, mark in marks.items()
                     if key in maxima and not (0 <= mark <= maxima[key])]
        if problems:
            raise InvalidError("the marks do not fit the contest's criteria", {"marks": problems})


def check_contest_terms(domain: str, form: str, criteria: list[dict]) -> None:
    problems: dict[str, list[str]] = {}
    if domain not in DOMAINS:
        problems["domain"] = [f"must be one of {', '.join(DOMAINS)}"]
    if form not in FORMS:
        problems["form"] = [f"must be one of {', '.join(FORMS)}"]
    keys = [c["key"] for c in criteria]
    if not criteria or len(set(keys)) != len(keys):
        problems["criteria"] = ["give at least one criterion, each key once"]
    if any(Decimal(c["max"]) <= 0 for c in criteria):
        problems.setdefault("criteria", []).append("every maximum must be above 0")
    if problems:
        raise InvalidError("the contest's terms are invalid", problems)
