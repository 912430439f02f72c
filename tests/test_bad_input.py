"""Bad input: oversized bodies, long and unusual strings, odd numbers, periods and dates out of range.

Each is either kept exactly (and read back the same) or refused with 413/422 in the error shape,
never a 500, and a refusal records nothing.
"""

import json

import pytest

from .helpers import advance_to, build_judges, build_town, marks_for, schedule
from .periods import run_month

EMOJI_NAME = "大曹镇🎉👩‍🌾" * 25  # 200 characters: the longest name allowed


def refused(api, leitai, status, method, path, body=None, headers=None):
    """Sent as ASCII JSON (\\u escapes), so that even a lone surrogate reaches the server."""
    before = leitai.recorder.max_notification_id() or 0
    response = api.client.open("/api/v1" + path, method=method, data=None if body is None else json.dumps(body),
                               headers={"Authorization": f"Bearer {api.token}", "Content-Type": "application/json",
                                        **(headers or {})})
    response.body = response.get_json(silent=True)
    assert response.status_code == status, (path, response.status_code, response.body)
    assert response.body["code"] == status and response.body["message"], response.body
    assert set(response.body) <= {"code", "status", "message", "errors"}
    assert (leitai.recorder.max_notification_id() or 0) == before
    return response.body


def test_a_body_over_one_megabyte_is_413_in_the_error_shape_and_records_nothing(api, leitai):
    huge = {"name": "镇" * (400 * 1024)}  # 1.2 MB of UTF-8
    refused(api, leitai, 413, "POST", "/towns", huge)
    refused(api, leitai, 413, "POST", "/towns", huge, headers={"Idempotency-Key": "big-1"})
    town = build_town(api, per_track=(1, 0, 0))
    refused(api, leitai, 413, "PUT", f"/villages/{town['villages']['D1']}/duty/2023-05",
            {"items": [{"item": "职责" * 1000, "score": 1, "max": 2}] * 200})
    assert api.ok("POST", "/towns", {"name": "甲镇"}, 201, headers={"Idempotency-Key": "big-1"})["name"] == "甲镇"


def test_chinese_and_emoji_at_the_longest_allowed_length_round_trip(api):
    town = api.ok("POST", "/towns", {"name": EMOJI_NAME, "county": "宁津县\t北部"}, 201)
    assert api.ok("GET", f"/towns/{town['id']}")["name"] == EMOJI_NAME
    assert api.ok("GET", "/towns")[0] == {"id": town["id"], "name": EMOJI_NAME, "county": "宁津县\t北部"}
    village = api.ok("POST", "/villages", {"town_id": town["id"], "code": "村🏠1", "name": "张庄村 ✅",
                                           "track": "foundation", "secretary": {"name": "王书记 😀"}}, 201)
    assert api.ok("GET", f"/villages?town_id={town['id']}")[0]["name"] == "张庄村 ✅"
    assert village["secretary"]["name"] == "王书记 😀"


@pytest.mark.parametrize("name", ["x" * 201, "镇" * 201, "🎉" * 201, "x" * 900_000, ""])
def test_a_string_past_its_limit_or_empty_is_422(api, leitai, name):
    body = refused(api, leitai, 422, "POST", "/towns", {"name": name})
    assert "name" in body["errors"]


@pytest.mark.parametrize("name", ["a\x00b", "bell\x07", "esc\x1b[31m", "del\x7f", "lone \ud800 surrogate", "\x0b"])
def test_control_characters_and_lone_surrogates_are_422(api, leitai, name):
    body = refused(api, leitai, 422, "POST", "/towns", {"name": name})
    assert "name" in body["errors"]


def test_control_characters_in_every_kind_of_text_are_refused_not_500(api, leitai):
    town = build_town(api, per_track=(2, 0, 0))
    judges = build_judges(api, 3)
    village = town["villages"]["D1"]
    bad = "坏\x00字"
    refused(api, leitai, 422, "POST", "/villages", {"town_id": town["town"], "code": bad, "name": "x",
                                                   "track": "foundation", "secretary": {"name": "y"}})
    refused(api, leitai, 422, "POST", f"/villages/{village}/secretary", {"name": bad, "since": "2023-05-01"})
    refused(api, leitai, 422, "POST", "/accounts", {"name": bad, "role": "judge"})
    refused(api, leitai, 422, "POST", "/contests", {
        "town_id": town["town"], "month": "2023-05", "theme": "主题", "domain": "industry", "form": "project",
        "venue": bad, "tracks": ["demonstration"], "judges": [j["id"] for j in judges],
        "criteria": [{"key": "a", "label": "实绩", "max": 100}]})
    refused(api, leitai, 422, "GET", f"/sharings?town_id={town['town']}&period=2023%00")
    contest = schedule(api, town["town"], judges, tracks=["demonstration"])
    advance_to(api, contest["id"], "commentary")
    refused(api, leitai, 422, "POST", f"/contests/{contest['id']}/commentaries", {"village_id": village, "text": bad})
    kept = api.ok("POST", f"/contests/{contest['id']}/commentaries",
                  {"village_id": village, "text": "第一行\n第二行\t完 🎯"}, 201)
    assert any(c["text"] == "第一行\n第二行\t完 🎯" for c in kept["commentaries"])


@pytest.mark.parametrize("mark", ["1e999999999", "-1e999999999", "1e-999999999", "NaN", "Infinity", "1" * 400,
                                  "39.9999999999999999999999999999999999", "true", "null", "[]", "{}", "\"40\""])
def test_odd_numbers_for_a_mark_are_kept_exactly_or_refused(api, leitai, mark):
    town = build_town(api, per_track=(1, 0, 0))
    judges = build_judges(api, 1)
    contest = schedule(api, town["town"], judges, tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    before = leitai.recorder.max_notification_id()
    marks = {k: str(v) for k, v in marks_for(50).items()} | {"work": mark}
    body = "{\"marks\": {" + ", ".join(f"\"{k}\": {v}" for k, v in marks.items()) + "}}"
    response = api.client.put(f"/api/v1/contests/{contest['id']}/sheets/{town['villages']['D1']}", data=body,
                              headers={"Authorization": f"Bearer {judges[0]['token']}",
                                       "Content-Type": "application/json"})
    assert response.status_code in (201, 422), (mark, response.status_code, response.get_data(as_text=True)[:300])
    if response.status_code == 422:
        assert response.get_json()["code"] == 422 and leitai.recorder.max_notification_id() == before
    else:
        sheet = api.ok("GET", f"/contests/{contest['id']}/sheets/{town['villages']['D1']}")["sheets"][0]
        assert str(sheet["marks"]["work"]) == str(response.get_json()["marks"]["work"])


MONTHS = ["2023-13", "2023-00", "1999-12", "10000-01", "2023-1", "23-01", "2023-05-01", "２０２３-05", "2023-05\x00",
          "2023-05\n"]
DATES = ["2023-02-30", "2023-13-01", "2023-00-10", "0000-01-01", "0001-01-01", "1999-12-31", "2023-5-1",
         "2023-05-01T00:00:00", "99999-01-01", "2023-05-32", "２０２３-05-01", "2023-05-01\n", ""]


def test_months_out_of_range_are_422_in_bodies_and_paths(api, leitai):
    town = build_town(api, per_track=(2, 0, 0))
    village = town["villages"]["D1"]
    for month in MONTHS:
        refused(api, leitai, 422, "PUT", f"/towns/{town['town']}/rulebook", {"effective_from": month, "top_n": 2})
        refused(api, leitai, 422, "POST", "/pairings", {"advanced_village_id": village,
                                                       "lagging_village_id": town["villages"]["D2"], "from_month": month})
        refused(api, leitai, 422, "POST", f"/villages/{village}/track",
                {"track": "foundation", "effective_from": month, "reason": "调整"})
    for month in ("2023-13", "2023-00", "1999-12", "2023-1", "10000-01"):
        refused(api, leitai, 422, "PUT", f"/villages/{village}/duty/{month}",
                {"items": [{"item": "职责", "score": 1, "max": 2}]})
        refused(api, leitai, 422, "POST", f"/towns/{town['town']}/months/{month}/close", {})
        refused(api, leitai, 422, "GET", f"/towns/{town['town']}/months/{month}/close-preview")
        refused(api, leitai, 422, "GET", f"/towns/{town['town']}/boards/monthly/{month}")
        refused(api, leitai, 422, "GET", f"/towns/{town['town']}/pairings/compliance/{month}")
    for quarter in ("2023-Q0", "2023-Q5", "1999-Q4", "2023-q1", "2023Q1"):
        refused(api, leitai, 422, "GET", f"/towns/{town['town']}/boards/quarterly/{quarter}")
    for year in ("1999", "20233", "23", "２０２３"):
        refused(api, leitai, 422, "GET", f"/towns/{town['town']}/assessments/{year}")


def test_dates_and_instants_out_of_range_are_422(api, leitai):
    town = build_town(api, per_track=(2, 0, 0))
    village = town["villages"]["D1"]
    for day in DATES:
        refused(api, leitai, 422, "POST", f"/villages/{village}/secretary", {"name": "李四", "since": day})
    pairing = api.ok("POST", "/pairings", {"advanced_village_id": village, "lagging_village_id": town["villages"]["D2"],
                                           "from_month": "2023-05"}, 201)
    for day in DATES:
        refused(api, leitai, 422, "POST", f"/pairings/{pairing['id']}/exchanges",
                {"date": day, "mode": "offline", "summary": "交流"})
    for offset in ("2023-06-01T10:00:00", "2023-02-30T10:00:00+08:00", "2023-06-01T25:00:00+08:00",
                   "2023-06-01T10:00:00+25:00", "yesterday"):
        refused(api, leitai, 422, "POST", f"/interviews/{pairing['id']}/schedule", {"at": offset})


@pytest.mark.parametrize("key", ["k\x00ey", "k\x1bey", "k" * 201])
def test_an_idempotency_key_too_long_or_with_control_characters_is_422(api, leitai, key):
    refused(api, leitai, 422, "POST", "/towns", {"name": "甲镇"}, headers={"Idempotency-Key": key})


@pytest.mark.parametrize("first, then", [
    (None, {"trim": [{"drop": 1}]}),
    ({"trim": [{"min_judges": 5, "drop": 1}, {"min_judges": 7, "drop": 2}]}, {"trim": {"drop": 1}}),
])
def test_a_trim_tier_without_min_judges_is_422(api, leitai, first, then):
    town = build_town(api, per_track=(1, 0, 0))
    if first:
        api.ok("PUT", f"/towns/{town['town']}/rulebook", {"effective_from": "2023-05", **first})
    body = refused(api, leitai, 422, "PUT", f"/towns/{town['town']}/rulebook", {"effective_from": "2023-06", **then})
    assert [key for key in body["errors"] if key.startswith("trim")]


def test_a_month_far_in_the_future_is_previewed_and_refused_at_once(api, leitai):
    town = build_town(api, per_track=(2, 0, 0))
    judges = build_judges(api, 3)
    run_month(api, town, judges, "2023-05", {"D1": (90, 90), "D2": (80, 80)})
    api.ok("POST", f"/towns/{town['town']}/months/2023-05/close")
    preview = api.ok("GET", f"/towns/{town['town']}/months/9999-12/close-preview")
    assert {b["kind"] for b in preview["blockers"]} >= {"not_over", "previous_open"}
    refused(api, leitai, 409, "POST", f"/towns/{town['town']}/months/9999-12/close")
