"""Which month a page shows when none is asked for, and the months around it."""

from uuid import UUID

from domain.periods import is_month
from projections.assessment import closed_periods

from ..followups import today
from .blueprint import leitai


def closed_months(town_id: UUID) -> list[str]:
    leitai().projector.catch_up("assessment")
    return [p for p in closed_periods(leitai().projector.store, str(town_id), "") if is_month(p)]


def default_month(town_id: UUID, closed: list[str]) -> str:
    """The month under way once it has a contest, else the last closed one; a town with nothing closed: this month."""
    current = today().isoformat()[:7]
    if not closed:
        return current
    following = next_month(closed[-1])
    return following if following <= current and leitai().contests_of(town_id, following) else closed[-1]


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"
