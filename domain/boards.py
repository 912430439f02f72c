"""Boards as pure functions: the monthly composite and ranks (R3-R7, R10), quarters and the year (R9, R11)."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

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


def composite(duty: Decimal, contest: Decimal | None, book: Rulebook) -> Decimal:
    """R10: from the published figures, so anyone can check it by hand."""
    if contest is None:
        return duty
    return published(book.duty_weight * duty + book.contest_weight * contest)


def monthly_board(entries: list[Entry], book: Rulebook, previous: dict[str, dict]) -> dict:
    """Per track: rows in display order (R4) with their composite rank (R3) and contest rank; the top,
    bottom (R5) and improved (R7) taken on the rulebook's basis (R9).

    `previous` holds each village's row of the previous closed month.
    """
    board = {"basis": book.monthly_basis, "tracks": {}, "top": {}, "bottom": {}, "improved": {}}
    for track in TRACKS:
        rows = [month_row(e, book) for e in entries if e.track == track]
        if rows:
            add_track(board, track, rows, book, previous)
    return board


def add_track(board: dict, track: str, rows: list[dict], book: Rulebook, previous: dict[str, dict]) -> None:
    standing = ranked(rows, lambda r: r["composite"], display_order)
    for rank, row in standing:
        row["rank"] = rank
    contested = ranked([r for r in rows if r["contest"] is not None], lambda r: r["contest"], contest_order)
    for rank, row in contested:
        row["contest_rank"] = rank
    basis = contested if book.monthly_basis == "contest" else standing
    leaders, laggards = sides(basis, book.top_n, book.bottom_n)
    listed = {r["village_id"] for r in leaders + laggards}
    for _, row in basis:
        before = previous.get(row["village_id"])
        row["improved"] = row["village_id"] not in listed and improved(row, before, book)
    for row in rows:
        mark_previous(row, previous.get(row["village_id"]))
    board["tracks"][track] = [row for _, row in standing]
    board["top"][track] = [r["village_id"] for r in leaders]
    board["bottom"][track] = [r["village_id"] for r in laggards]
    board["improved"][track] = [r["village_id"] for _, r in basis if r["improved"]]


def month_row(entry: Entry, book: Rulebook) -> dict:
    return {"village_id": entry.village_id, "code": entry.code, "name": entry.name, "track": entry.track,
            "duty": entry.duty, "contest": entry.contest, "composite": composite(entry.duty, entry.contest, book),
            "rank": None, "contest_rank": None, "previous_rank": None, "previous_contest_rank": None,
            "improved": False, "flags": list(entry.flags)}


def display_order(row: dict) -> tuple:
    """R4: higher composite, then higher duty score, then higher contest score, then village code."""
    return (-row["composite"], -row["duty"], -(row["contest"] or 0), row["code"])


def contest_order(row: dict) -> tuple:
    return (-row["contest"], row["code"])


def mark_previous(row: dict, before: dict | None) -> None:
    """The ranks of the previous closed month, when the village was on the same track."""
    if before is not None and before["track"] == row["track"]:
        row["previous_rank"] = before["rank"]
        row["previous_contest_rank"] = before.get("contest_rank")


def improved(row: dict, before: dict | None, book: Rulebook) -> bool:
    """R7 on the basis of R9: rank up by the rulebook's places or score up by its points, against the
    previous closed month on the same track. Without a rank on that basis last month there is nothing
    to compare against, so no improvement can be shown."""
    if before is None or before["track"] != row["track"]:
        return False
    if book.monthly_basis == "composite":
        return climbed(before["rank"], row["rank"], before["composite"], row["composite"], book)
    if before.get("contest_rank") is None:
        return False
    return climbed(before["contest_rank"], row["contest_rank"], before["contest"], row["contest"], book)


def climbed(rank_then: int, rank_now: int, score_then, score_now: Decimal, book: Rulebook) -> bool:
    return rank_then - rank_now >= book.improve_rank_places or score_now - Decimal(score_then) >= book.improve_points


def period_board(months: list[dict], book: Rulebook, members: set[str] | None = None) -> dict:
    """Quarter or year: each village's mean composite over the closed months it appears in (R9, R11).

    `months` are monthly boards in month order; a village's track is the one of its latest month.
    `members`, when given, are the villages still taking part at the period's end (R14: a village
    that left the programme is not ranked).
    """
    seen: dict[str, dict] = {}
    for board in months:
        for rows in board["tracks"].values():
            for row in rows:
                if members is not None and row["village_id"] not in members:
                    continue
                village = seen.setdefault(row["village_id"], {"composites": []})
                village.update(village_id=row["village_id"], code=row["code"], name=row["name"], track=row["track"])
                village["composites"].append(Decimal(row["composite"]))
    result = {"tracks": {}, "top": {}, "bottom": {}}
    for track in TRACKS:
        rows = [period_row(v) for v in seen.values() if v["track"] == track]
        if not rows:
            continue
        standing = ranked(rows, lambda r: r["score"], lambda r: (-r["score"], r["code"]))
        for rank, row in standing:
            row["rank"] = rank
        leaders, laggards = sides(standing, book.top_n, book.bottom_n)
        result["tracks"][track] = [row for _, row in standing]
        result["top"][track] = [r["village_id"] for r in leaders]
        result["bottom"][track] = [r["village_id"] for r in laggards]
    return result


def period_row(village: dict) -> dict:
    composites = village["composites"]
    score = published(sum(composites, Decimal(0)) / len(composites))
    return {"village_id": village["village_id"], "code": village["code"], "name": village["name"],
            "track": village["track"], "score": score, "rank": None, "months": len(composites)}


def annual_grades(year: dict, book: Rulebook) -> dict:
    """R11: 优秀 for the top share of each track (at least 1, ties included); 较差 for the bottom N taken as
    in R5 (at most half the track), never a village graded 优秀; 良好 the rest."""
    for track, rows in year["tracks"].items():
        standing = [(row["rank"], row) for row in rows]
        share = int((book.excellent_share * len(rows)).to_integral_value(rounding=ROUND_FLOOR))
        excellent = {r["village_id"] for r in top(standing, max(1, share))}
        poor = {r["village_id"] for r in sides(standing, book.top_n, book.bottom_n)[1]} - excellent
        for row in rows:
            row["grade"] = "excellent" if row["village_id"] in excellent else "poor" if row["village_id"] in poor else "good"
        year["bottom"][track] = [r["village_id"] for r in rows if r["grade"] == "poor"]
        year.setdefault("awards", {})[track] = [r["village_id"] for r in rows if r["grade"] == "excellent"]
    return year
