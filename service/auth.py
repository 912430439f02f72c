"""Bearer tokens and the four roles."""

import hmac
import logging
from dataclasses import dataclass
from functools import wraps
from uuid import UUID

from flask import abort, current_app, g, request

from . import policy
from .application import BOOTSTRAP_ID
from .errors import error_response

log = logging.getLogger("leitai.auth")
SESSION_READS = {"live.Live"}


@dataclass(frozen=True)
class Principal:
    id: UUID
    name: str
    role: str
    village_id: UUID | None = None


def authenticate():
    """Runs before every API request: a missing or unknown token is 401 (429 beyond the failures a minute allowed)."""
    if not request.path.startswith("/api/"):
        return
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.startswith("Bearer ") else ""
    principal = resolve(token) if token else from_session()
    if principal is None:
        log.warning("failed authentication: %s %s from %s (%s)", request.method, request.path,
                    request.remote_addr, "no token" if not token else "unknown or disabled token")
        return refuse(token)
    g.principal = principal
    return None


def refuse(token: str):
    """401; a wrong token counts against the client's address (a missing one guesses nothing), beyond the limit 429."""
    wait = throttled("api") if token else None
    if wait is None:
        abort(401, "Give a valid bearer token in the Authorization header.")
    response = error_response(429, f"Too many failed authentications from this address: try again in {wait} s.")
    response.headers["Retry-After"] = str(wait)
    return response


def throttled(via: str) -> int | None:
    """Counts a failed authentication from this request's address; the seconds to wait once beyond the limit."""
    return current_app.extensions["leitai.throttle"].failed(request.remote_addr, via)


def from_session() -> Principal | None:
    """The hall screen's EventSource cannot send a bearer token: its stream reads the web view's signed-in session."""
    if request.method != "GET" or request.endpoint not in SESSION_READS:
        return None
    viewer = current_app.extensions.get("session_viewer")
    return viewer() if viewer else None


def resolve(token: str) -> Principal | None:
    bootstrap = current_app.config.get("BOOTSTRAP_TOKEN")
    if bootstrap and hmac.compare_digest(token.encode(), bootstrap.encode()):
        return Principal(BOOTSTRAP_ID, "bootstrap", "organizer")
    account = current_app.extensions["leitai"].account_for_token(token)
    if account is None or account.disabled:
        return None
    return Principal(account.id, account.name, account.role, account.village_id)


def roles(*allowed: str):
    """Only these roles may call the view; everyone else gets 403. The policy decides, as for a named action."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            policy.require(g.principal, allowed)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def self_or(action: str):
    """The account named by the path's account_id may call the view on itself; anyone else needs the action's roles."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.principal.id != kwargs.get("account_id"):
                policy.require(g.principal, action)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def may(action: str):
    """Only the roles the policy allows this action may call the view."""
    return roles(*policy.ACTIONS[action])
