"""Boards as pure functions: the monthly composite and ranks (R3-R7, R10), quarters and the year (R9, R11).

The functions take and return frozen dataclasses; `as_dict` is what a Standings event records and the API
shows, `from_dict` what a read model decodes.
"""

from dataclasses import dataclass, fields, replace
from decimal import ROUND_FLOOR, Decimal
from typing import Mapping

from .rulebook import Rulebook
from .rules import published, ranked, sides, top
from .village import TRACKS


GRADE_LABELS = {"excellent": "优秀", "good": "良好", "poor": "较差"}
BASIS_LABELS = {"contest": "擂台赛排名", "composite": "综合得分排名"}
FLAG_LABELS = {"no_duty_list": "未报职责清单", "no_contest": "本月无擂台", "excused": "请假", "absent": "缺席",
               "no_sheets": "无评分表", "few_sheets": "评分表不足3份", "incomplete": "评分表不全"}


@dataclass(frozen=True)
class Entry:
    """One village's published figures for one month; `contest` None when it has none that counts."""

    village_id: str
    code: str
    name: str
    track: str
    duty: Decimal
    contest: Decimal | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MonthRow(Entry):
    """A village's line on a monthly board: its entry's figures, its composite, its ranks now and in the
    previous closed month."""

    composite: Decimal
    rank: int | None = None
    contest_rank: int | None = None
    previous_rank: int | None = None
    previous_contest_rank: int | None = None
    improved: bool = False

    def as_dict(self) -> dict:
        """The recorded shape: the figures, then the ranks, flags last. A board records a thousand rows: the
        fields are copied from the instance's own dict, in its fields' order, when it holds them and nothing else."""
        row = self.__dict__.copy()
        if tuple(row) != MONTH_FIELDS:
            row = {name: getattr(self, name) for name in MONTH_FIELDS}
        row["flags"] = list(row.pop("flags"))
        return row

    @classmethod
    def from_dict(cls, row: dict) -> "MonthRow":
        """Keys a board recorded before they existed take their defaults."""
        known = {name: row[name] for name in MONTH_FIELDS if name in row}
        return cls(**{**known, "duty": Decimal(row["duty"]), "contest": decimal(row.get("contest")),
                      "composite": Decimal(row["composite"]), "flags": tuple(row.get("flags", ()))})


MONTH_FIELDS = tuple(f.name for f in fields(MonthRow))  # a board has a thousand rows: `fields` is asked once


@dataclass(frozen=True)
class PeriodRow:
    """A village's line on a quarter's or year's board: its mean composite; in the year, its grade."""

    village_id: str
    code: str
    name: str
    track: str
    score: Decimal
    rank: int | None = None
    months: int = 0
    grade: str | None = None

    def as_dict(self) -> dict:
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.grade is None:
            del row["grade"]
        return row

    @classmethod
    def from_dict(cls, row: dict) -> "PeriodRow":
        known = {f.name: row[f.name] for f in fields(cls) if f.name in row}
        return cls(**{**known, "score": Decimal(row["score"])})


Row = MonthRow | PeriodRow
Ids = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Board:
    """Per track: rows in display order, the top and bottom (village ids); a month's also its improved and
    the basis they were taken on (R9), the year's its awards (优秀)."""

    tracks: Mapping[str, tuple[Row, ...]]
    top: Ids
    bottom: Ids
    improved: Ids | None = None
    basis: str | None = None
    awards: Ids | None = None

    def as_dict(self) -> dict:
        board = {} if self.basis is None else {"basis": self.basis}
        board.update(tracks={t: [r.as_dict() for r in rows] for t, rows in self.tracks.items()},
                     top=lists(self.top), bottom=lists(self.bottom))
        if self.improved is not None:
            board["improved"] = lists(self.improved)
        if self.awards is not None:
            board["awards"] = lists(self.awards)
        return board

    @classmethod
    def from_dict(cls, board: dict) -> "Board":
        return cls(tracks={t: tuple(map(row_of, rows)) for t, rows in board["tracks"].items()},
                   top=tuples(board["top"]), bottom=tuples(board["bottom"]),
                   improved=tuples(board["improved"]) if "improved" in board else None,
                   basis=board.get("basis"), awards=tuples(board["awards"]) if "awards" in board else None)

    def rows(self) -> dict[str, Row]:
        """Every row by village id, over every track."""
        return {r.village_id: r for rows in self.tracks.values() for r in rows}

    def listed(self, key: str) -> set[str]:
        """Village ids in the top, bottom, improved or awards, over every track."""
        return {v for ids in (getattr(self, key) or {}).values() for v in ids}


def standing_score(row: Row) -> Decimal:
    """The score an interview names: a month's composite, a quarter's or year's mean composite."""
    return row.composite if isinstance(row, MonthRow) else row.score


def row_of(row: dict) -> Row:
    return MonthRow.from_dict(row) if "composite" in row else PeriodRow.from_dict(row)


def lists(ids: Ids) -> dict[str, list[str]]:
    return {track: list(v) for track, v in ids.items()}


def tuples(ids: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {track: tuple(v) for track, v in ids.items()}


def decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def composite(duty: Decimal, contest: Decimal | None, book: Rulebook) -> Decimal:
    """R10: from the published figures, so anyone can check it by hand."""
    if contest is None:
        return duty
    return published(book.duty_weight * duty + book.contest_weight * contest)


def monthly_board(entries: list[Entry], book: Rulebook, previous: Mapping[str, MonthRow]) -> Board:
    """Per track: rows in display order (R4) with their composite rank (R3) and contest rank; the top,
    bottom (R5) and improved (R7) taken on the rulebook's basis (R9).

    `previous` holds each village's row of the previous closed month.
    """
    by_track = [[month_row(e, book) for e in entries if e.track == track] for track in TRACKS]
    parts = [track_board(rows, book, previous) for rows in by_track if rows]
    return Board(tracks=joined(p.tracks for p in parts), top=joined(p.top for p in parts),
                 bottom=joined(p.bottom for p in parts), improved=joined(p.improved for p in parts),
                 basis=book.monthly_basis)


def joined(parts) -> dict:
    return {track: value for part in parts for track, value in part.items()}


def track_board(rows: list[MonthRow], book: Rulebook, previous: Mapping[str, MonthRow]) -> Board:
    """One track's board, keyed by its track."""
    track = rows[0].track
    standing = ranked(rows, lambda r: r.composite, display_order)
    contested = ranked([r for r in rows if r.contest is not None], lambda r: r.contest, contest_order)
    contest_ranks = {r.village_id: rank for rank, r in contested}
    placed = {r.village_id: replace(r, rank=rank, contest_rank=contest_ranks.get(r.village_id)) for rank, r in standing}
    basis = [(rank, placed[r.village_id]) for rank, r in (contested if book.monthly_basis == "contest" else standing)]
    leaders, laggards = sides(basis, book.top_n, book.bottom_n)
    listed = {r.village_id for r in leaders + laggards}
    improving = tuple(r.village_id for _, r in basis
                      if r.village_id not in listed and improved(r, previous.get(r.village_id), book))
    final = tuple(replace(placed[r.village_id], improved=r.village_id in improving,
                          **previous_ranks(r, previous.get(r.village_id))) for _, r in standing)
    return Board(tracks={track: final}, top={track: ids_of(leaders)}, bottom={track: ids_of(laggards)},
                 improved={track: improving})


def ids_of(rows: list[Row]) -> tuple[str, ...]:
    return tuple(r.village_id for r in rows)


def month_row(entry: Entry, book: Rulebook) -> MonthRow:
    return MonthRow(**{**vars(entry), "flags": tuple(entry.flags)}, composite=composite(entry.duty, entry.contest, book))


def display_order(row: MonthRow) -> tuple:
    """R4: higher composite, then higher duty score, then higher contest score, then village code."""
    return (-row.composite, -row.duty, -(row.contest or 0), row.code)


def contest_order(row: MonthRow) -> tuple:
    return (-row.contest, row.code)


def previous_ranks(row: MonthRow, before: MonthRow | None) -> dict:
    """The ranks of the previous closed month, when the village was on the same track."""
    if before is None or before.track != row.track:
        return {}
    return {"previous_rank": before.rank, "previous_contest_rank": before.contest_rank}


def improved(row: MonthRow, before: MonthRow | None, book: Rulebook) -> bool:
    """R7 on the basis of R9: rank up by the rulebook's places or score up by its points, against the
    previous closed month on the same track. Without a rank on that basis last month there is nothing
    to compare against, so no improvement can be shown."""
    if before is None or before.track != row.track:
        return False
    if book.monthly_basis == "composite":
        return climbed(before.rank, row.rank, before.composite, row.composite, book)
    if before.contest_rank is None:
        return False
    return climbed(before.contest_rank, row.contest_rank, before.contest, row.contest, book)


def climbed(rank_then: int, rank_now: int, score_then: Decimal, score_now: Decimal, book: Rulebook) -> bool:
    return rank_then - rank_now >= book.improve_rank_places or score_now - score_then >= book.improve_points


def period_board(months: list[Board], book: Rulebook, members: set[str] | None = None) -> Board:
    """Quarter or year: each village's mean composite over the closed months it appears in (R9, R11).

    `months` are monthly boards in month order; a village's track is the one of its latest month.
    `members`, when given, are the villages still taking part at the period's end (R14: a village
    that left the programme is not ranked).
    """
    seen: dict[str, list[MonthRow]] = {}
    for board in months:
        for rows in board.tracks.values():
            for row in rows:
                if members is None or row.village_id in members:
                    seen.setdefault(row.village_id, []).append(row)
    tracks, leading, trailing = {}, {}, {}
    for track in TRACKS:
        rows = [period_row(appearances) for appearances in seen.values() if appearances[-1].track == track]
        if not rows:
            continue
        standing = [(rank, replace(row, rank=rank))
                    for rank, row in ranked(rows, lambda r: r.score, lambda r: (-r.score, r.code))]
        leaders, laggards = sides(standing, book.top_n, book.bottom_n)
        tracks[track] = tuple(row for _, row in standing)
        leading[track], trailing[track] = ids_of(leaders), ids_of(laggards)
    return Board(tracks=tracks, top=leading, bottom=trailing)


def period_row(appearances: list[MonthRow]) -> PeriodRow:
    """The village as its latest month names it, scored on every month it appears in."""
    latest = appearances[-1]
    score = published(sum((r.composite for r in appearances), Decimal(0)) / len(appearances))
    return PeriodRow(village_id=latest.village_id, code=latest.code, name=latest.name, track=latest.track,
                     score=score, months=len(appearances))


def annual_grades(year: Board, book: Rulebook) -> Board:
    """R11: 优秀 for the top share of each track (at least 1, ties included); 较差 for the bottom N taken as
    in R5 (at most half the track), never a village graded 优秀; 良好 the rest."""
    tracks, trailing, awards = {}, dict(year.bottom), {}
    for track, rows in year.tracks.items():
        standing = [(row.rank, row) for row in rows]
        share = int((book.excellent_share * len(rows)).to_integral_value(rounding=ROUND_FLOOR))
        excellent = set(ids_of(top(standing, max(1, share))))
        poor = set(ids_of(sides(standing, book.top_n, book.bottom_n)[1])) - excellent
        tracks[track] = tuple(replace(r, grade=grade(r.village_id, excellent, poor)) for r in rows)
        trailing[track] = tuple(r.village_id for r in tracks[track] if r.grade == "poor")
        awards[track] = tuple(r.village_id for r in tracks[track] if r.grade == "excellent")
    # a year without villages records no awards at all
    return replace(year, tracks=tracks, bottom=trailing, awards=awards or None)


def grade(village_id: str, excellent: set[str], poor: set[str]) -> str:
    return "excellent" if village_id in excellent else "poor" if village_id in poor else "good"
