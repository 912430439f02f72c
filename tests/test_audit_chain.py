"""The audit hash chain: an untouched store verifies; an edited, deleted or inserted stored event is named."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from service.follower import catch_up

from .helpers import advance_to, build_judges, build_town, marks_for, open_account, schedule

LEITAI = str(Path(sys.executable).with_name("leitai"))


def command(settings, *args):
    env = {**os.environ, "LEITAI_DATA_DIR": str(settings.data_dir), "LEITAI_DATABASE_URL": settings.database_url or ""}
    return subprocess.run([LEITAI, *args], env=env, capture_output=True, text=True, timeout=120)


class RawEvents:
    """The event store's rows, reached with SQL behind the application's back, as a tamperer would."""

    def __init__(self, settings, table: str):
        self.postgres = settings.uses_postgres
        if self.postgres:  # public.leitai_events: the table is named after the application
            self.connection = psycopg.connect(settings.database_url, autocommit=True)
            self.table, self.position = f"public.{table}", "notification_id"
        else:
            self.connection = sqlite3.connect(settings.data_dir / "events.sqlite", isolation_level=None)
            self.table, self.position = table, "rowid"

    def run(self, statement: str, params=()) -> list:
        statement = statement.format(table=self.table, position=self.position)
        rows = self.connection.execute(statement.replace("?", "%s") if self.postgres else statement, params)
        return list(rows.fetchall()) if rows.description else []

    def rows(self) -> list:
        return self.run("SELECT {position}, originator_id, originator_version, topic, state FROM {table} ORDER BY {position}")

    def count_up_to(self, position: int) -> int:
        return self.run("SELECT COUNT(*) FROM {table} WHERE {position} <= ?", (position,))[0][0]

    def state(self, position: int) -> bytes:
        return bytes(self.run("SELECT state FROM {table} WHERE {position} = ?", (position,))[0][0])

    def insert(self, position: int, row) -> None:
        """A forged event: another row's topic and state under a new originator, at `position`."""
        forged = uuid.uuid4()
        self.run("INSERT INTO {table} ({position}, originator_id, originator_version, topic, state) VALUES (?, ?, 1, ?, ?)",
                 (position, forged if self.postgres else forged.hex, row[3], row[4]))

    def make_room(self, position: int) -> None:
        """Move every row from `position` up by one, through negative ids so no two rows ever clash."""
        self.run("UPDATE {table} SET {position} = -({position} + 1) WHERE {position} >= ?", (position,))
        self.run("UPDATE {table} SET {position} = -{position} WHERE {position} < 0")


def recomputed_head(rows) -> tuple[int, str]:
    """The chain as documented, worked out here from the raw rows alone."""
    digest = bytes(32)
    for position, originator_id, version, topic, state in rows:
        originator = originator_id if isinstance(originator_id, uuid.UUID) else uuid.UUID(originator_id)
        canonical = (position.to_bytes(8, "big") + originator.bytes + version.to_bytes(8, "big")
                     + topic.encode() + b"\0" + bytes(state))
        digest = hashlib.sha256(digest + canonical).digest()
    return rows[-1][0], digest.hex()


def sheets_scored(api) -> dict:
    """A town, a contest of three judges, three sheets for D1: some thirty events."""
    town = build_town(api, per_track=(2, 0, 0))
    judges = build_judges(api, 3)
    contest = schedule(api, town["town"], judges, tracks=("demonstration",))
    advance_to(api, contest["id"], "evaluation")
    for judge in judges:
        api.ok("PUT", f"/contests/{contest['id']}/sheets/{town['villages']['D1']}", {"marks": marks_for(75)}, 201,
               token=judge["token"])
    followed(api)
    return {"town": town, "judges": judges, "contest": contest}


def followed(api) -> None:
    """What `leitai follow` (part of `leitai up`) does within half a second of a write: the chain links it."""
    catch_up(api.client.application.extensions["leitai"])


def first_sheet_position(api) -> int:
    events = api.ok("GET", "/events?after=0&limit=1000")["events"]
    return next(e["position"] for e in events if e["type"] == "ScoreSheet.Submitted")


@pytest.fixture
def raw(settings, leitai):
    events = RawEvents(settings, leitai.recorder.events_table_name)
    yield events
    events.connection.close()


def test_an_untouched_store_verifies_and_its_digest_is_the_documented_chain(api, raw):
    sheets_scored(api)
    digest = api.ok("GET", "/audit/digest")
    assert (digest["position"], digest["hash"]) == recomputed_head(raw.rows())
    assert api.ok("GET", "/audit/verify") == {"ok": True, "checked": len(raw.rows()), "first_bad_position": None}


def test_an_edited_mark_in_a_stored_event_is_named_by_its_position(api, raw):
    sheets_scored(api)
    before = api.ok("GET", "/audit/digest")
    position = first_sheet_position(api)
    state = raw.state(position)
    assert b'"_data_":"40"' in state  # the judge's 40 for 工作实绩
    raw.run("UPDATE {table} SET state = ? WHERE {position} = ?", (state.replace(b'"_data_":"40"', b'"_data_":"39"'), position))
    verdict = api.ok("GET", "/audit/verify")
    assert verdict == {"ok": False, "checked": raw.count_up_to(position), "first_bad_position": position}
    assert api.ok("GET", "/audit/digest") == before


def test_a_deleted_stored_event_is_named_by_its_position(api, raw):
    sheets_scored(api)
    position = first_sheet_position(api)
    raw.run("DELETE FROM {table} WHERE {position} = ?", (position,))
    assert api.ok("GET", "/audit/verify")["first_bad_position"] == position


def test_an_event_slipped_in_between_two_others_is_named_by_its_position(api, raw):
    sheets_scored(api)
    position = first_sheet_position(api)
    raw.make_room(position)
    raw.insert(position, raw.rows()[0])
    assert api.ok("GET", "/audit/verify")["first_bad_position"] == position


def test_an_event_put_into_a_gap_of_the_log_is_named_by_its_position(api, raw, settings):
    if not settings.uses_postgres:
        pytest.skip("SQLite hands out rowids without gaps; PostgreSQL leaves one for every rolled-back insert")
    town = build_town(api, per_track=(1, 0, 0))
    gap = raw.run("SELECT nextval(pg_get_serial_sequence('{table}', 'notification_id'))")[0][0]
    api.ok("POST", "/villages", {"town_id": town["town"], "code": "D2", "name": "D2村", "track": "demonstration",
                                 "secretary": {"name": "书记D2"}}, 201)
    assert api.ok("GET", "/audit/verify")["ok"] is True
    raw.insert(gap, raw.rows()[0])
    assert api.ok("GET", "/audit/verify") == {"ok": False, "checked": raw.count_up_to(gap), "first_bad_position": gap}


def test_a_store_rewritten_with_its_chain_is_caught_only_by_a_digest_kept_outside(api, raw, leitai):
    scored = sheets_scored(api)
    kept = api.ok("GET", "/audit/digest")
    against = f"{kept['position']}:{kept['hash']}"
    api.ok("PUT", f"/contests/{scored['contest']['id']}/sheets/{scored['town']['villages']['D2']}",
           {"marks": marks_for(60)}, 201, token=scored["judges"][0]["token"])
    assert api.ok("GET", f"/audit/verify?against={against}")["ok"] is True

    position = first_sheet_position(api)
    raw.run("UPDATE {table} SET state = ? WHERE {position} = ?",
            (raw.state(position).replace(b'"_data_":"40"', b'"_data_":"39"'), position))
    with leitai.projector.store.transaction() as cursor:  # the tamperer relinks the chain over the edited store
        cursor.execute("DELETE FROM audit_chain")
        cursor.execute("UPDATE tracking SET position = 0 WHERE name = 'audit_chain'")
    assert api.ok("GET", "/audit/verify")["ok"] is True
    assert api.ok("GET", f"/audit/verify?against={against}")["first_bad_position"] == kept["position"]


def test_any_role_reads_the_digest_but_only_organizers_and_auditors_verify(api):
    judge = build_judges(api, 1)[0]
    auditor = open_account(api, "审计员", "auditor")
    assert api.ok("GET", "/audit/digest", token=judge["token"])["position"] > 0
    assert api.get("/audit/verify", token=judge["token"]).status_code == 403
    assert api.ok("GET", "/audit/verify", token=auditor["token"])["ok"] is True
    refused = api.get("/audit/verify?against=12:nothex")
    assert refused.status_code == 422 and "against" in refused.body["errors"]


def test_leitai_audit_verify_prints_the_verdict_and_exits_1_on_a_tampered_store(api, raw, settings):
    sheets_scored(api)
    head = api.ok("GET", "/audit/digest")
    done = command(settings, "audit", "verify", "--against", f"{head['position']}:{head['hash']}")
    assert done.returncode == 0, done.stderr
    assert "完好 ok" in done.stdout and f"{head['position']}:{head['hash']}" in done.stdout
    assert "校验事件" in done.stderr

    position = first_sheet_position(api)
    raw.run("DELETE FROM {table} WHERE {position} = ?", (position,))
    done = command(settings, "audit", "verify")
    assert done.returncode == 1, done.stderr
    assert "已被篡改 TAMPERED" in done.stdout and f"first bad position: {position}" in done.stdout
