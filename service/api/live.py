"""The hall's live stream: a contest's sheets, publication and cancellation as Server-Sent Events.

A stream holds one of a gunicorn worker's threads while it is open, so it ends after
LEITAI_LIVE_SECONDS (default 25) having told the browser to come back (`retry:`); EventSource then
reconnects by itself with `Last-Event-ID`, the position of the last event it got, and misses nothing.
"""

import os
import time

from flask import Response, current_app, request, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from domain.contest import Contest

from ..auth import may
from ..live import LiveFeed
from . import leitai

blp = Blueprint("live", __name__, description="The hall screen's live stream (亮分)")
STREAM = {"type": "string", "description": "`text/event-stream`: events `sheet`, `published`, `cancelled`; "
                                           "each `id:` is the event's position in the log"}
LAST_EVENT_ID = {"in": "header", "name": "Last-Event-ID", "required": False,
                 "description": "resume after this log position (EventSource sends it when it reconnects)",
                 "schema": {"type": "string", "pattern": r"^\d{1,18}$"}}


class LiveQuery(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0),
                           metadata={"description": "start after this log position (Last-Event-ID wins)"})


@blp.route("/contests/<uuid:contest_id>/live", parameters=[LAST_EVENT_ID])
class Live(MethodView):
    @may("watch_live")
    @blp.arguments(LiveQuery(), location="query")
    @blp.response(200, STREAM, content_type="text/event-stream",
                  description="`sheet` {village_id, sheets, panel} (never a mark before publication); `published` "
                              "{contest_id, revision, results}; `cancelled` {contest_id}. The stream ends after "
                              "LEITAI_LIVE_SECONDS with a `retry:` hint; reconnect with Last-Event-ID.")
    def get(self, query, contest_id):
        """The hall screen's live stream of a contest (Server-Sent Events), resuming after Last-Event-ID"""
        feed = LiveFeed(leitai(), leitai().load(Contest, contest_id))
        start = resume_from(query["after"])
        return Response(stream_with_context(events(feed, start)), mimetype="text/event-stream",
                        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def resume_from(after: int) -> int:
    """Last-Event-ID, when the browser sends it, over the `after` of the page's first connection."""
    header = request.headers.get("Last-Event-ID", "").strip()
    return int(header) if header.isdigit() and len(header) <= 18 else after


def events(feed: LiveFeed, after: int):
    seconds, poll = limits()
    yield f"retry: {int(os.environ.get('LEITAI_LIVE_RETRY_MS', '1000'))}\n\n"
    ends, quiet_since = time.monotonic() + seconds, time.monotonic()
    while time.monotonic() < ends:
        for item in feed.after(after):
            yield framed(item)
            quiet_since = time.monotonic()
        if time.monotonic() - quiet_since > 10:  # a proxy closes a silent connection
            yield ": still here\n\n"
            quiet_since = time.monotonic()
        time.sleep(poll)


def framed(item) -> str:
    return f"id: {item.position}\nevent: {item.kind}\ndata: {current_app.json.dumps(item.data)}\n\n"


def limits() -> tuple[float, float]:
    return float(os.environ.get("LEITAI_LIVE_SECONDS", "25")), float(os.environ.get("LEITAI_LIVE_POLL", "0.3"))
