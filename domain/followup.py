from copy import copy
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .errors import RuleError
from .ids import uuid5

KIND_LABELS = {"interview_required": "约谈通知", "interview_overdue": "约谈逾期提醒", "sharing_invited": "经验分享邀请",
               "pairing_reminder": "结对交流提醒", "pairing_shortfall": "结对交流不足", "sheets_pending": "待评分提醒",
               "interview_conductor": "约谈安排提醒"}
NAMESPACE = UUID("6f1c1b0e-5a0e-4f59-9a53-6c2d3f2b7a10")


class FollowUp(Aggregate):
    """后续通知: a notice that must reach a person, recorded before it is sent (the store is the outbox)."""

    @staticmethod
    def create_id(key: str) -> UUID:
        return followup_id(key)

    @event("Issued")
    def __init__(self, key: str, town_id: UUID, kind: str, recipient: str, subject: str, body: str,
                 about_id: UUID | None, by: UUID, account_id: str | None = None):
        self.key = key
        self.town_id = town_id
        self.kind = kind
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.about_id = about_id
        self.account_id = account_id  # the recipient's own account, where one exists
        self.status = "pending"
        self.attempts = 0
        self.claimant = None
        self.claimed_until = None

    def __deepcopy__(self, memo: dict) -> "FollowUp":
        """A copy for a command: every attribute is immutable (str, int, UUID, datetime, None), so only the
        pending events are a container of its own; the generic walk was a tenth of a delivery."""
        clone = copy(self)
        clone._pending_events = list(self._pending_events)
        return clone

    def claim(self, claimant: str, at: datetime, until: datetime, by: UUID) -> None:
        """A worker takes the follow-up before it sends it; another may take it over once `until` has passed."""
        if self.status != "pending":
            raise RuleError(f"the follow-up is {self.status}")
        if self.claimed_until is not None and at < self.claimed_until:
            raise ClaimedError(self.claimant, self.claimed_until)
        self._claim(claimant, at, until, by)

    @event("Claimed")
    def _claim(self, claimant: str, at: datetime, until: datetime, by: UUID) -> None:
        self.claimant, self.claimed_until = claimant, until

    @event("Delivered")
    def delivered(self, channel: str, attempt: int, by: UUID) -> None:
        self.status = "delivered"
        self.attempts = attempt

    @event("AttemptFailed")
    def attempt_failed(self, channel: str, attempt: int, error: str, final: bool, by: UUID) -> None:
        """One failed attempt; `final` when the retries have run out."""
        self.attempts = attempt
        self.claimant = self.claimed_until = None
        if final:
            self.status = "failed"


def followup_id(key: str) -> UUID:
    """Deterministic: the same notice for the same occasion is issued once."""
    return uuid5(NAMESPACE, key)


class ClaimedError(RuleError):
    """Another worker holds the follow-up until its lease ends."""

    def __init__(self, claimant: str, until: datetime):
        super().__init__(f"claimed by {claimant} until {until.isoformat()}")
        self.claimant, self.until = claimant, until
