"""Judge analytics (R10) as pure functions: severity, marks outside the corridor, Kendall's W.

`totals` is a contest's sheet totals, {village_id: {judge_id: total}}.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import groupby

from .rules import panel_score

CORRIDOR = Decimal("0.15")


@dataclass(frozen=True)
class OutsideMark:
    village_id: str
    total: Decimal
    others_mean: Decimal


@dataclass(frozen=True)
class JudgeProfile:
    """评委宽严度: a judge's severity, the mean of their total minus the other judges' trimmed mean
    (below 0: stricter than the rest of the panel), and their marks outside the corridor."""

    judge_id: str
    severity: Decimal | None
    outside_corridor: tuple[OutsideMark, ...]


def others_mean(sheets: dict[str, Decimal], judge_id: str, tiers) -> Decimal | None:
    """R1 applied to the other judges' totals for one village."""
    return panel_score({j: t for j, t in sheets.items() if j != judge_id}, tiers).score


def judge_profile(totals: dict[str, dict[str, Decimal]], judge_id: str, scale: Decimal, tiers) -> JudgeProfile:
    """`scale` is the contest's maximum total; the corridor is 15% of it; `tiers` are R1's."""
    pairs = {village: (sheets[judge_id], others_mean(sheets, judge_id, tiers))
             for village, sheets in sorted(totals.items()) if judge_id in sheets and len(sheets) > 1}
    gaps = [total - mean for total, mean in pairs.values()]
    severity = sum(gaps, Decimal(0)) / len(gaps) if gaps else None
    outside = tuple(OutsideMark(village, total, mean) for village, (total, mean) in pairs.items()
                    if abs(total - mean) > CORRIDOR * scale)
    return JudgeProfile(judge_id, severity, outside)


def average_ranks(marks: dict[str, Decimal]) -> dict[str, Fraction]:
    """Ranks from 1 (lowest) up; tied items share the mean of the ranks they span."""
    ranks: dict[str, Fraction] = {}
    start = 1
    for _, group in groupby(sorted(marks, key=marks.get), key=marks.get):
        tied = list(group)
        ranks.update(dict.fromkeys(tied, Fraction(2 * start + len(tied) - 1, 2)))
        start += len(tied)
    return ranks


def tie_term(marks: dict[str, Decimal]) -> int:
    """T = sum of t^3 - t over the groups of t tied marks."""
    sizes = [len(list(group)) for _, group in groupby(sorted(marks.values()))]
    return sum(t ** 3 - t for t in sizes)


def kendall_w(totals: dict[str, dict[str, Decimal]]) -> Decimal | None:
    """Kendall's W with the tie correction: judges as raters, villages as items.

    The raters are the judges who handed in any sheet; the items, the villages every one of them
    scored. W = 12 S / (m^2 (n^3 - n) - m sum T). None with fewer than 2 of either, or when every
    judge tied every village.
    """
    judges = sorted({judge for sheets in totals.values() for judge in sheets})
    villages = sorted(v for v, sheets in totals.items() if all(j in sheets for j in judges))
    m, n = len(judges), len(villages)
    if m < 2 or n < 2:
        return None
    by_judge = [{v: totals[v][j] for v in villages} for j in judges]
    ranks = [average_ranks(marks) for marks in by_judge]
    sums = [sum(r[v] for r in ranks) for v in villages]
    mean = Fraction(m * (n + 1), 2)
    spread = sum((total - mean) ** 2 for total in sums)
    denominator = m * m * (n ** 3 - n) - m * sum(tie_term(marks) for marks in by_judge)
    if denominator == 0:
        return None
    w = 12 * spread / denominator
    return Decimal(w.numerator) / Decimal(w.denominator)
