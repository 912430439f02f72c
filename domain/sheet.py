from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from .errors import InvalidError, RuleError


class ScoreSheet(Aggregate):
    """评分表: one judge's marks for one village in one contest; corrections keep every version."""

    @staticmethod
    def create_id(contest_id: UUID, judge_id: str, village_id: str) -> UUID:
        return sheet_id(contest_id, judge_id, village_id)

    @event("Submitted")
    def __init__(self, contest_id: UUID, judge_id: str, village_id: str, marks: dict[str, Decimal], by: UUID):
        self.contest_id = contest_id
        self.judge_id = judge_id
        self.village_id = village_id
        self.marks = marks

    @property
    def total(self) -> Decimal:
        return sum(self.marks.values(), Decimal(0))

    def correct(self, marks: dict[str, Decimal], reason: str, by: UUID) -> None:
        """R8: before publication, with a reason."""
        self.check_change(marks, reason)
        self._correct(marks, self.marks, reason, by)

    @event("Corrected")
    def _correct(self, marks: dict[str, Decimal], previous: dict[str, Decimal], reason: str, by: UUID) -> None:
        self.marks = marks

    def amend(self, marks: dict[str, Decimal], reason: str, by: UUID) -> None:
        """R8: after publication, by the organiser within the appeal window, with a reason."""
        self.check_change(marks, reason)
        self._amend(marks, self.marks, reason, by)

    @event("Amended")
    def _amend(self, marks: dict[str, Decimal], previous: dict[str, Decimal], reason: str, by: UUID) -> None:
        self.marks = marks

    def check_change(self, marks: dict[str, Decimal], reason: str) -> None:
        if not reason.strip():
            raise InvalidError("a correction needs a reason", {"reason": ["give a reason"]})
        if marks == self.marks:
            raise RuleError("the sheet already has these marks")


def sheet_id(contest_id: UUID, judge_id: str, village_id: str) -> UUID:
    return uuid5(contest_id, f"sheet:{judge_id}:{village_id}")
