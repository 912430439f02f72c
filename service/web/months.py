"""Which month a page shows when none is asked for, the months around it, and periods asked for in the address."""

from uuid import UUID

from flask import abort, request

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


def checked(text: str, check, message: str) -> str:
    """A period asked for in the address; one not written as it should be is no page (404 with `message`)."""
    if not check(text):
        abort(404, message)
    return text


def asked_month(town_id: UUID, closed: list[str]) -> str:
    """The month in `?month=`, else the town's default one."""
    return checked(request.args.get("month") or default_month(town_id, closed), is_month, "月份应写作 YYYY-MM")
