"""Idempotency-Key on every write: a repeat returns the first response and records nothing new.

The key is reserved before the command runs and the response kept after it, so a concurrent
repeat waits its turn (409 while the first is still running) instead of running twice.
"""

import hashlib

from flask import Response, current_app, g, request

from .errors import error_response

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
TABLE = ("idempotency", "account_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                        "status INTEGER, body TEXT, PRIMARY KEY (account_id, key)")


def create_table(store) -> None:
    with store.transaction() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE[0]} ({TABLE[1]})")


def fingerprint() -> str:
    return hashlib.sha256(request.method.encode() + request.full_path.encode() + b"\0" + request.get_data()).hexdigest()


def before() -> Response | None:
    key = request.headers.get("Idempotency-Key")
    if request.method not in WRITES or not key or "principal" not in g:
        return None
    store = current_app.extensions["leitai"].projector.store
    account, mine = str(g.principal.id), fingerprint()
    with store.transaction() as cursor:
        inserted = cursor.execute("INSERT INTO idempotency (account_id, key, fingerprint) VALUES (?, ?, ?) "
                                  "ON CONFLICT (account_id, key) DO NOTHING", (account, key, mine)).rowcount
        row = cursor.execute("SELECT fingerprint, status, body FROM idempotency WHERE account_id = ? AND key = ?",
                             (account, key)).one()
    if inserted:
        g.idempotency = (account, key)
        return None
    if row["fingerprint"] != mine:
        return error_response(409, "This Idempotency-Key was used with another request.")
    if row["status"] is None:
        return error_response(409, "A request with this Idempotency-Key is still running; try again shortly.")
    return Response(row["body"], status=row["status"], mimetype="application/json")


def after(response: Response) -> Response:
    reserved = g.pop("idempotency", None)
    if reserved is None:
        return response
    store = current_app.extensions["leitai"].projector.store
    with store.transaction() as cursor:
        if response.status_code >= 500:
            cursor.execute("DELETE FROM idempotency WHERE account_id = ? AND key = ?", reserved)
        else:
            cursor.execute("UPDATE idempotency SET status = ?, body = ? WHERE account_id = ? AND key = ?",
                           (response.status_code, response.get_data(as_text=True), *reserved))
    return response
