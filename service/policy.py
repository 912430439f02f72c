"""Who may do what: one table of actions and the roles allowed each, asked by the API and the web view alike.

An action is a name in `ACTIONS`; an API view that still names its roles (`@roles("organizer")`) asks
with those roles as an unnamed action, and the same `require` decides.
"""

from collections.abc import Collection
from typing import Protocol

from domain.errors import ForbiddenError

ROLES = ("organizer", "judge", "secretary", "auditor")
ORGANIZER = frozenset({"organizer"})
READERS = frozenset({"organizer", "auditor"})

ACTIONS: dict[str, frozenset[str]] = {
    # The log and the analytics hold every sheet's marks, so only those who see every sheet read them.
    "read_history": READERS,
    "read_analytics": READERS,
    "see_marks_before_publication": READERS,
    "preview_close": READERS,
    "watch_live": READERS,
    "close_month": ORGANIZER,
    "run_programme": ORGANIZER,
    "submit_sheet": frozenset({"organizer", "judge"}),
    # A judge submits only their own sheets; the office enters a paper sheet for the judge who signed it.
    "enter_paper_sheet": ORGANIZER,
    "amend_after_publication": ORGANIZER,
    "lodge_appeal": frozenset({"organizer", "secretary"}),
    "resolve_appeal": ORGANIZER,
    "record_exchange": frozenset({"organizer", "secretary"}),
    # Any account may replace its own token; these roles may replace anyone's.
    "replace_token": ORGANIZER,
}


class Actor(Protocol):
    role: str


def roles_for(action: str | Collection[str]) -> frozenset[str]:
    """A named action's roles; an unknown name is a mistake in the code, never a refusal."""
    return ACTIONS[action] if isinstance(action, str) else frozenset(action)


def allowed(principal: Actor, action: str | Collection[str]) -> bool:
    return principal.role in roles_for(action)


def require(principal: Actor, action: str | Collection[str]) -> None:
    if not allowed(principal, action):
        raise ForbiddenError(f"The role {principal.role} may not do this.")
