"""Use cases of the periodic assessment: duty lists, closing months, boards, quarters and the year."""

from uuid import UUID

from domain.boards import Board, Entry
from domain.duty import DutyList
from domain.errors import InvalidError, RuleError
from domain.periods import last_day, next_month, months_of_quarter, months_of_year, quarter_of
from domain.rulebook import FIRST_MONTH
from domain.standings import Standings
from domain.town import Town
from domain.village import Village
from projections.assessment import month_statuses, recorded
from projections.directory import villages_of
from projections.people import secretaries_on

from .collector import collector_paused
from .followups import today
from .lifecycle import blocker, blocker_errors, consequences, input_blockers, last_track, order_blockers
from .retry import retried


class PeriodUseCases:
    """Mixed into the Application: month, quarter and year."""

    @retried
    def record_duty(self, village_id: UUID, month: str, items: list[dict], by: UUID) -> DutyList:
        village = self.read(Village, village_id)
        self.check_months_open(village.town_id, month, month, "its duty lists")
        duty = self.duty_list(village, month, items, by)
        self.save(duty)
        return duty

    @retried
    def record_duties(self, town_id: UUID, month: str, lists: dict[str, list[dict]], by: UUID) -> list[DutyList]:
        """Many villages' duty lists of a month (an imported file) in one atomic save: every one or none."""
        self.check_months_open(town_id, month, month, "its duty lists")
        villages = [self.load(Village, village_id) for village_id in lists]
        if any(v.town_id != town_id for v in villages):
            raise InvalidError("a duty list names a village of another town")
        duties = [self.duty_list(village, month, lists[str(village.id)], by) for village in villages]
        self.save(*duties)
        return duties

    def duty_list(self, village: Village, month: str, items: list[dict], by: UUID) -> DutyList:
        """The month's list, new or as its next revision, not yet saved."""
        duty = self.find(DutyList, DutyList.create_id(village.id, month))
        if duty is None:
            return DutyList(village_id=village.id, town_id=village.town_id, month=month, items=items, by=by)
        duty.revise(items, by)
        return duty

    def standings(self, town_id: UUID, period: str, by: UUID) -> Standings:
        found = self.find(Standings, Standings.create_id(town_id, period))
        return found or Standings(town_id=town_id, period=period, by=by)

    # The period's lifecycle (R13)

    def check_months_open(self, town_id: UUID, first: str, last: str | None, what: str) -> None:
        """A closed month is read-only until reopened: refuse a change to anything dated from `first` to `last`
        (to every later month when `last` is None, as a track change or a new rulebook reaches them all)."""
        closed = [m for m in self.closed_months(town_id) if first <= m and (last is None or m <= last)]
        if closed:
            raise RuleError(f"{closed[0]} is closed: reopen it with a reason to change {what}",
                            {"month": [f"{m} is closed" for m in closed]})

    def people_on(self, town_id: UUID, month: str, villages: list[dict] | None = None) -> dict[str, dict]:
        """Every village of the town by id, named with the secretary in office on the month's last day (R14)
        and that secretary's account, for the interviews and notices of a period ending then. From `villages`,
        the town's rows of villages_of, when the caller has read them already."""
        self.projector.catch_up("people")
        store = self.projector.store
        secretaries = secretaries_on(store, str(town_id), last_day(month))
        villages = villages_of(store, str(town_id)) if villages is None else villages
        return {v["village_id"]: {**v, "track": last_track(v, month), **secretaries.get(v["village_id"], {})}
                for v in villages}

    def first_open_month(self, town_id: UUID) -> str:
        """The month after the town's last closed month; any month while none is closed."""
        closed = self.closed_months(town_id)
        return next_month(closed[-1]) if closed else FIRST_MONTH

    def closed_months(self, town_id: UUID) -> list[str]:
        """The town's months closed now, in order (a reopened month is not among them)."""
        self.projector.catch_up("assessment")
        return [m for m, status in month_statuses(self.projector.store, str(town_id)).items() if status == "closed"]

    def close_blockers(self, town: Town, month: str, entries: list[Entry]) -> list[dict]:
        """What stands in the way of closing `month` now: the calendar, the order of months, missing inputs
        (`entries`, the month's from the read models)."""
        store, town_id = self.projector.store, str(town.id)
        statuses = month_statuses(store, town_id)
        found = []
        if statuses.get(month) == "closed":
            found.append(blocker("closed", f"{month} is already closed"))
        if month >= today().isoformat()[:7]:
            found.append(blocker("not_over", f"{month} is not over yet (Asia/Shanghai)"))
        return found + order_blockers(statuses, month) + input_blockers(store, town_id, month, entries)

    def close_preview(self, town_id: UUID, month: str, by: UUID) -> dict:
        """What closing `month` would record now, and what blocks it; records nothing."""
        town = self.read(Town, town_id)
        self.projector.catch_up_all()
        villages = villages_of(self.projector.store, str(town.id))  # read once, for the entries and the people
        book, entries = town.rulebook_for(month), self.month_entries(town.id, month, villages)
        blockers = self.close_blockers(town, month, entries)
        closed = any(b["kind"] == "closed" for b in blockers)
        board = self.live_month(town, month, book, entries)
        changed = [] if closed else self.close_plan(town, month, board, by, villages)
        shortfalls = [] if closed else [{"pairing_id": r["pairing_id"], "offline": r["offline"], "required": r["required"]}
                                        for r in self.compliance(town.id, month) if not r["compliant"]]
        return {"period": month, "can_close": not blockers, "blockers": blockers,
                "board": self.month_view(town, month, book, board), "consequences": {**consequences(changed),
                                                                                     "shortfalls": shortfalls}}

    # Closing and reopening

    @retried
    @collector_paused()
    def close_month(self, town_id: UUID, month: str, by: UUID) -> None:
        """Record the standings and, in the same save, the interviews and sharing invitations they require."""
        town = self.read(Town, town_id)
        self.projector.catch_up_all()
        villages = villages_of(self.projector.store, str(town.id))  # read once, for the entries and the people
        book, entries = town.rulebook_for(month), self.month_entries(town.id, month, villages)
        blockers = self.close_blockers(town, month, entries)
        if blockers:
            raise RuleError(f"{month} cannot close: {'; '.join(b['message'] for b in blockers)}", blocker_errors(blockers))
        board = self.live_month(town, month, book, entries)
        changed = self.close_plan(town, month, board, by, villages)
        self.save(*changed)
        self.keep_board(town.id, month, changed[0].revision, board)

    def close_plan(self, town: Town, month: str, board: Board, by: UUID, villages: list[dict]) -> list:
        """The standings and every consequence a close of `board`, the month's live board, records; unsaved.
        `villages`: the town's rows of villages_of, read with the board's entries."""
        book = town.rulebook_for(month)
        standings = self.standings(town.id, month, by)
        before = {key: standings.listed(key) for key in ("bottom", "top", "improved")}
        standings.close(board.as_dict(), book.version, by)
        people = self.people_on(town.id, month, villages)
        changed = [standings]
        changed += self.settle_interviews(town.id, "monthly", month, before["bottom"], board, people, by)
        changed += self.settle_sharings(town.id, month, before, board, by)
        changed += self.close_periods(town, month, board, by)
        changed += self.consequence_notices(town.id, changed, people, by)
        changed += self.shortfalls(town, month, people, by)
        return changed

    @retried
    def reopen_month(self, town_id: UUID, month: str, reason: str, by: UUID) -> None:
        standings = self.find(Standings, Standings.create_id(self.read(Town, town_id).id, month))
        if standings is None:
            raise RuleError(f"{month} is not closed")
        standings.reopen(reason, by)
        self.save(standings)

    def close_periods(self, town: Town, month: str, board: Board, by: UUID) -> list:
        """A quarter or year is recorded when its last month closes, and again when one of its months does later."""
        changed = []
        quarter, year = quarter_of(month), month[:4]
        for period, months, level in ((quarter, months_of_quarter(quarter), "quarterly"),
                                      (year, months_of_year(year), "annual")):
            if month == months[-1] or self.is_closed(town.id, months[-1]):
                changed += self.close_period(town, period, months, level, {month: board}, by)
        return changed

    def close_period(self, town, period, months, level, fresh, by) -> list:
        """Its interviews name the secretaries in office on the period's last day."""
        book = town.rulebook_for(months[-1])
        villages = self.people_on(town.id, months[-1])
        result = self.period_result(town.id, period, months, level, book, fresh)
        standings = self.standings(town.id, period, by)
        before = standings.listed("bottom")
        if standings.closed:
            standings.reopen(f"{', '.join(sorted(fresh))} 重新关账，更新{period}排名", by)
        standings.close(result.as_dict(), book.version, by)
        return [standings] + self.settle_interviews(town.id, level, period, before, result, villages, by)

    def is_closed(self, town_id: UUID, period: str) -> bool:
        found = recorded(self.projector.store, str(town_id), period)
        return bool(found) and found["status"] == "closed"
