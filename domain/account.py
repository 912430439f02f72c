from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .errors import InvalidError, RuleError

ROLES = ("organizer", "judge", "secretary", "auditor")


class Account(Aggregate):
    """账号: a person's access with one role; the token is known only by its hash."""

    @event("Opened")
    def __init__(self, name: str, role: str, village_id: UUID | None, token_hash: str, by: UUID):
        if role not in ROLES:
            raise InvalidError("unknown role", {"role": [f"must be one of {', '.join(ROLES)}"]})
        if role == "secretary" and village_id is None or role in ("organizer", "auditor") and village_id is not None:
            raise InvalidError("village_id goes with a secretary, or a judge from a village",
                               {"village_id": ["required for a secretary; allowed for a judge (peer judging); not for others"]})
        self.name = name
        self.role = role
        self.village_id = village_id
        self.token_hash = token_hash
        self.disabled = False

    def disable(self, reason: str, by: UUID) -> None:
        """Its token stops working; the account and what it recorded stay in the log."""
        if not reason.strip():
            raise InvalidError("disabling an account needs a reason", {"reason": ["give a reason"]})
        if self.disabled:
            raise RuleError("this account is already disabled")
        self._disable(reason, by)

    @event("Disabled")
    def _disable(self, reason: str, by: UUID) -> None:
        self.disabled = True

    def rotate_token(self, token_hash: str, reason: str, by: UUID) -> None:
        """A new token replaces the old one, which is refused from then on (a leaked token, a lost phone)."""
        if not reason.strip():
            raise InvalidError("a new token needs a reason", {"reason": ["give a reason"]})
        if self.disabled:
            raise RuleError("this account is disabled: it has no token to replace")
        self._rotate_token(token_hash, reason, by)

    @event("TokenRotated")
    def _rotate_token(self, token_hash: str, reason: str, by: UUID) -> None:
        self.token_hash = token_hash
