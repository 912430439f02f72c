from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .errors import InvalidError, RuleError
from .ids import uuid5

CONDUCTORS = {"monthly": "党委副书记", "quarterly": "镇党委副书记、镇长", "annual": "全镇大会（表态发言）"}
LEVEL_LABELS = {"monthly": "月度约谈", "quarterly": "季度约谈", "annual": "年度表态发言"}


class Interview(Aggregate):
    """约谈: a bottom-N village's secretary is interviewed (monthly, quarterly) or pledges (annual)."""

    @staticmethod
    def create_id(town_id: UUID, level: str, period: str, village_id: str) -> UUID:
        return interview_id(town_id, level, period, village_id)

    @event("Required")
    def __init__(self, town_id: UUID, level: str, period: str, village_id: str, secretary: str, track: str,
                 rank: int, score, by: UUID):
        self.town_id = town_id
        self.level = level
        self.period = period
        self.village_id = village_id
        self.secretary = secretary
        self.track = track
        self.conductor = self.conductor_for(level)
        self.rank = rank
        self.score = score
        self.status = "required"

    @staticmethod
    def conductor_for(level: str) -> str:
        return CONDUCTORS[level]

    @event("Withdrawn")
    def withdraw(self, reason: str, by: UUID) -> None:
        """The standings were recorded again and no longer place the village at the bottom."""
        self.status = "withdrawn"

    @event("RequiredAgain")
    def require_again(self, rank: int, score, by: UUID) -> None:
        self.rank, self.score, self.status = rank, score, "required"

    def schedule(self, at: datetime, by: UUID) -> None:
        self.check_status("required", "scheduled")
        self._schedule(at, by)

    @event("Scheduled")
    def _schedule(self, at: datetime, by: UUID) -> None:
        self.status = "scheduled"
        self.scheduled_at = at

    def hold(self, held_at: datetime, minutes: str, by: UUID, pledge: str | None = None) -> None:
        """Held, with minutes; the annual one is the pledge at the town-wide meeting (表态发言), recorded with it."""
        self.check_status("required", "scheduled")
        if not minutes.strip():
            raise InvalidError("the minutes are empty", {"minutes": ["record what was said"]})
        if self.level == "annual" and not (pledge or "").strip():
            raise InvalidError("the pledge is missing", {"pledge": ["record the pledge made at the town-wide meeting"]})
        if self.level != "annual" and pledge is not None:
            raise InvalidError("only the annual meeting takes a pledge", {"pledge": ["leave it out of a monthly or quarterly interview"]})
        self._hold(held_at, minutes, by, pledge)

    @event("Held")
    def _hold(self, held_at: datetime, minutes: str, by: UUID, pledge: str | None = None) -> None:
        self.status = "held"
        self.pledge = pledge

    def waive(self, reason: str, by: UUID) -> None:
        self.check_status("required", "scheduled")
        self._waive(reason, by)

    @event("Waived")
    def _waive(self, reason: str, by: UUID) -> None:
        self.status = "waived"

    def check_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise RuleError(f"the interview is {self.status}")


class Sharing(Aggregate):
    """经验分享: the top N and the notably improved share their experience."""

    @staticmethod
    def create_id(town_id: UUID, period: str, village_id: str) -> UUID:
        return sharing_id(town_id, period, village_id)

    @event("Invited")
    def __init__(self, town_id: UUID, period: str, village_id: str, reason: str, by: UUID):
        self.town_id = town_id
        self.period = period
        self.village_id = village_id
        self.reason = reason
        self.status = "invited"

    @event("Withdrawn")
    def withdraw(self, reason: str, by: UUID) -> None:
        self.status = "withdrawn"

    @event("InvitedAgain")
    def invite_again(self, reason: str, by: UUID) -> None:
        self.reason, self.status = reason, "invited"

    def hold(self, on: str, summary: str, by: UUID) -> None:
        """The sharing session took place (经验分享会), with what was shared."""
        if self.status != "invited":
            raise RuleError(f"the sharing is {self.status}")
        if not summary.strip():
            raise InvalidError("the summary is empty", {"summary": ["record what was shared"]})
        self._hold(on, summary, by)

    @event("Held")
    def _hold(self, on: str, summary: str, by: UUID) -> None:
        self.status = "held"
        self.held_on = on
        self.summary = summary


def interview_id(town_id: UUID, level: str, period: str, village_id: str) -> UUID:
    return uuid5(town_id, f"interview:{level}:{period}:{village_id}")


def sharing_id(town_id: UUID, period: str, village_id: str) -> UUID:
    return uuid5(town_id, f"sharing:{period}:{village_id}")
