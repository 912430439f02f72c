"""Schemathesis against /openapi.json, as each role: no 5xx, every refusal in the error shape, and refusals record nothing.

Cases are drawn from every operation of the document, in both of schemathesis's modes (bodies and
parameters that fit the schema, and ones that break it), with path ids often swapped for real ones so
requests reach the rules and not only the 404. LEITAI_FUZZ_EXAMPLES sets the cases per role and store
(default 120) and LEITAI_FUZZ_SECONDS the time each may take (default 20).
"""

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as budget
from hypothesis import strategies as st
from schemathesis import GenerationMode

from .world import ROLES, build_world, ids_for_path

EXAMPLES = int(os.environ.get("LEITAI_FUZZ_EXAMPLES", "120"))
SECONDS = float(os.environ.get("LEITAI_FUZZ_SECONDS", "20"))
FIGURES: dict[str, dict] = {}


def cases(schema):
    return st.one_of(schema.as_strategy(GenerationMode.POSITIVE), schema.as_strategy(GenerationMode.NEGATIVE))


def with_real_ids(case, draw, known: dict) -> None:
    """Most path parameters become ids and periods of the world; the rest stay as generated."""
    for name, value in (case.path_parameters or {}).items():
        if name in known and draw(st.integers(0, 3)):
            case.path_parameters[name] = known[name]
    if case.query and "town_id" in case.query and draw(st.booleans()):
        case.query["town_id"] = known["town_id"]


def real_ids(api, world) -> dict:
    """Ids the world leaves out: a sharing invitation of its closed month, and an appeal on its published contest."""
    contest = api.ok("GET", f"/contests?town_id={world['town']}&month=2023-05")[0]
    appeal = api.ok("POST", f"/contests/{contest['id']}/appeals", {"village_id": world["villages"]["D4"], "reason": "计分有误"},
                    201)
    return {"appeal_id": appeal["id"], "sharing_id": api.ok("GET", f"/sharings?town_id={world['town']}")[0]["id"]}


def error_shaped(response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return (isinstance(body, dict) and body.get("code") == response.status_code
            and isinstance(body.get("status"), str) and isinstance(body.get("message"), str) and body["message"]
            and set(body) <= {"code", "status", "message", "errors"}
            and isinstance(body.get("errors", {}), dict))


@pytest.mark.parametrize("role", ROLES)
def test_fuzzed_requests_get_no_5xx_and_refusals_record_nothing(api, flask_app, leitai, settings, role):
    world = build_world(api)
    known = ids_for_path(world) | real_ids(api, world)
    token = world["tokens"][role]
    schema = schemathesis.openapi.from_wsgi("/openapi.json", flask_app)
    client = flask_app.test_client()
    tally = {"requests": 0, "2xx": 0, "4xx": 0, "5xx": 0, "refusals_checked": 0}
    stop_at = time.monotonic() + SECONDS

    @budget(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=cases(schema), data=st.data())
    def run(case, data):
        if time.monotonic() > stop_at:
            return
        with_real_ids(case, data.draw, known)
        head = leitai.recorder.max_notification_id() or 0
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        tally["requests"] += 1
        status, where = response.status_code, f"{case.method} {case.formatted_path} {case.query} {case.body!r}"
        assert status < 500, f"{where} -> {status} {response.content[:500]!r}"
        if status >= 400:
            tally["4xx"] += 1
            assert error_shaped(response), f"{where} -> {status} {response.content[:500]!r}"
            after = client.get(f"/api/v1/events?after={head}&limit=1", headers={"Authorization": f"Bearer {api.token}"})
            assert after.get_json()["events"] == [], f"{where} -> {status} yet recorded {after.get_json()}"
            tally["refusals_checked"] += 1
        else:
            tally["2xx"] += 1

    run()
    FIGURES[f"{role}/{'postgres' if settings.database_url else 'sqlite'}"] = tally
    print(f"fuzz {role}: {tally}")
    assert tally["requests"] >= min(EXAMPLES, 30) and tally["4xx"] > 0
