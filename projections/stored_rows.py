"""The event store's rows as they are now, for the auditor: read with plain SQL, nothing decoded or trusted.

eventsourcing's own reader converts as it reads (`bytes(state)`, `UUID(originator_id)`, a prepared
statement with fixed result types), so a tampered row — a state stored as TEXT or NULL, a column
retyped — would make it raise instead of letting verification name the row.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StoredRow:
    id: int
    originator_id: Any
    originator_version: Any
    topic: Any
    state: Any


def stored_rows(recorder, after: int, stop: int, limit: int) -> list[StoredRow]:
    """Rows with positions in (after, stop], in position order, at most `limit`."""
    from eventsourcing.postgres import PostgresDatastore

    table = recorder.events_table_name
    if isinstance(recorder.datastore, PostgresDatastore):
        statement = (f'SELECT notification_id, originator_id, originator_version, topic, state FROM '
                     f'"{recorder.datastore.schema}"."{table}" WHERE notification_id > %s AND notification_id <= %s '
                     'ORDER BY notification_id LIMIT %s')
        with recorder.datastore.get_connection() as connection:
            rows = connection.execute(statement, (after, stop, limit), prepare=False).fetchall()
        return [StoredRow(*row.values()) for row in rows]
    statement = (f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
                 "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?")
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, (after, stop, limit))
        return [StoredRow(*tuple(row)) for row in cursor.fetchall()]
