"""Idempotency-Key on every write: a repeat returns the first response and records nothing new.

The key is reserved before the command runs and the response kept after it, so a concurrent
repeat waits its turn (409 while the first is still running) instead of running twice.

A server killed mid-request leaves its reservation without a response. So that a repeat is not
refused as "still running" for ever, nor run twice, the write records the key itself — an
`IdempotencyKey.Used` event in the same atomic save as the write's own events. A repeat that finds a
reservation older than the lease (LEITAI_IDEMPOTENCY_LEASE seconds, default 60) asks the event
store: the key recorded means the write was made and only its response was lost (409 saying so);
otherwise the repeat takes the reservation over and runs. Were both to run, the second save finds
the key recorded and is refused.
"""

import hashlib
import os
import time

from flask import Response, current_app, g, request

from .errors import error_response
from .keys import create_table, recorded, writing

__all__ = ["before", "after", "create_table"]

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SHOWN_ONCE = {"token"}


def fingerprint() -> str:
    return hashlib.sha256(request.method.encode() + request.full_path.encode() + b"\0" + request.get_data()).hexdigest()


def before() -> Response | None:
    writing.set(None)
    key = request.headers.get("Idempotency-Key")
    if request.method not in WRITES or not key or "principal" not in g:
        return None
    if len(key) > 200 or not key.isprintable():
        return error_response(422, "Give an Idempotency-Key of at most 200 printable characters.")
    leitai = current_app.extensions["leitai"]
    account, mine, now = str(g.principal.id), fingerprint(), time.time()
    lost = False
    with leitai.projector.store.transaction() as cursor:
        # While the request runs, body holds the time it was reserved.
        inserted = cursor.execute("INSERT INTO idempotency (account_id, key, fingerprint, body) VALUES (?, ?, ?, ?) "
                                  "ON CONFLICT (account_id, key) DO NOTHING", (account, key, mine, str(now))).rowcount
        row = cursor.execute("SELECT fingerprint, status, body FROM idempotency WHERE account_id = ? AND key = ?",
                             (account, key)).one()
        if not inserted and row["status"] is None and row["fingerprint"] == mine and abandoned(row["body"], now):
            lost = recorded(leitai, account, key)
            inserted = not lost and cursor.execute(
                "UPDATE idempotency SET body = ? WHERE account_id = ? AND key = ? AND status IS NULL AND body = ?",
                (str(now), account, key, row["body"])).rowcount
    if inserted:
        g.idempotency = (account, key)
        writing.set((account, key))
        return None
    if row["fingerprint"] != mine:
        return error_response(409, "This Idempotency-Key was used with another request.")
    if lost:
        return error_response(409, "This request was recorded, but its response was lost when the server stopped; "
                                   "read the resource to see it.")
    if row["status"] is None:
        return error_response(409, "A request with this Idempotency-Key is still running; try again shortly.")
    return Response(row["body"], status=row["status"], mimetype="application/json")


def abandoned(reserved_at: str | None, now: float) -> bool:
    lease = float(os.environ.get("LEITAI_IDEMPOTENCY_LEASE", "60"))
    try:
        return now - float(reserved_at) > lease
    except (TypeError, ValueError):
        return True


def after(response: Response) -> Response:
    writing.set(None)
    reserved = g.pop("idempotency", None)
    if reserved is None:
        return response
    store = current_app.extensions["leitai"].projector.store
    with store.transaction() as cursor:
        if response.status_code >= 500:
            cursor.execute("DELETE FROM idempotency WHERE account_id = ? AND key = ?", reserved)
        else:
            cursor.execute("UPDATE idempotency SET status = ?, body = ? WHERE account_id = ? AND key = ?",
                           (response.status_code, kept_body(response), *reserved))
    return response


def kept_body(response: Response) -> str:
    """The response to repeat, less what is shown only once: a new account's token is never stored."""
    body = response.get_json(silent=True)
    if not isinstance(body, dict) or not SHOWN_ONCE & body.keys():
        return response.get_data(as_text=True)
    return current_app.json.dumps({k: v for k, v in body.items() if k not in SHOWN_ONCE})
