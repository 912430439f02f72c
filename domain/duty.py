from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from .errors import InvalidError


class DutyList(Aggregate):
    """职责清单月度考核: a village's duty-list items for one month; each PUT is a new revision."""

    @staticmethod
    def create_id(village_id: UUID, month: str) -> UUID:
        return duty_list_id(village_id, month)

    @event("Recorded")
    def __init__(self, village_id: UUID, town_id: UUID, month: str, items: list[dict], by: UUID):
        check_items(items)
        self.village_id = village_id
        self.town_id = town_id
        self.month = month
        self.items = items
        self.revision = 1

    @property
    def total(self) -> Decimal:
        return duty_total(self.items)

    def revise(self, items: list[dict], by: UUID) -> None:
        check_items(items)
        self._revise(items, self.revision + 1, by)

    @event("Revised")
    def _revise(self, items: list[dict], revision: int, by: UUID) -> None:
        self.items = items
        self.revision = revision


def duty_list_id(village_id: UUID, month: str) -> UUID:
    return uuid5(village_id, f"duty:{month}")


def duty_total(items: list[dict]) -> Decimal:
    """The items' scores scaled to 0-100, at full precision."""
    scored = sum((Decimal(i["score"]) for i in items), Decimal(0))
    possible = sum((Decimal(i["max"]) for i in items), Decimal(0))
    return scored * 100 / possible


def check_items(items: list[dict]) -> None:
    problems = [f"{i['item']}: the score must be between 0 and its maximum ({i['max']})"
                for i in items if not (0 <= Decimal(i["score"]) <= Decimal(i["max"])) or Decimal(i["max"]) <= 0]
    if not items:
        problems.append("give at least one item")
    if len({i["item"] for i in items}) != len(items):
        problems.append("each item once")
    if problems:
        raise InvalidError("the duty list is invalid", {"items": problems})
