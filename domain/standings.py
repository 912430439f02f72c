from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from .errors import InvalidError, RuleError


class Standings(Aggregate):
    """排名: the official standings of a month, quarter or year, recorded when the period closes.

    Closing again after a reopen records a new revision; nothing recorded before is overwritten.
    """

    @staticmethod
    def create_id(town_id: UUID, period: str) -> UUID:
        return standings_id(town_id, period)

    @event("Started")
    def __init__(self, town_id: UUID, period: str, by: UUID):
        self.town_id = town_id
        self.period = period
        self.status = "provisional"
        self.revision = 0
        self.board: dict = {}
        self.rulebook_version: int | None = None

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    def close(self, board: dict, rulebook_version: int, by: UUID) -> None:
        if self.closed:
            raise RuleError(f"{self.period} is already closed")
        self._close(board, self.revision + 1, rulebook_version, by)

    @event("Closed")
    def _close(self, board: dict, revision: int, rulebook_version: int, by: UUID) -> None:
        self.board = board
        self.revision = revision
        self.rulebook_version = rulebook_version
        self.status = "closed"

    def reopen(self, reason: str, by: UUID) -> None:
        if not self.closed:
            raise RuleError(f"{self.period} is not closed")
        if not reason.strip():
            raise InvalidError("give a reason to reopen", {"reason": ["give a reason"]})
        self._reopen(reason, by)

    @event("Reopened")
    def _reopen(self, reason: str, by: UUID) -> None:
        self.status = "provisional"

    def listed(self, key: str) -> set[str]:
        """Village ids in this revision's top, bottom or improved lists, over every track."""
        return {v for ids in self.board.get(key, {}).values() for v in ids}


def standings_id(town_id: UUID, period: str) -> UUID:
    return uuid5(town_id, f"standings:{period}")
