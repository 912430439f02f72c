"""The rulebook (规则): the rules in force for a town, versioned and effective from a month."""

from dataclasses import dataclass
from decimal import Decimal

from .errors import InvalidError

BASES = ("contest", "composite")
FIRST_MONTH = "2000-01"

DEFAULTS = {
    "weights": {"duty": Decimal("0.7"), "contest": Decimal("0.3")},
    "monthly_basis": "contest",
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
    # 职责清单: the items the town's office scores each village on every month, and their maximum.
    "duty_items": [{"item": "党建工作", "max": Decimal(30)}, {"item": "产业发展", "max": Decimal(25)},
                   {"item": "人居环境", "max": Decimal(20)}, {"item": "民生服务", "max": Decimal(15)},
                   {"item": "矛盾调解", "max": Decimal(10)}],
}


def first_rulebook() -> "Rulebook":
    return Rulebook.of({"version": 1, "effective_from": FIRST_MONTH, **DEFAULTS})


def next_rulebook(current: "Rulebook", changes: dict, effective_from: str) -> "Rulebook":
    """Carries over every rule the changes leave out; refuses a rulebook that could not be applied."""
    recorded = current.as_dict()
    merged = {**recorded, **changes, "weights": {**recorded["weights"], **changes.get("weights", {})}}
    check_rulebook(merged)
    return Rulebook.of({**merged, "version": current.version + 1, "effective_from": effective_from})


def check_rulebook(book: dict) -> None:
    """Weights of at least 0 adding up to 1.00 (so a composite stays on the 0-100 scale); a trim that keeps a sheet."""
    problems: dict[str, list[str]] = {}
    weights = [Decimal(w) for w in book["weights"].values()]
    if any(w < 0 for w in weights) or sum(weights) != 1:
        problems["weights"] = [f"duty and contest weights must be at least 0 and add up to 1.00, not {sum(weights)}"]
    tiers = trim_tiers(book["trim"])
    if not tiers or any(2 * drop >= min_judges for min_judges, drop in tiers):
        problems["trim"] = ["each tier must keep at least one sheet: drop fewer than half of min_judges from each end"]
    elif len({min_judges for min_judges, _ in tiers}) != len(tiers):
        problems["trim"] = ["give each min_judges once"]
    items = duty_items_of(book)
    if not items or len({i["item"] for i in items}) != len(items) or any(Decimal(i["max"]) <= 0 for i in items):
        problems["duty_items"] = ["name at least one item, each once, each with a maximum above 0"]
    if book.get("monthly_basis", "contest") not in BASES:
        problems["monthly_basis"] = [f"must be one of {', '.join(BASES)}"]
    if problems:
        raise InvalidError("the rulebook is invalid", problems)


def duty_items_of(book: dict) -> list[dict]:
    """The duty list's items; a rulebook recorded before they were kept has the defaults."""
    return book.get("duty_items") or DEFAULTS["duty_items"]


def trim_tiers(trim: dict | list) -> tuple[tuple[int, int], ...]:
    """R1's tiers as (min_judges, drop) pairs; one tier may be written as a single object."""
    tiers = [trim] if isinstance(trim, dict) else trim
    if not all(isinstance(t, dict) and {"min_judges", "drop"} <= t.keys() for t in tiers):
        raise InvalidError("the rulebook is invalid", {"trim": ["give each tier as {min_judges, drop}"]})
    return tuple(sorted((int(t["min_judges"]), int(t["drop"])) for t in tiers))


@dataclass(frozen=True)
class Rulebook:
    """A version of the rules, as the rule functions read it; `as_dict()` is what RulebookAdopted records.

    A rulebook recorded before `monthly_basis` existed reads as composite (the basis it was closed on),
    and one without `overdue_days` or `duty_items` with the defaults; `trim` reads as its tiers, written back as one object
    for one tier and as a list, smallest panel first, for several.
    """

    version: int
    effective_from: str
    duty_weight: Decimal
    contest_weight: Decimal
    top_n: int
    bottom_n: int
    improve_rank_places: int
    improve_points: Decimal
    monthly_basis: str
    trim: tuple[tuple[int, int], ...]
    excellent_share: Decimal
    exchanges_per_month: int
    reminder_days: tuple[int, ...]
    appeal_days: int
    overdue_days: int
    duty_items: tuple[tuple[str, Decimal], ...]

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
            monthly_basis=book.get("monthly_basis", "composite"),
            trim=trim_tiers(book["trim"]),
            excellent_share=Decimal(book["excellent_share"]),
            exchanges_per_month=book["exchanges_per_month"],
            reminder_days=tuple(book["reminder_days"]),
            appeal_days=book["appeal_days"],
            overdue_days=book.get("overdue_days", DEFAULTS["overdue_days"]),
            duty_items=tuple((i["item"], Decimal(i["max"])) for i in duty_items_of(book)),
        )

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "effective_from": self.effective_from,
            "weights": {"duty": self.duty_weight, "contest": self.contest_weight},
            "monthly_basis": self.monthly_basis,
            "top_n": self.top_n,
            "bottom_n": self.bottom_n,
            "improve_rank_places": self.improve_rank_places,
            "improve_points": self.improve_points,
            "trim": trim_record(self.trim),
            "excellent_share": self.excellent_share,
            "exchanges_per_month": self.exchanges_per_month,
            "reminder_days": list(self.reminder_days),
            "appeal_days": self.appeal_days,
            "overdue_days": self.overdue_days,
            "duty_items": [{"item": item, "max": top} for item, top in self.duty_items],
        }


def trim_record(tiers: tuple[tuple[int, int], ...]) -> dict | list[dict]:
    records = [{"min_judges": min_judges, "drop": drop} for min_judges, drop in tiers]
    return records[0] if len(records) == 1 else records
