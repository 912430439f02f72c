"""The rulebook (规则): the rules in force for a town, versioned and effective from a month."""

from dataclasses import dataclass
from decimal import Decimal

FIRST_MONTH = "2000-01"

DEFAULTS = {
    "weights": {"duty": Decimal("0.7"), "contest": Decimal("0.3")},
    "top_n": 3,
    "bottom_n": 3,
    "improve_rank_places": 3,
    "improve_points": Decimal("5.00"),
    "trim": {"min_judges": 5, "drop": 1},
    "excellent_share": Decimal("0.2"),
    "exchanges_per_month": 2,
    "reminder_days": [15, 25],
    "appeal_days": 3,
    "overdue_days": 10,
}


def first_rulebook() -> dict:
    return {"version": 1, "effective_from": FIRST_MONTH, **DEFAULTS}


def next_rulebook(current: dict, changes: dict, effective_from: str) -> dict:
    """Carries over every rule the changes leave out."""
    merged = {**current, **changes}
    for nested in ("weights", "trim"):
        merged[nested] = {**current[nested], **changes.get(nested, {})}
    return {**merged, "version": current["version"] + 1, "effective_from": effective_from}


@dataclass(frozen=True)
class Rulebook:
    """Typed access to a rulebook dict, for the rule functions."""

    version: int
    effective_from: str
    duty_weight: Decimal
    contest_weight: Decimal
    top_n: int
    bottom_n: int
    improve_rank_places: int
    improve_points: Decimal
    trim_min_judges: int
    trim_drop: int
    excellent_share: Decimal
    exchanges_per_month: int
    reminder_days: tuple[int, ...]
    appeal_days: int
    overdue_days: int

    @classmethod
    def of(cls, book: dict) -> "Rulebook":
        return cls(
            version=book["version"],
            effective_from=book["effective_from"],
            duty_weight=Decimal(book["weights"]["duty"]),
            contest_weight=Decimal(book["weights"]["contest"]),
            top_n=book["top_n"],
            bottom_n=book["bottom_n"],
            improve_rank_places=book["improve_rank_places"],
            improve_points=Decimal(book["improve_points"]),
            trim_min_judges=book["trim"]["min_judges"],
            trim_drop=book["trim"]["drop"],
            excellent_share=Decimal(book["excellent_share"]),
            exchanges_per_month=book["exchanges_per_month"],
            reminder_days=tuple(book["reminder_days"]),
            appeal_days=book["appeal_days"],
            overdue_days=book.get("overdue_days", DEFAULTS["overdue_days"]),
        )
