"""The web view (网页查看): boards, villages, contests, interviews and pairings for town leaders, and contest day.

Server-rendered pages over the Application's own queries; signed in with an account's token, kept
in a signed cookie session. Only the scoring form writes, through the same use cases as the API;
the hall screen follows the live stream with a small static script.
"""

from flask import redirect, url_for

# Importing the pages hangs their routes, handlers and filters on the blueprint.
from . import contests, follow_ups, hall, pages, scoring, towns, villages  # noqa: F401
from .blueprint import blp
from .session import LIFETIME, SessionCookie, clock, secret_key, viewer


def register(app, settings) -> None:
    """The pages under /web, a session key every worker shares, and the cookie's terms."""
    app.secret_key = app.secret_key or secret_key(settings.data_dir)
    app.session_interface = SessionCookie()
    # The cookie's expiry is set at sign-in and never moved: with the server's own check of the
    # sign-in time, a session lasts 12 hours however busy it is.
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True, PERMANENT_SESSION_LIFETIME=LIFETIME,
                      SESSION_REFRESH_EACH_REQUEST=False, CLOCK=clock())
    app.extensions["session_viewer"] = viewer
    app.register_blueprint(blp)
    app.add_url_rule("/", "home", lambda: redirect(url_for("web.towns")))
