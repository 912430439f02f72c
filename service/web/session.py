"""Signing in to the web view: an account's token, checked once, kept as its hash in a signed cookie session."""

import logging
import os
import secrets
from urllib.parse import urlsplit

from flask import current_app, g, redirect, render_template, request, session, url_for

from domain.account import Account

from ..application import BOOTSTRAP_ID, token_hash
from ..auth import Principal, resolve
from .blueprint import blp, leitai

logger = logging.getLogger("leitai.web")


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
    if request.endpoint in ("web.sign_in", "web.sign_out", "web.static"):
        return None
    g.viewer = viewer()
    if g.viewer is None:
        return redirect(url_for("web.sign_in", next=request.full_path.rstrip("?")))
    return None


def viewer() -> Principal | None:
    """The signed-in account, checked again on every page: a disabled account or a changed bootstrap token signs out."""
    kept = session.get("viewer")
    if not kept:
        return None
    if kept["id"] == str(BOOTSTRAP_ID):
        bootstrap = current_app.config.get("BOOTSTRAP_TOKEN")
        valid = bool(bootstrap) and secrets.compare_digest(token_hash(bootstrap), kept["key"])
        return Principal(BOOTSTRAP_ID, "引导令牌", "organizer") if valid else None
    account = leitai().find(Account, kept["id"])
    if account is None or account.disabled or account.token_hash != kept["key"]:
        return None
    return Principal(account.id, account.name, account.role, account.village_id)


@blp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("web/sign_in.html", next=target)
    token = request.form.get("token", "").strip()
    principal = resolve(token) if token else None
    if principal is None:
        logger.warning("failed web sign-in from %s", request.remote_addr)
        return render_template("web/sign_in.html", next=target, failed=True), 401
    session.clear()
    session.permanent = True
    session["viewer"] = {"id": str(principal.id), "key": token_hash(token)}
    return redirect(target)


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
