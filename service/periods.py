"""Use cases of the periodic assessment: duty lists, closing months, boards, quarters and the year."""

import json
from decimal import Decimal
from uuid import UUID

from domain import boards
from domain.boards import Entry
from domain.consequences import Interview, Sharing
from domain.duty import DutyList
from domain.errors import RuleError
from domain.periods import last_day, next_month, months_of_quarter, months_of_year, quarter_of
from domain.rulebook import FIRST_MONTH, Rulebook
from domain.rules import published
from domain.standings import Standings
from domain.town import Town
from domain.village import Village
from projections.assessment import closed_periods, duty_totals, month_statuses, recorded
from projections.directory import villages_in, villages_of
from projections.people import open_appeals, secretaries_on
from projections.results import contests_of_month, month_scores

from .followups import overdue, today
from .retry import retried

CONTEST_FLAGS = {"excused", "absent", "no_sheets"}


class PeriodUseCases:
    """Mixed into the Application: month, quarter and year."""

    @retried
    def record_duty(self, village_id: UUID, month: str, items: list[dict], by: UUID) -> DutyList:
        village = self.load(Village, village_id)
        self.check_months_open(village.town_id, month, month, "its duty lists")
        duty = self.find(DutyList, DutyList.create_id(village.id, month))
        if duty is None:
            duty = DutyList(village_id=village.id, town_id=village.town_id, month=month, items=items, by=by)
        else:
            duty.revise(items, by)
        self.save(duty)
        return duty

    def standings(self, town_id: UUID, period: str, by: UUID) -> Standings:
        found = self.find(Standings, Standings.create_id(town_id, period))
        return found or Standings(town_id=town_id, period=period, by=by)

    # The period's lifecycle (R13)

    def check_months_open(self, town_id: UUID, first: str, last: str | None, what: str) -> None:
        """A closed month is read-only until reopened: refuse a change to anything dated from `first` to `last`
        (to every later month when `last` is None, as a track change or a new rulebook reaches them all)."""
        self.projector.catch_up("assessment")
        closed = [m for m, status in month_statuses(self.projector.store, str(town_id)).items()
                  if status == "closed" and first <= m and (last is None or m <= last)]
        if closed:
            raise RuleError(f"{closed[0]} is closed: reopen it with a reason to change {what}",
                            {"month": [f"{m} is closed" for m in closed]})

    def people_on(self, town_id: UUID, month: str) -> dict[str, dict]:
        """Every village of the town by id, named with the secretary in office on the month's last day (R14)
        and that secretary's account, for the interviews and notices of a period ending then."""
        self.projector.catch_up("people")
        store = self.projector.store
        secretaries = secretaries_on(store, str(town_id), last_day(month))
        return {v["village_id"]: {**v, "track": last_track(v, month), **secretaries.get(v["village_id"], {})}
                for v in villages_of(store, str(town_id))}

    def first_open_month(self, town_id: UUID) -> str:
        """The month after the town's last closed month; any month while none is closed."""
        self.projector.catch_up("assessment")
        closed = [m for m, status in month_statuses(self.projector.store, str(town_id)).items() if status == "closed"]
        return next_month(closed[-1]) if closed else FIRST_MONTH

    def close_blockers(self, town: Town, month: str) -> list[dict]:
        """What stands in the way of closing `month` now: the calendar, the order of months, missing inputs."""
        store, town_id = self.projector.store, str(town.id)
        statuses = month_statuses(store, town_id)
        found = []
        if statuses.get(month) == "closed":
            found.append(blocker("closed", f"{month} is already closed"))
        if month >= today().isoformat()[:7]:
            found.append(blocker("not_over", f"{month} is not over yet (Asia/Shanghai)"))
        return found + order_blockers(statuses, month) + input_blockers(store, town_id, month)

    def close_preview(self, town_id: UUID, month: str, by: UUID) -> dict:
        """What closing `month` would record now, and what blocks it; records nothing."""
        town = self.load(Town, town_id)
        self.projector.catch_up_all()
        blockers = self.close_blockers(town, month)
        closed = any(b["kind"] == "closed" for b in blockers)
        changed = [] if closed else self.close_plan(town, month, by)
        shortfalls = [] if closed else [{"pairing_id": r["pairing_id"], "offline": r["offline"], "required": r["required"]}
                                        for r in self.compliance(town.id, month) if not r["compliant"]]
        return {"period": month, "can_close": not blockers, "blockers": blockers,
                "board": self.monthly_board(town.id, month), "consequences": {**consequences(changed),
                                                                              "shortfalls": shortfalls}}

    # Closing and reopening

    @retried
    def close_month(self, town_id: UUID, month: str, by: UUID) -> None:
        """Record the standings and, in the same save, the interviews and sharing invitations they require."""
        town = self.load(Town, town_id)
        self.projector.catch_up_all()
        blockers = self.close_blockers(town, month)
        if blockers:
            raise RuleError(f"{month} cannot close: {'; '.join(b['message'] for b in blockers)}", blocker_errors(blockers))
        self.save(*self.close_plan(town, month, by))

    def close_plan(self, town: Town, month: str, by: UUID) -> list:
        """The standings and every consequence a close records, unsaved."""
        book = Rulebook.of(town.rulebook_for(month))
        board = self.live_month(town, month, book)
        standings = self.standings(town.id, month, by)
        before = {key: standings.listed(key) for key in ("bottom", "top", "improved")}
        standings.close(board, book.version, by)
        villages = self.people_on(town.id, month)
        changed = [standings]
        changed += self.settle_interviews(town.id, "monthly", month, before["bottom"], board, villages, by)
        changed += self.settle_sharings(town.id, month, before, board, by)
        changed += self.close_periods(town, month, board, by)
        changed += self.consequence_notices(town.id, changed, villages, by)
        changed += self.shortfalls(town, month, villages, by)
        return changed

    @retried
    def reopen_month(self, town_id: UUID, month: str, reason: str, by: UUID) -> None:
        standings = self.find(Standings, Standings.create_id(self.load(Town, town_id).id, month))
        if standings is None:
            raise RuleError(f"{month} is not closed")
        standings.reopen(reason, by)
        self.save(standings)

    def close_periods(self, town: Town, month: str, board: dict, by: UUID) -> list:
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
        book = Rulebook.of(town.rulebook_for(months[-1]))
        villages = self.people_on(town.id, months[-1])
        result = self.period_result(town.id, period, months, level, book, fresh)
        standings = self.standings(town.id, period, by)
        before = standings.listed("bottom")
        if standings.closed:
            standings.reopen(f"{', '.join(sorted(fresh))} 重新关账，更新{period}排名", by)
        standings.close(result, book.version, by)
        return [standings] + self.settle_interviews(town.id, level, period, before, result, villages, by)

    def period_result(self, town_id, period, months, level, book, fresh: dict | None = None) -> dict:
        found = {p: row["board"] for p, row in closed_periods(self.projector.store, str(town_id), period[:4] + "-").items()
                 if p in months}
        found.update(fresh or {})
        result = boards.period_board([found[m] for m in sorted(found)], book, self.members(town_id, months[-1]))
        return boards.annual_grades(result, book) if level == "annual" else result

    def members(self, town_id: UUID, month: str) -> set[str]:
        """The villages a quarter or year ranks: those still taking part in its last month (a merged village leaves)."""
        return {v["village_id"] for v in villages_in(self.projector.store, str(town_id), month)}

    def is_closed(self, town_id: UUID, period: str) -> bool:
        found = recorded(self.projector.store, str(town_id), period)
        return bool(found) and found["status"] == "closed"

    # Consequences

    def settle_interviews(self, town_id, level, period, before: set, board: dict, villages: dict, by) -> list:
        """New bottom villages are required; villages no longer at the bottom are withdrawn, with a reason."""
        rows = {r["village_id"]: r for rows in board["tracks"].values() for r in rows}
        now = {v for ids in board["bottom"].values() for v in ids}
        changed = []
        for village_id in sorted(now - before):
            row = rows[village_id]
            score = row.get("composite", row.get("score"))
            found = self.find(Interview, Interview.create_id(town_id, level, period, village_id))
            if found is None:
                found = Interview(town_id=town_id, level=level, period=period, village_id=village_id,
                                  secretary=villages[village_id]["secretary"], track=row["track"], rank=row["rank"],
                                  score=score, by=by)
            else:
                found.require_again(row["rank"], score, by)
            changed.append(found)
        for village_id in sorted(before - now):
            found = self.load(Interview, Interview.create_id(town_id, level, period, village_id))
            if found.status in ("required", "scheduled"):
                found.withdraw(f"{period}排名重新确定后，不再位列后{len(board['bottom'])}名", by)
                changed.append(found)
        return changed

    def settle_sharings(self, town_id, period, before: dict, board: dict, by) -> list:
        reasons = {v: "improved" for ids in board["improved"].values() for v in ids}
        reasons.update({v: "top" for ids in board["top"].values() for v in ids})
        invited_before = before["top"] | before["improved"]
        changed = []
        for village_id in sorted(set(reasons) - invited_before):
            found = self.find(Sharing, Sharing.create_id(town_id, period, village_id))
            if found is None:
                found = Sharing(town_id=town_id, period=period, village_id=village_id, reason=reasons[village_id], by=by)
            else:
                found.invite_again(reasons[village_id], by)
            changed.append(found)
        for village_id in sorted(invited_before - set(reasons)):
            found = self.load(Sharing, Sharing.create_id(town_id, period, village_id))
            found.withdraw(f"{period}排名重新确定后，不再位列前列或进步明显", by)
            changed.append(found)
        return changed

    # Boards

    def live_month(self, town: Town, month: str, book: Rulebook) -> dict:
        return boards.monthly_board(self.month_entries(town.id, month), book, self.previous_rows(town.id, month))

    def month_entries(self, town_id: UUID, month: str) -> list[Entry]:
        store = self.projector.store
        duty = duty_totals(store, str(town_id), month)
        scores = month_scores(store, str(town_id), month)
        return [entry(v, duty.get(v["village_id"]), scores.get(v["village_id"]))
                for v in villages_in(store, str(town_id), month)]

    def previous_rows(self, town_id: UUID, month: str) -> dict[str, dict]:
        earlier = [p for p in closed_periods(self.projector.store, str(town_id), "").items()
                   if len(p[0]) == 7 and p[0][5] != "Q" and p[0] < month]
        if not earlier:
            return {}
        board = earlier[-1][1]["board"]
        return {r["village_id"]: r for rows in board["tracks"].values() for r in rows}

    def monthly_board(self, town_id: UUID, month: str) -> dict:
        """Provisional while open; when closed, the recorded standings, flagged if a later correction changed them."""
        town = self.load(Town, town_id)
        self.projector.catch_up_all()
        book = Rulebook.of(town.rulebook_for(month))
        live = self.live_month(town, month, book)
        found = recorded(self.projector.store, str(town.id), month)
        board = {"town_id": town.id, "period": month, "status": "provisional", "revision": 0,
                 "rulebook_version": book.version, **live, "stale": False, "changes": []}
        if found and found["status"] == "closed":
            changes = differences(found["board"], live)
            board.update(found["board"], status="closed", revision=found["revision"],
                         rulebook_version=found["rulebook_version"], stale=bool(changes), changes=changes)
        return board

    def quarterly_board(self, town_id: UUID, quarter: str) -> dict:
        return self.period_view(town_id, quarter, months_of_quarter(quarter), "quarterly")

    def annual_assessment(self, town_id: UUID, year: str) -> dict:
        return self.period_view(town_id, year, months_of_year(year), "annual")

    def what_if_assessment(self, town_id: UUID, year: str, version: int) -> dict:
        """The year's closed months recomputed under another rulebook version from their published inputs.

        Contest scores stay as published (their panel trimming is part of the contest's result);
        weights, cut-offs and grade quotas come from `version`.
        """
        town = self.load(Town, town_id)
        self.projector.catch_up_all()
        book = Rulebook.of(town.rulebook_version(version))
        months = [m for m in closed_periods(self.projector.store, str(town.id), year + "-") if m in months_of_year(year)]
        monthly = [boards.monthly_board(self.month_entries(town.id, m), book, {}) for m in months]
        result = boards.annual_grades(boards.period_board(monthly, book, self.members(town.id, year + "-12")), book)
        return {"town_id": town.id, "period": year, "status": "what-if", "revision": 0, "rulebook_version": version,
                **result}

    def period_view(self, town_id: UUID, period: str, months: list[str], level: str) -> dict:
        town = self.load(Town, town_id)
        self.projector.catch_up_all()
        found = recorded(self.projector.store, str(town.id), period)
        if found and found["status"] == "closed":
            return {"town_id": town.id, "period": period, "status": "closed", "revision": found["revision"],
                    "rulebook_version": found["rulebook_version"], **found["board"]}
        book = Rulebook.of(town.rulebook_for(months[-1]))
        result = self.period_result(town.id, period, months, level, book)
        return {"town_id": town.id, "period": period, "status": "provisional", "revision": 0,
                "rulebook_version": book.version, **result}


def entry(village: dict, duty: str | None, result: dict | None) -> Entry:
    """R10's inputs: published duty total; contest score, None when the village has none that counts."""
    flags = [] if duty is not None else ["no_duty_list"]
    contest = None if result is None else result["score"]
    flags += ["no_contest"] if result is None else sorted(CONTEST_FLAGS & set(result["flags"]))
    return Entry(village_id=village["village_id"], code=village["code"], name=village["name"], track=village["track"],
                 duty=published(Decimal(duty)) if duty is not None else Decimal("0.00"), contest=contest,
                 flags=tuple(flags))


def last_track(village: dict, month: str) -> str:
    """The track of `month`, or the last one the village was on (a retired village keeps its name in notices)."""
    tracks = [t["track"] for t in json.loads(village["tracks"]) if t["effective_from"] <= month and t["track"]]
    return tracks[-1] if tracks else json.loads(village["tracks"])[0]["track"]


def blocker(kind: str, message: str, villages=(), contests=(), appeals=()) -> dict:
    return {"kind": kind, "message": message, "villages": list(villages), "contests": list(contests),
            "appeals": list(appeals)}


def input_blockers(store, town_id: str, month: str) -> list[dict]:
    """The month's inputs: a duty list for every village taking part, no open appeal, every contest settled."""
    found = []
    duty = duty_totals(store, town_id, month)
    missing = [v["code"] for v in villages_in(store, town_id, month) if v["village_id"] not in duty]
    if missing:
        found.append(blocker("duty_lists_missing", f"no duty list for {len(missing)} villages: enter each score, "
                             "0 included", villages=missing))
    appeals = open_appeals(store, town_id, month)
    if appeals:
        found.append(blocker("appeals_open", f"{len(appeals)} appeals on the contests of {month} are not yet resolved",
                             appeals=appeals))
    unsettled = [c["contest_id"] for c in contests_of_month(store, town_id, month)
                 if c["stage"] not in ("published", "cancelled")]
    if unsettled:
        found.append(blocker("contests_unsettled", f"{len(unsettled)} contests of {month} are neither published "
                             "nor cancelled", contests=unsettled))
    return found


def order_blockers(statuses: dict[str, str], month: str) -> list[dict]:
    """Months close in order from the town's first closed month; a reopened month must close again first."""
    if not statuses:
        return []
    first = min(statuses)
    if month < first:
        return [blocker("out_of_order", f"months close in order, and the town's first closed month is {first}")]
    gap = first_open(statuses, first, month)
    if gap:
        return [blocker("previous_open", f"close {gap} first: months close in order")]
    return []


def first_open(statuses: dict[str, str], first: str, month: str) -> str | None:
    """The earliest month from `first` up to `month` (excluded) that is not closed; steps over closed months only."""
    while first < month and len(first) == 7:
        if statuses.get(first) != "closed":
            return first
        first = next_month(first)
    return None


def blocker_errors(blockers: list[dict]) -> dict[str, list[str]]:
    """The 409's `errors`: what is in the way, by what a client would show."""
    errors = {"month": [b["message"] for b in blockers if not (b["villages"] or b["contests"] or b["appeals"])]}
    for key in ("villages", "contests", "appeals"):
        errors[key] = [item for b in blockers for item in b[key]]
    return {key: items for key, items in errors.items() if items}


def consequences(changed: list) -> dict:
    """The interviews and sharing invitations among a close's changes, as the preview shows them."""
    interviews = [{"id": i.id, "village_id": i.village_id, "level": i.level, "period": i.period, "secretary": i.secretary,
                   "conductor": i.conductor, "rank": i.rank, "score": i.score}
                  for i in changed if isinstance(i, Interview) and i.status == "required"]
    sharings = [{"id": s.id, "village_id": s.village_id, "period": s.period, "reason": s.reason}
                for s in changed if isinstance(s, Sharing) and s.status == "invited"]
    withdrawn = [{"id": w.id, "village_id": w.village_id, "period": w.period, "kind": type(w).__name__.lower()}
                 for w in changed if isinstance(w, (Interview, Sharing)) and w.status == "withdrawn"]
    return {"interviews": interviews, "sharings": sharings, "withdrawn": withdrawn}


def differences(recorded_board: dict, live: dict) -> list[dict]:
    """Villages whose composite today differs from the one recorded at the close."""
    then = {r["village_id"]: r["composite"] for rows in recorded_board["tracks"].values() for r in rows}
    today = {r["village_id"]: r["composite"] for rows in live["tracks"].values() for r in rows}
    return [{"village_id": v, "recorded": then.get(v), "live": today.get(v)}
            for v in sorted(set(then) | set(today)) if then.get(v) != today.get(v)]


class ConsequenceUseCases:
    """Mixed into the Application: interviews (约谈) and sharing invitations (经验分享)."""

    def interviews(self, town_id: UUID, level: str | None, status: str | None) -> list[dict]:
        self.load(Town, town_id)
        self.projector.catch_up("consequences")
        rows = self.projector.store.query("SELECT * FROM interviews WHERE town_id = ? ORDER BY period, level, track, rank",
                                          (str(town_id),))
        days = Rulebook.of(self.load(Town, town_id).rulebook).overdue_days
        return [{**interview_out(r), "overdue": r["status"] in ("required", "scheduled") and overdue(r["required_at"], today(), days)}
                for r in rows if level in (None, r["level"]) and status in (None, r["status"])]

    def sharings(self, town_id: UUID, period: str | None) -> list[dict]:
        self.load(Town, town_id)
        self.projector.catch_up("consequences")
        self.projector.catch_up("followups")
        rows = self.projector.store.query("SELECT * FROM sharings WHERE town_id = ? ORDER BY period, reason, village_id",
                                          (str(town_id),))
        delivered = {r["about_id"] for r in self.projector.store.query(
            "SELECT about_id FROM followups WHERE town_id = ? AND kind = 'sharing_invited' AND status = 'delivered'",
            (str(town_id),))}
        return [{"id": r["sharing_id"], "village_id": r["village_id"], "period": r["period"], "reason": r["reason"],
                 "status": "delivered" if r["status"] == "invited" and r["sharing_id"] in delivered else r["status"]}
                for r in rows if period in (None, r["period"])]

    def interview(self, interview_id: UUID) -> dict:
        found = self.load(Interview, interview_id)
        return {"id": found.id, "village_id": found.village_id, "secretary": found.secretary, "level": found.level,
                "period": found.period, "conductor": found.conductor, "status": found.status, "rank": found.rank,
                "score": found.score, "track": found.track, "pledge": getattr(found, "pledge", None)}

    @retried
    def schedule_interview(self, interview_id: UUID, at, by: UUID) -> dict:
        return self.change_interview(interview_id, lambda i: i.schedule(at, by))

    @retried
    def hold_interview(self, interview_id: UUID, held_at, minutes: str, by: UUID, pledge: str | None = None) -> dict:
        return self.change_interview(interview_id, lambda i: i.hold(held_at, minutes, by, pledge))

    @retried
    def hold_sharing(self, sharing_id: UUID, on: str, summary: str, by: UUID) -> dict:
        sharing = self.load(Sharing, sharing_id)
        sharing.hold(on, summary, by)
        self.save(sharing)
        return {"id": sharing.id, "village_id": sharing.village_id, "period": sharing.period, "reason": sharing.reason,
                "status": sharing.status, "held_on": sharing.held_on, "summary": sharing.summary}

    @retried
    def waive_interview(self, interview_id: UUID, reason: str, by: UUID) -> dict:
        return self.change_interview(interview_id, lambda i: i.waive(reason, by))

    def change_interview(self, interview_id: UUID, change) -> dict:
        found = self.load(Interview, interview_id)
        change(found)
        self.save(found)
        return self.interview(found.id)


def interview_out(row: dict) -> dict:
    return {"id": row["interview_id"], "village_id": row["village_id"], "secretary": row["secretary"],
            "level": row["level"], "period": row["period"], "conductor": row["conductor"], "status": row["status"],
            "rank": row["rank"], "score": None if row["score"] in (None, "None") else Decimal(row["score"]),
            "track": row["track"]}
