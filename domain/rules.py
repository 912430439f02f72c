"""The programme's rules as pure functions: panel aggregation, rounding, ranking, cut-offs."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from operator import itemgetter
from typing import Callable, Sequence, TypeVar

CENT = Decimal("0.01")
T = TypeVar("T")


def published(value: Decimal) -> Decimal:
    """R2: figures are rounded half-up to 2 places only when published."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PanelScore:
    score: Decimal | None
    trimmed: tuple[str, ...]
    flags: tuple[str, ...]


def panel_score(totals: dict[str, Decimal], tiers: Sequence[tuple[int, int]]) -> PanelScore:
    """R1: the mean of the judges' totals, dropping as many highest and lowest as the tier the sheets reach.

    `tiers` are (min_judges, drop) pairs: 1+1 from 5 judges, 2+2 from 7; the largest tier reached applies.
    Among equal totals the judge with the smaller id is dropped as the lowest and the judge with
    the larger id as the highest, so the choice is deterministic and checkable.
    """
    if not totals:
        return PanelScore(None, (), ("no_sheets",))
    ordered = sorted(totals.items(), key=lambda item: (item[1], item[0]))
    cut = dropped(tiers, len(ordered))
    trimmed = ordered[:cut] + ordered[len(ordered) - cut:]
    kept = ordered[cut:len(ordered) - cut]
    score = sum((total for _, total in kept), Decimal(0)) / len(kept)
    flags = ("few_sheets",) if len(ordered) < 3 else ()
    return PanelScore(score, tuple(judge for judge, _ in trimmed), flags)


def dropped(tiers: Sequence[tuple[int, int]], sheets: int) -> int:
    """How many totals R1 drops from each end: the largest tier `sheets` reach, never every sheet."""
    reached = [(min_judges, drop) for min_judges, drop in tiers if min_judges <= sheets and 2 * drop < sheets]
    return max(reached)[1] if reached else 0


def competition_ranks(items: Sequence[T], score: Callable[[T], Decimal]) -> list[int]:
    """R3: standard competition ranking (1, 2, 2, 4), high first, for items already sorted high first."""
    ranks: list[int] = []
    for index, item in enumerate(items):
        tied = index and score(item) == score(items[index - 1])
        ranks.append(ranks[-1] if tied else index + 1)
    return ranks


def ranked(items: Sequence[T], score: Callable[[T], Decimal], order: Callable[[T], tuple]) -> list[tuple[int, T]]:
    """R3-R4: items sorted by `order` (display order among ties), each with its competition rank."""
    rows = sorted(items, key=order)
    return list(zip(competition_ranks(rows, score), rows))


def sides(rows: Sequence[tuple[int, T]], top_n: int, bottom_n: int) -> tuple[list[T], list[T]]:
    """R5: the top and the bottom of a ranking, never the same item on both.

    Each side takes at most half the ranking (⌊n/2⌋ places). The top is taken first: ranks up to
    min(top_n, ⌊n/2⌋), everyone tied at its line included, so a tie may carry it past half. The
    bottom is taken from what is left, the same way on the reversed ranking, everyone tied at its
    line included, but never past half: a tied group that would take it past half is left out whole
    (no draws for sanctions, and no more than half a track sanctioned).
    """
    half = len(rows) // 2
    chosen_top = top(rows, min(top_n, half))
    return chosen_top, bottom(rows[len(chosen_top):], min(bottom_n, half), half)


def top(rows: Sequence[tuple[int, T]], n: int) -> list[T]:
    """Ranks up to n, everyone tied at the line included; rows in rank order."""
    return [item for rank, item in rows if rank <= n]


def bottom(rows: Sequence[tuple[int, T]], n: int, most: int) -> list[T]:
    """The bottom n places, worst first, ties at the line included, as long as the whole stays within `most`."""
    chosen: list[T] = []
    for _, group in groupby(reversed(rows), key=itemgetter(0)):
        tied = [item for _, item in group]
        if len(chosen) >= n or len(chosen) + len(tied) > most:
            break
        chosen.extend(tied)
    return chosen
