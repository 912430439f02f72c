"""Any tampering with a stored event is named by its position, on both stores, and never answered with a 5xx.

A tamperer with SQL can change a row's bytes, its storage type, empty it, cut it short, delete it or
swap it with its neighbour; `GET /audit/verify` names the first position that is no longer as linked.
"""

import pytest

from .test_audit_chain import first_sheet_position, raw, sheets_scored  # noqa: F401  (raw is a fixture)


def state_as_text(raw, position):
    if raw.postgres:  # a PostgreSQL column has one type: retyping it changes every row, the first included
        raw.run("ALTER TABLE {table} ALTER COLUMN state TYPE TEXT USING encode(state, 'escape')")
        return raw.rows()[0][0]
    raw.run("UPDATE {table} SET state = CAST(state AS BLOB) || x'20' WHERE {position} = ?", (position,))
    assert raw.run("SELECT typeof(state) FROM {table} WHERE {position} = ?", (position,)) == [("text",)]
    return position


def same_bytes_as_text(raw, position):
    if raw.postgres:
        raw.run("ALTER TABLE {table} ALTER COLUMN state TYPE TEXT USING convert_from(state, 'UTF8')")
        return raw.rows()[0][0]
    raw.run("UPDATE {table} SET state = CAST(state AS TEXT) WHERE {position} = ?", (position,))
    return position


def state_null(raw, position):
    if raw.postgres:
        raw.run("ALTER TABLE {table} ALTER COLUMN state DROP NOT NULL")
    raw.run("UPDATE {table} SET state = NULL WHERE {position} = ?", (position,))
    return position


def state_truncated(raw, position):
    cut = "substring(state from 1 for 20)" if raw.postgres else "substr(state, 1, 20)"
    raw.run("UPDATE {table} SET state = " + cut + " WHERE {position} = ?", (position,))
    return position


def deleted(raw, position):
    raw.run("DELETE FROM {table} WHERE {position} = ?", (position,))
    return position


def swapped_with_the_next(raw, position):
    """Reordered: the row at `position` and the one after it change places."""
    raw.run("UPDATE {table} SET {position} = -1 WHERE {position} = ?", (position,))
    raw.run("UPDATE {table} SET {position} = ? WHERE {position} = ?", (position, position + 1))
    raw.run("UPDATE {table} SET {position} = ? WHERE {position} = -1", (position + 1,))
    return position


@pytest.mark.parametrize("tamper", [state_as_text, same_bytes_as_text, state_null, state_truncated, deleted,
                                    swapped_with_the_next], ids=lambda f: f.__name__)
def test_a_tampered_stored_event_is_named_by_its_first_bad_position(api, raw, tamper):
    sheets_scored(api)
    bad = tamper(raw, first_sheet_position(api))
    verdict = api.ok("GET", "/audit/verify")
    assert (verdict["ok"], verdict["first_bad_position"]) == (False, bad)
