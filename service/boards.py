"""Queries of the boards: a month live or as closed, a quarter, the year, and the what-if under another rulebook."""

from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import Mapping
from uuid import UUID

from domain import boards
from domain.boards import Board, Entry, MonthRow
from domain.periods import months_of_quarter, months_of_year
from domain.rulebook import Rulebook
from domain.rules import published
from domain.town import Town
from projections.assessment import closed_periods, decoded_board, duty_totals, last_closed_month, recorded
from projections.directory import taking_part, villages_in, villages_of
from projections.results import month_scores

CONTEST_FLAGS = {"excused", "absent", "no_sheets"}


class BoardQueries:
    """Mixed into the Application: the boards, from the read models."""

    def live_month(self, town: Town, month: str, book: Rulebook, entries: list[Entry] | None = None) -> Board:
        """The board from `entries` when the caller has read them already."""
        entries = self.month_entries(town.id, month) if entries is None else entries
        return boards.monthly_board(entries, book, self.previous_rows(town.id, month))

    def month_entries(self, town_id: UUID, month: str, villages: list[dict] | None = None) -> list[Entry]:
        """From `villages`, the town's rows of villages_of, when the caller has read them already."""
        store = self.projector.store
        villages = villages_of(store, str(town_id)) if villages is None else villages
        duty = duty_totals(store, str(town_id), month)
        scores = month_scores(store, str(town_id), month)
        return [entry(v, duty.get(v["village_id"]), scores.get(v["village_id"])) for v in taking_part(villages, month)]

    def previous_rows(self, town_id: UUID, month: str) -> Mapping[str, MonthRow]:
        """The rows of the town's latest closed month before `month`. A revision's board never changes, so the
        one this process recorded or decoded last is kept, and the next month's close need not read or decode it
        again: the period and revision are read first, the board only when they are not the kept ones."""
        store, kept = self.projector.store, self.closed_boards.get(str(town_id))
        found = last_closed_month(store, str(town_id), month, board=False)
        if found is not None and kept is not None and kept[0] == (found["period"], found["revision"]):
            return kept[1]
        found = found and last_closed_month(store, str(town_id), month)
        if found is None:
            return {}
        key = (found["period"], found["revision"])
        if kept is None or kept[0] != key:
            kept = self.keep_board(town_id, *key, Board.from_dict(decoded_board(found["board"])))
        return kept[1]

    def keep_board(self, town_id: UUID, period: str, revision: int, board: Board) -> tuple:
        kept = ((period, revision), MappingProxyType(board.rows()))
        self.closed_boards[str(town_id)] = kept
        return kept

    @cached_property
    def closed_boards(self) -> dict[str, tuple]:
        """By town: the last closed month's (period, revision) and rows that this process saw."""
        return {}

    def monthly_board(self, town_id: UUID, month: str) -> dict:
        """Provisional while open; when closed, the recorded standings, flagged if a later correction changed them."""
        town = self.read(Town, town_id)
        self.projector.catch_up_all()
        book = town.rulebook_for(month)
        return self.month_view(town, month, book, self.live_month(town, month, book))

    def month_view(self, town: Town, month: str, book: Rulebook, live: Board) -> dict:
        """The monthly board as shown, with `live` the board from the read models now."""
        found = recorded(self.projector.store, str(town.id), month)
        board = {"town_id": town.id, "period": month, "status": "provisional", "revision": 0,
                 "rulebook_version": book.version, **live.as_dict(), "stale": False, "changes": []}
        if found and found["status"] == "closed":
            changes = differences(Board.from_dict(found["board"]), live)
            board.update(found["board"], status="closed", revision=found["revision"],
                         rulebook_version=found["rulebook_version"], stale=bool(changes), changes=changes)
        return board

    def quarterly_board(self, town_id: UUID, quarter: str) -> dict:
        """The monthly board's shape (API.md): a quarter ranks by composite (R9) and has no improvement (R7 is monthly)."""
        board = self.period_view(town_id, quarter, months_of_quarter(quarter), "quarterly")
        return {**board, "basis": "composite", "improved": {track: [] for track in board["tracks"]}}

    def annual_assessment(self, town_id: UUID, year: str) -> dict:
        return self.period_view(town_id, year, months_of_year(year), "annual")

    def what_if_assessment(self, town_id: UUID, year: str, version: int) -> dict:
        """The year's closed months recomputed under another rulebook version from their published inputs.

        Contest scores stay as published (their panel trimming is part of the contest's result);
        weights, cut-offs and grade quotas come from `version`.
        """
        town = self.read(Town, town_id)
        self.projector.catch_up_all()
        book = town.rulebook_version(version)
        months = [m for m in closed_periods(self.projector.store, str(town.id), year + "-") if m in months_of_year(year)]
        monthly = [boards.monthly_board(self.month_entries(town.id, m), book, {}) for m in months]
        result = boards.annual_grades(boards.period_board(monthly, book, self.members(town.id, year + "-12")), book)
        return {"town_id": town.id, "period": year, "status": "what-if", "revision": 0, "rulebook_version": version,
                **result.as_dict()}

    def period_view(self, town_id: UUID, period: str, months: list[str], level: str) -> dict:
        town = self.read(Town, town_id)
        self.projector.catch_up_all()
        found = recorded(self.projector.store, str(town.id), period)
        if found and found["status"] == "closed":
            return {"town_id": town.id, "period": period, "status": "closed", "revision": found["revision"],
                    "rulebook_version": found["rulebook_version"], **found["board"]}
        book = town.rulebook_for(months[-1])
        result = self.period_result(town.id, period, months, level, book)
        return {"town_id": town.id, "period": period, "status": "provisional", "revision": 0,
                "rulebook_version": book.version, **result.as_dict()}

    def period_result(self, town_id, period, months, level, book, fresh: dict[str, Board] | None = None) -> Board:
        closed = closed_periods(self.projector.store, str(town_id), period[:4] + "-")
        found = {p: Board.from_dict(row["board"]) for p, row in closed.items() if p in months}
        found.update(fresh or {})
        result = boards.period_board([found[m] for m in sorted(found)], book, self.members(town_id, months[-1]))
        return boards.annual_grades(result, book) if level == "annual" else result

    def members(self, town_id: UUID, month: str) -> set[str]:
        """The villages a quarter or year ranks: those still taking part in its last month (a merged village leaves)."""
        return {v["village_id"] for v in villages_in(self.projector.store, str(town_id), month)}


def entry(village: dict, duty: str | None, result: dict | None) -> Entry:
    """R10's inputs: published duty total; contest score, None when the village has none that counts."""
    flags = [] if duty is not None else ["no_duty_list"]
    contest = None if result is None else result["score"]
    flags += ["no_contest"] if result is None else sorted(CONTEST_FLAGS & set(result["flags"]))
    return Entry(village_id=village["village_id"], code=village["code"], name=village["name"], track=village["track"],
                 duty=published(Decimal(duty)) if duty is not None else Decimal("0.00"), contest=contest,
                 flags=tuple(flags))



def differences(recorded_board: Board, live: Board) -> list[dict]:
    """Villages whose composite today differs from the one recorded at the close."""
    then = {v: r.composite for v, r in recorded_board.rows().items()}
    today = {v: r.composite for v, r in live.rows().items()}
    return [{"village_id": v, "recorded": then.get(v), "live": today.get(v)}
            for v in sorted(set(then) | set(today)) if then.get(v) != today.get(v)]
