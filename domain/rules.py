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


def panel_score(totals: dict[str, Decimal], min_judges: int, drop: int) -> PanelScore:
    """R1: the mean of the judges' totals, dropping `drop` highest and lowest from `min_judges` up.

    Among equal totals the judge with the smaller id is dropped as the lowest and the judge with
    the larger id as the highest, so the choice is deterministic and checkable.
    """
    if not totals:
        return PanelScore(None, (), ("no_sheets",))
    ordered = sorted(totals.items(), key=lambda item: (item[1], item[0]))
    cut = drop if len(ordered) >= min_judges and len(ordered) > 2 * drop else 0
    trimmed = ordered[:cut] + ordered[len(ordered) - cut:]
    kept = ordered[cut:len(ordered) - cut]
    score = sum((total for _, total in kept), Decimal(0)) / len(kept)
    flags = ("few_sheets",) if len(ordered) < 3 else ()
    return PanelScore(score, tuple(judge for judge, _ in trimmed), flags)


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


def top(rows: Sequence[tuple[int, T]], n: int) -> list[T]:
    """R5: the top n, everyone tied at the line included."""
    return [item for rank, item in rows if rank <= n]


def bottom(rows: Sequence[tuple[int, T]], n: int) -> list[T]:
    """R5: the bottom n, worst first, everyone tied at the line included."""
    chosen: list[T] = []
    for _, group in groupby(reversed(rows), key=itemgetter(0)):
        if len(chosen) >= n:
            break
        chosen.extend(item for _, item in group)
    return chosen
