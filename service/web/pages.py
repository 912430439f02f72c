"""What every page shares: its error page, the filters and globals of the templates, and the labels."""

import json
from datetime import datetime
from decimal import Decimal

from flask import g, render_template
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError, ForbiddenError, NotFoundError
from domain.periods import quarter_of

from ..followups import SHANGHAI
from ..policy import allowed
from .blueprint import blp
from .labels import LABELS


@blp.errorhandler(DomainError)
def domain_error(error: DomainError):
    status = 404 if isinstance(error, NotFoundError) else 403 if isinstance(error, ForbiddenError) else 409
    return render_template("web/error.html", message="找不到这一页的内容" if status == 404 else error.message), status


@blp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return render_template("web/error.html", message=error.description), error.code


@blp.app_template_filter("fig")
def figure(value) -> str:
    """A published figure at 2 places."""
    return "—" if value is None else f"{Decimal(str(value)):.2f}"


@blp.app_template_filter("data")
def event_data(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, indent=1)


@blp.app_template_filter("local")
def local_time(value) -> str:
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@blp.app_template_global()
def movement(row: dict) -> tuple[str, str]:
    """Rank change against the previous closed month: ↑ up, ↓ down."""
    before = row.get("previous_rank")
    if before is None or row.get("rank") is None:
        return "new", "—"
    places = before - row["rank"]
    return ("up", f"↑{places}") if places > 0 else ("down", f"↓{-places}") if places < 0 else ("same", "–")


def may(action: str) -> bool:
    """Whether the signed-in viewer may do the action, as the policy has it."""
    return allowed(g.viewer, action)


@blp.context_processor
def labels() -> dict:
    return {**LABELS, "viewer": g.get("viewer"), "may": may, "quarter_of": quarter_of}
