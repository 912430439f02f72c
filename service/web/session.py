"""Signing in to the web view: an account's token, checked once, kept as its hash in a signed cookie session.

The session lasts 12 hours from sign-in: the cookie expires then, and the server refuses a session
signed in longer ago whatever the browser sends. The sign-in form carries a token bound to the
browser's pre-session cookie, so another site cannot sign a visitor in to an account of its choosing.
"""

import logging
import os
import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, g, make_response, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from domain.account import Account

from ..application import BOOTSTRAP_ID, token_hash
from ..auth import Principal, resolve, throttled
from .blueprint import blp, leitai

logger = logging.getLogger("leitai.web")
LIFETIME = timedelta(hours=12)
CSRF = "sign_in_csrf"
SKEW = "LEITAI_TEST_CLOCK_SKEW_SECONDS"
OPEN = ("web.sign_in", "web.sign_out", "web.static")


class SessionCookie(SecureCookieSessionInterface):
    """Flask's signed cookie, Secure whenever the request came over HTTPS (behind trusted proxies, as they say)."""

    def get_cookie_secure(self, app) -> bool:
        return request.is_secure or super().get_cookie_secure(app)

    def open_session(self, app, request):
        """No cookie, no signer: an API call with a bearer token skips building one (a tenth of a sheet PUT)."""
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def clock():
    """The sessions' clock: the server's, moved by LEITAI_TEST_CLOCK_SKEW_SECONDS, which only tests set."""
    skew = float(os.environ.get(SKEW) or 0)
    if skew:
        logger.warning("%s=%s: the web sessions' clock is moved; this is for tests only", SKEW, skew)
    return lambda: time.time() + skew


def secret_key(data_dir) -> str:
    """LEITAI_SECRET_KEY, or a random key kept in the data folder: several gunicorn workers must sign alike.

    The key is written to a private draft first and linked into place, so a worker racing another
    either wins or reads the winner's complete key, never a half-written one.
    """
    if os.environ.get("LEITAI_SECRET_KEY"):
        return os.environ["LEITAI_SECRET_KEY"]
    path = data_dir / "secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".secret-key.{os.getpid()}.{secrets.token_hex(4)}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


@blp.before_request
def signed_in():
    if request.endpoint in OPEN:
        return None
    g.viewer = viewer()
    if g.viewer is None:
        session.pop("viewer", None)
        return redirect(url_for("web.sign_in", next=request.full_path.rstrip("?")))
    return None


def viewer() -> Principal | None:
    """The signed-in account, checked again on every page: a session over 12 hours old, a disabled account,
    a rotated token or a changed bootstrap token signs out."""
    kept = session.get("viewer")
    if not kept or not fresh(kept):
        return None
    if kept["id"] == str(BOOTSTRAP_ID):
        bootstrap = current_app.config.get("BOOTSTRAP_TOKEN")
        valid = bool(bootstrap) and secrets.compare_digest(token_hash(bootstrap), kept["key"])
        return Principal(BOOTSTRAP_ID, "引导令牌", "organizer") if valid else None
    account = leitai().find(Account, kept["id"])
    if account is None or account.disabled or account.token_hash != kept["key"]:
        return None
    return Principal(account.id, account.name, account.role, account.village_id)


def fresh(kept: dict) -> bool:
    since = kept.get("since")
    return isinstance(since, int) and current_app.config["CLOCK"]() - since < LIFETIME.total_seconds()


@blp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return form(target)
    if not secrets.compare_digest(request.form.get("csrf", "").encode(), session.get(CSRF, "").encode() or b"-"):
        logger.warning("web sign-in from %s without the token of its form", request.remote_addr)
        return form(target, "expired", 400)
    token = request.form.get("token", "").strip()
    principal = resolve(token) if token else None
    if principal is None:
        return refused(target, token)
    session.clear()
    session.permanent = True
    session["viewer"] = {"id": str(principal.id), "key": token_hash(token), "since": int(current_app.config["CLOCK"]())}
    return redirect(target)


def form(target: str, problem: str | None = None, status: int = 200, wait: int | None = None):
    """The sign-in form, with the token that binds it to this browser's pre-session cookie."""
    session.setdefault(CSRF, secrets.token_urlsafe(32))
    page = render_template("web/sign_in.html", next=target, csrf=session[CSRF], problem=problem, wait=wait)
    return make_response(page, status)


def refused(target: str, token: str):
    """401, counted against the address like a wrong bearer token; beyond the limit 429."""
    logger.warning("failed web sign-in from %s", request.remote_addr)
    wait = throttled("web") if token else None
    if wait is None:
        return form(target, "failed", 401)
    response = form(target, "throttled", 429, wait)
    response.headers["Retry-After"] = str(wait)
    return response


@blp.route("/sign-out", methods=["POST"])
def sign_out():
    session.clear()
    return redirect(url_for("web.sign_in"))


def safe_next(target: str | None) -> str:
    """Only a page of this view: never a redirect to another site."""
    parts = urlsplit(target or "")
    if not parts.scheme and not parts.netloc and parts.path.startswith("/web/") and "\\" not in target:
        return target
    return url_for("web.towns")
