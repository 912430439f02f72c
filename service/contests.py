"""Use cases of the contests (擂台比武): scheduling, the four steps, sheets, publication and appeals."""

from datetime import datetime, timezone
from decimal import Decimal
from uuid import UUID, uuid5

from domain.account import Account
from domain.contest import Contest, check_contest_terms
from domain.creation import created
from domain.errors import ForbiddenError, InvalidError, NotFoundError, RuleError
from domain.sheet import ScoreSheet, sheet_id
from domain.town import Town
from domain.village import TRACKS, Village
from projections.people import appeal_contest
from projections.results import read_results

from .retry import retried


def now() -> datetime:
    return datetime.now(timezone.utc)


class ContestUseCases:
    """Mixed into the Application: a contest from its scheduling to its published results and appeals."""

    @retried
    def schedule_contest(self, town_id: UUID, month: str, theme: str, domain: str, form: str, venue: str,
                         tracks: list[str], judges: list[UUID], criteria: list[dict],
                         participants: list[UUID] | None, by: UUID) -> Contest:
        town = self.load(Town, town_id)
        self.check_months_open(town.id, month, month, "its contests")
        check_contest_terms(domain, form, criteria)
        recusals = self.check_judges(judges)
        entrants = self.entrants(town, month, tracks, participants)
        contest = Contest(town_id=town.id, month=month, theme=theme, domain=domain, form=form, venue=venue,
                          judges=[str(j) for j in judges], criteria=criteria, participants=entrants, by=by,
                          recusals=recusals)
        town.register_contest(contest.id, month, sorted(set(tracks)), by)
        self.save(town, contest)
        return contest

    def check_judges(self, judges: list[UUID]) -> dict[str, str]:
        """Every judge an active judge account; returns the recusals: judge -> the village they come from."""
        if not judges or len(set(judges)) != len(judges):
            raise InvalidError("the panel is invalid", {"judges": ["name at least one judge, each once"]})
        for judge_id in judges:
            try:
                account = self.read(Account, judge_id)
            except NotFoundError:
                account = None
            if account is None or account.role != "judge" or account.disabled:
                raise InvalidError("the panel is invalid", {"judges": [f"{judge_id} is not an active judge account"]})
        accounts = [self.read(Account, judge_id) for judge_id in judges]
        return {str(a.id): str(a.village_id) for a in accounts if a.village_id is not None}

    def entrants(self, town: Town, month: str, tracks: list[str], participants: list[UUID] | None) -> dict[str, dict]:
        """Participants default to every village on the contest's tracks in its month."""
        if not tracks or any(t not in TRACKS for t in tracks):
            raise InvalidError("the tracks are invalid", {"tracks": [f"name one or more of {', '.join(TRACKS)}"]})
        ids = town.village_codes if participants is None else [str(p) for p in participants]
        entrants = {}
        for village_id in ids:
            village = self.read(Village, village_id) if village_id in town.village_codes else None
            if village is None:
                raise InvalidError("unknown participant", {"participants": [f"{village_id} is not a village of this town"]})
            track = village.track_in(month)
            if track is None and participants is not None:
                raise InvalidError("participant not yet in the programme",
                                   {"participants": [f"{village.code} joins from {village.joined_from}"]})
            if track in tracks:
                entrants[village_id] = {"track": track, "code": village.code}
            elif participants is not None:
                raise InvalidError("participant off the tracks", {"participants": [f"{village.code} is on track {track}"]})
        if not entrants:
            raise InvalidError("no participants", {"participants": ["the contest has no villages to take part"]})
        return entrants

    @retried
    def advance_contest(self, contest_id: UUID, by: UUID) -> Contest:
        contest = self.load(Contest, contest_id)
        contest.advance(by)
        notices = self.sheets_pending(contest, "evaluation", by) if contest.stage == "evaluation" else []
        self.save(contest, *notices)
        return contest

    @retried
    def cancel_contest(self, contest_id: UUID, reason: str, by: UUID) -> Contest:
        contest = self.load(Contest, contest_id)
        town = self.load(Town, contest.town_id)
        contest.cancel(reason, by)
        town.release_contest(contest.id, by)
        self.save(contest, town)
        return contest

    @retried
    def comment(self, contest_id: UUID, village_id: UUID, text: str, by: UUID) -> Contest:
        contest = self.load(Contest, contest_id)
        contest.comment(str(village_id), text, by)
        self.save(contest)
        return contest

    @retried
    def record_absence(self, contest_id: UUID, village_id: UUID, excused: bool, reason: str, by: UUID) -> Contest:
        contest = self.load(Contest, contest_id)
        self.check_months_open(contest.town_id, contest.month, contest.month, "its contests' absences")
        contest.record_absence(str(village_id), excused, reason, by)
        self.save(contest)
        return contest

    def find_sheet(self, contest_id: UUID, judge_id: str, village_id: str) -> ScoreSheet | None:
        return self.find(ScoreSheet, sheet_id(contest_id, judge_id, village_id))

    def recorded_sheet(self, contest: Contest, judge_id: str, village_id: str) -> ScoreSheet | None:
        """The contest knows which sheets exist, so a sheet not yet submitted costs no lookup in the store."""
        return self.find_sheet(contest.id, judge_id, village_id) if contest.has_sheet(judge_id, village_id) else None

    @retried
    def submit_sheet(self, contest_id: UUID, judge_id: UUID, village_id: UUID, marks: dict[str, Decimal],
                     by: UUID) -> tuple[ScoreSheet, bool]:
        """Returns the sheet and whether it is new; the same marks again change nothing."""
        contest = self.load(Contest, contest_id)
        sheet, is_new = self.new_sheet(contest, str(judge_id), str(village_id), marks, by)
        if is_new:
            self.save(contest, sheet)
        return sheet, is_new

    @retried
    def submit_sheets(self, contest_id: UUID, entries: list[dict], by: UUID) -> list[ScoreSheet]:
        """A paper batch: every sheet is recorded, or none."""
        contest = self.load(Contest, contest_id)
        keys = [(str(e["judge_id"]), str(e["village_id"])) for e in entries]
        if not entries or len(set(keys)) != len(keys):
            raise InvalidError("the batch is invalid", {"sheets": ["give at least one sheet, each judge and village once"]})
        made = [self.new_sheet(contest, judge, village, e["marks"], by) for (judge, village), e in zip(keys, entries)]
        self.save(contest, *[sheet for sheet, is_new in made if is_new])
        return [sheet for sheet, _ in made]

    def new_sheet(self, contest: Contest, judge_id: str, village_id: str, marks: dict, by: UUID) -> tuple[ScoreSheet, bool]:
        contest.check_can_score(judge_id, village_id)
        contest.check_marks(marks)
        existing = self.recorded_sheet(contest, judge_id, village_id)
        if existing is not None and existing.marks == marks:
            return existing, False
        if existing is not None:
            raise RuleError("this sheet was submitted with other marks: send a correction with a reason")
        sheet = created(ScoreSheet, ScoreSheet.Submitted, sheet_id(contest.id, judge_id, village_id), contest_id=contest.id,
                        judge_id=judge_id, village_id=village_id, marks=marks, by=by)
        contest.record_sheet(judge_id, village_id, sheet.total, by)
        return sheet, True

    @retried
    def correct_sheet(self, contest_id: UUID, judge_id: UUID, village_id: UUID, marks: dict[str, Decimal],
                      reason: str, by: UUID, may_amend: bool) -> ScoreSheet:
        """R8: a correction before publication, an organiser's amendment within the appeal window after."""
        contest = self.load(Contest, contest_id)
        judge, village = str(judge_id), str(village_id)
        sheet = self.find_sheet(contest.id, judge, village)
        if sheet is None:
            raise NotFoundError("no such sheet in this contest")
        contest.check_marks(marks)
        if contest.stage == "published":
            self.amend(contest, sheet, marks, reason, by, may_amend)
        else:
            contest.check_can_score(judge, village)
            sheet.correct(marks, reason, by)
            contest.record_sheet(judge, village, sheet.total, by)
        self.save(contest, sheet)
        return sheet

    def amend(self, contest: Contest, sheet: ScoreSheet, marks: dict, reason: str, by: UUID, may_amend: bool) -> None:
        """`may_amend`: what the authorization policy says of the actor (amend_after_publication)."""
        if not may_amend:
            raise ForbiddenError("after publication only the organiser may amend a sheet")
        book = self.read(Town, contest.town_id).rulebook_for(contest.month)
        sheet.amend(marks, reason, by)
        contest.amend_sheet(sheet.judge_id, sheet.village_id, sheet.total, book, now(), by)

    def sheets_for(self, contest: Contest, village_id: UUID) -> list[ScoreSheet]:
        found = [self.recorded_sheet(contest, judge, str(village_id)) for judge in contest.judges]
        return [sheet for sheet in found if sheet is not None]

    @retried
    def publish(self, contest_id: UUID, by: UUID) -> Contest:
        contest = self.load(Contest, contest_id)
        town = self.read(Town, contest.town_id)
        contest.publish(town.rulebook_for(contest.month), now(), by)
        self.save(contest)
        return contest

    # Appeals (申诉)

    @retried
    def lodge_appeal(self, contest_id: UUID, village_id: UUID, reason: str, by: UUID, secretary_of: UUID | None) -> dict:
        """By the village's own secretary, or an organizer (`secretary_of` None), within the appeal window."""
        contest = self.load(Contest, contest_id)
        if secretary_of is not None and secretary_of != village_id:
            raise ForbiddenError("a secretary may appeal only their own village's result")
        book = self.read(Town, contest.town_id).rulebook_for(contest.month)
        appeal_id = str(uuid5(contest.id, f"appeal:{len(contest.appeals) + 1}"))
        contest.lodge_appeal(appeal_id, str(village_id), reason, book, now(), by)
        self.save(contest)
        return contest.appeals[appeal_id]

    @retried
    def resolve_appeal(self, appeal_id: UUID, outcome: str, reason: str, by: UUID) -> dict:
        self.projector.catch_up("people")
        contest_id = appeal_contest(self.projector.store, str(appeal_id))
        if contest_id is None:
            raise NotFoundError(f"appeal {appeal_id} not found")
        contest = self.load(Contest, contest_id)
        contest.resolve_appeal(str(appeal_id), outcome, reason, now(), by)
        self.save(contest)
        return contest.appeals[str(appeal_id)]

    def contests_of(self, town_id: UUID, month: str | None) -> list[Contest]:
        town = self.load(Town, town_id)
        return [self.load(Contest, cid) for cid in town.contest_ids(month)]

    def results(self, contest_id: UUID) -> dict:
        contest = self.read(Contest, contest_id)
        self.projector.catch_up("contest_results")
        return {"contest_id": contest.id, **read_results(self.projector.store, str(contest.id))}
