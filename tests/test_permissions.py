"""Who may do what: every endpoint against every role, sheets hidden before publication, tokens kept only as hashes."""

import dataclasses
import hashlib
import logging
import sqlite3

import psycopg
import pytest

from .helpers import marks_for, open_account
from .world import build_world, ids_for_path

EVERYONE = {"organizer", "judge", "secretary", "auditor"}
READERS = {"organizer", "auditor"}
ORGANIZER = {"organizer"}

# (method, path in the OpenAPI document) -> the roles that may call it; a new endpoint must be added here.
MATRIX = {
    ("GET", "/towns"): EVERYONE,
    ("POST", "/towns"): ORGANIZER,
    ("GET", "/towns/{town_id}"): EVERYONE,
    ("PUT", "/towns/{town_id}/rulebook"): ORGANIZER,
    ("GET", "/villages"): EVERYONE,
    ("POST", "/villages"): ORGANIZER,
    ("GET", "/villages/{village_id}"): EVERYONE,
    ("POST", "/villages/{village_id}/track"): ORGANIZER,
    ("POST", "/villages/{village_id}/secretary"): ORGANIZER,
    ("POST", "/villages/{village_id}/retire"): ORGANIZER,
    ("POST", "/accounts"): ORGANIZER,
    ("POST", "/accounts/{account_id}/disable"): ORGANIZER,
    ("POST", "/accounts/{account_id}/token"): ORGANIZER,  # and the account itself (tests/test_security.py)
    ("GET", "/contests"): EVERYONE,
    ("POST", "/contests"): ORGANIZER,
    ("GET", "/contests/{contest_id}"): EVERYONE,
    ("POST", "/contests/{contest_id}/advance"): ORGANIZER,
    ("POST", "/contests/{contest_id}/cancel"): ORGANIZER,
    ("POST", "/contests/{contest_id}/commentaries"): ORGANIZER,
    ("POST", "/contests/{contest_id}/absences"): ORGANIZER,
    ("GET", "/contests/{contest_id}/sheets/{village_id}"): EVERYONE,
    ("PUT", "/contests/{contest_id}/sheets/{village_id}"): {"organizer", "judge"},
    ("POST", "/contests/{contest_id}/sheets/batch"): ORGANIZER,
    ("POST", "/contests/{contest_id}/sheets/{village_id}/corrections"): {"organizer", "judge"},
    ("POST", "/contests/{contest_id}/publish"): ORGANIZER,
    ("GET", "/contests/{contest_id}/appeals"): EVERYONE,
    ("POST", "/contests/{contest_id}/appeals"): {"organizer", "secretary"},  # the village's own secretary (R14)
    ("POST", "/appeals/{appeal_id}/resolve"): ORGANIZER,
    ("GET", "/contests/{contest_id}/results"): EVERYONE,
    ("GET", "/contests/{contest_id}/analytics"): READERS,
    ("PUT", "/villages/{village_id}/duty/{month}"): ORGANIZER,
    ("GET", "/towns/{town_id}/duty/{month}/template.xlsx"): READERS,
    ("POST", "/towns/{town_id}/duty/{month}/import"): ORGANIZER,
    ("GET", "/contests/{contest_id}/live"): READERS,  # the hall screen: counts of sheets, then the results
    ("GET", "/towns/{town_id}/months/{month}/close-preview"): READERS,
    ("POST", "/towns/{town_id}/months/{month}/close"): ORGANIZER,
    ("POST", "/towns/{town_id}/months/{month}/reopen"): ORGANIZER,
    ("GET", "/towns/{town_id}/boards/monthly/{month}"): EVERYONE,
    ("GET", "/towns/{town_id}/boards/quarterly/{quarter}"): EVERYONE,
    ("GET", "/towns/{town_id}/assessments/{year}"): EVERYONE,
    ("GET", "/interviews"): EVERYONE,
    ("POST", "/interviews/{interview_id}/schedule"): ORGANIZER,
    ("POST", "/interviews/{interview_id}/hold"): ORGANIZER,
    ("POST", "/interviews/{interview_id}/waive"): ORGANIZER,
    ("GET", "/sharings"): EVERYONE,
    ("POST", "/sharings/{sharing_id}/held"): ORGANIZER,
    ("POST", "/pairings"): ORGANIZER,
    ("GET", "/pairings/{pairing_id}"): EVERYONE,
    ("POST", "/pairings/{pairing_id}/exchanges"): {"organizer", "secretary"},
    ("POST", "/pairings/{pairing_id}/dissolve"): ORGANIZER,
    ("GET", "/towns/{town_id}/pairings/compliance/{month}"): EVERYONE,
    ("GET", "/followups"): EVERYONE,
    # The log holds every sheet's marks: before publication only those who may see every sheet read it.
    ("GET", "/history/{entity_id}"): READERS,
    ("GET", "/contests/{contest_id}/history"): READERS,
    ("GET", "/towns/{town_id}/exports/{kind}/{period}.{fmt}"): EVERYONE,  # kind "contest": READERS only
    ("GET", "/events"): READERS,
    ("GET", "/audit/digest"): EVERYONE,
    ("GET", "/audit/verify"): READERS,
}
QUERIES = {"/villages": "town_id={town_id}", "/contests": "town_id={town_id}", "/interviews": "town_id={town_id}",
           "/sharings": "town_id={town_id}", "/followups": "town_id={town_id}"}
PROBE = {"not_a_field": 1}  # a body no write accepts: an allowed role gets 422, and nothing is recorded
UPLOADS = {("POST", "/towns/{town_id}/duty/{month}/import")}  # a file, not JSON: the probe is no workbook


@pytest.fixture
def settings(settings):
    """The matrix sends a disabled account's token to every endpoint from one address, far beyond the failed
    authentications a minute allowed: here the limit is out of the way (tests/test_security.py tests it)."""
    return dataclasses.replace(settings, auth_failures_per_minute=10_000)


def endpoints(flask_app) -> list[tuple[str, str]]:
    paths = flask_app.test_client().get("/openapi.json").get_json()["paths"]
    return sorted((method.upper(), path.removeprefix("/api/v1")) for path, item in paths.items()
                  for method in item if method in ("get", "post", "put", "patch", "delete"))


def head(leitai) -> int:
    return leitai.recorder.max_notification_id() or 0


def is_error(response, status) -> bool:
    body = response.body or {}
    return response.status_code == status and body.get("code") == status and set(body) >= {"status", "message"}


def test_every_endpoint_declares_who_may_call_it(flask_app):
    missing = [e for e in endpoints(flask_app) if e not in MATRIX]
    assert not missing, f"add these endpoints to tests/test_permissions.py MATRIX: {missing}"


def real_ids(api, world) -> dict:
    """Ids the world leaves out: a sharing invitation of its closed month, and an appeal on its published contest."""
    contest = api.ok("GET", f"/contests?town_id={world['town']}&month=2023-05")[0]
    appeal = api.ok("POST", f"/contests/{contest['id']}/appeals", {"village_id": world["villages"]["D4"], "reason": "计分有误"},
                    201)
    return {"appeal_id": appeal["id"], "sharing_id": api.ok("GET", f"/sharings?town_id={world['town']}")[0]["id"]}


def test_every_endpoint_answers_each_role_as_the_matrix_says(api, flask_app, leitai):
    world = build_world(api)
    ids = ids_for_path(world) | real_ids(api, world)
    seen = []
    for method, template in endpoints(flask_app):
        allowed = MATRIX.get((method, template), set())
        path = template.format(**ids) + ("?" + QUERIES[template].format(**ids) if template in QUERIES else "")
        for role, token in world["tokens"].items():
            before = head(leitai)
            response = api.call(method, path, None if method == "GET" else PROBE, token=token)
            where = (method, path, role, response.status_code, response.body)
            if role in ("none", "disabled"):
                assert is_error(response, 401), where
            elif role not in allowed:
                assert is_error(response, 403), where
            elif method == "GET":
                assert response.status_code == 200, where
            else:
                field = "file" if (method, template) in UPLOADS else "not_a_field"
                assert is_error(response, 422) and field in response.body["errors"], where
            assert head(leitai) == before, where
            seen.append(response.status_code)
    assert seen.count(401) == 2 * len(endpoints(flask_app)) and 403 in seen


def sheets_seen(api, world, token) -> set[str]:
    body = api.ok("GET", f"/contests/{world['contest']}/sheets/{world['village']}", token=token)
    return {sheet["judge_id"] for sheet in body["sheets"]}


def test_before_publication_a_judge_sees_only_their_own_sheets_and_a_secretary_none(api):
    world = build_world(api)
    first, second, third = world["judges"]
    api.ok("PUT", f"/contests/{world['contest']}/sheets/{world['village']}", {"marks": marks_for(80)}, 201,
           token=second["token"])
    tokens = world["tokens"]
    assert sheets_seen(api, world, first["token"]) == {first["id"]}
    assert sheets_seen(api, world, second["token"]) == {second["id"]}
    assert sheets_seen(api, world, third["token"]) == set()
    assert sheets_seen(api, world, tokens["secretary"]) == set()
    assert sheets_seen(api, world, tokens["organizer"]) == sheets_seen(api, world, tokens["auditor"]) == \
        {first["id"], second["id"]}
    assert api.get(f"/history/{world['sheet']}", token=second["token"]).status_code == 403
    assert api.get("/events", token=tokens["secretary"]).status_code == 403

    # Publication needs every participant scored or absent (R13): the others of the world's contest are excused.
    for village in api.ok("GET", f"/contests/{world['contest']}")["participants"]:
        if village != world["village"]:
            api.ok("POST", f"/contests/{world['contest']}/absences", {"village_id": village, "excused": True, "reason": "请假"})
    api.ok("POST", f"/contests/{world['contest']}/publish")
    assert sheets_seen(api, world, tokens["secretary"]) == sheets_seen(api, world, third["token"]) == \
        {first["id"], second["id"]}


def test_a_disabled_account_is_refused_and_disabling_it_twice_is_409(api, leitai):
    judge = open_account(api, "评委", "judge")
    assert api.get("/towns", token=judge["token"]).status_code == 200
    assert api.post(f"/accounts/{judge['id']}/disable", {"reason": "离任"}, token=judge["token"]).status_code == 403
    for body, status in (({}, 422), ({"reason": "   "}, 422)):
        before = head(leitai)
        assert is_error(api.post(f"/accounts/{judge['id']}/disable", body), status)
        assert head(leitai) == before
    disabled = api.ok("POST", f"/accounts/{judge['id']}/disable", {"reason": "离任"})
    assert disabled == {"id": judge["id"], "name": "评委", "role": "judge", "village_id": None, "disabled": True}
    assert is_error(api.get("/towns", token=judge["token"]), 401)
    before = head(leitai)
    assert is_error(api.post(f"/accounts/{judge['id']}/disable", {"reason": "再次"}), 409)
    assert head(leitai) == before
    events = [e["type"] for e in api.ok("GET", f"/history/{judge['id']}")]
    assert events == ["Account.Opened", "Account.Disabled"]


def every_stored_value(settings) -> bytes:
    """Every row of every table, of the event store and the read models, as bytes."""
    dump = bytearray()
    if settings.database_url:
        with psycopg.connect(settings.database_url) as connection:
            tables = [r[0] for r in connection.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")]
            for table in tables:
                for row in connection.execute(f"SELECT * FROM {table}"):
                    dump += repr(row).encode() + b"".join(v for v in row if isinstance(v, bytes))
        return bytes(dump)
    for name in ("events.sqlite", "views.sqlite"):
        with sqlite3.connect(settings.data_dir / name) as connection:
            tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                for row in connection.execute(f"SELECT * FROM {table}"):
                    dump += repr(row).encode() + b"".join(v for v in row if isinstance(v, bytes))
    return bytes(dump)


def test_tokens_are_stored_only_as_hashes(api, leitai, settings):
    plain = open_account(api, "评委甲", "judge")
    keyed = api.ok("POST", "/accounts", {"name": "评委乙", "role": "judge"}, 201, headers={"Idempotency-Key": "k-1"})
    again = api.ok("POST", "/accounts", {"name": "评委乙", "role": "judge"}, 201, headers={"Idempotency-Key": "k-1"})
    assert again["id"] == keyed["id"] and "token" not in again  # shown once: a repeat does not show it again
    for account in (plain, keyed):
        assert api.get("/towns", token=account["token"]).status_code == 200
    stored = every_stored_value(settings)
    for account in (plain, keyed):
        assert account["token"].encode() not in stored
        assert hashlib.sha256(account["token"].encode()).hexdigest().encode() in stored


class Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def text(self) -> str:
        return "\n".join(f"{r.getMessage()} {getattr(r, 'fields', '')}" for r in self.records)


def test_failed_authentications_are_logged_without_the_token(api, flask_app):
    judge = open_account(api, "评委", "judge")
    api.ok("POST", f"/accounts/{judge['id']}/disable", {"reason": "离任"})
    kept = Kept()
    logger = logging.getLogger("leitai")
    logger.addHandler(kept)
    try:
        wrong = "wrong-" + judge["token"][::-1]
        for token in (wrong, judge["token"], None):
            assert api.get("/towns", token=token).status_code == 401
        assert api.get("/towns").status_code == 200
    finally:
        logger.removeHandler(kept)
    failures = [r for r in kept.records if r.name == "leitai.auth" and "failed authentication" in r.getMessage()]
    assert len(failures) == 3 and all(r.levelno == logging.WARNING for r in failures)
    assert "/api/v1/towns" in failures[0].getMessage()
    for secret in (wrong, judge["token"], api.token):
        assert secret not in kept.text()
