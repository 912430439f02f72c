"""Every refusal of the Contests contract: its status, the error shape, and nothing recorded."""

import uuid

import pytest

from .helpers import advance_to, build_judges, build_town, marks_for, open_account, schedule


@pytest.fixture
def contest(api):
    town = build_town(api, per_track=(2, 1, 1))
    judges = build_judges(api, 3)
    contest = schedule(api, town["town"], judges)
    return {"town": town, "judges": judges, "id": contest["id"], "village": town["villages"]["D1"]}


def refused(api, status, method, path, body=None, **kw):
    before = api.position()
    response = api.call(method, path, body, **kw)
    assert response.status_code == status, response.body
    assert set(response.body) >= {"code", "status", "message"} and response.body["code"] == status
    assert isinstance(response.body["message"], str) and response.body["message"]
    assert api.position() == before
    return response.body


def sheet_path(contest):
    return f"/contests/{contest['id']}/sheets/{contest['village']}"


def test_a_judge_off_the_panel_cannot_submit_a_sheet(api, contest):
    advance_to(api, contest["id"], "evaluation")
    outsider = open_account(api, "外请评委", "judge")
    refused(api, 403, "PUT", sheet_path(contest), {"marks": marks_for(60)}, token=outsider["token"])


def test_a_sheet_outside_the_evaluation_step_is_refused(api, contest):
    advance_to(api, contest["id"], "commentary")
    refused(api, 409, "PUT", sheet_path(contest), {"marks": marks_for(60)}, token=contest["judges"][0]["token"])


def test_a_mark_above_its_maximum_is_refused(api, contest):
    advance_to(api, contest["id"], "evaluation")
    body = refused(api, 422, "PUT", sheet_path(contest), {"marks": {**marks_for(60), "style": 11}},
                   token=contest["judges"][0]["token"])
    assert "marks" in body["errors"]


def test_a_negative_mark_is_refused(api, contest):
    advance_to(api, contest["id"], "evaluation")
    refused(api, 422, "PUT", sheet_path(contest), {"marks": {**marks_for(60), "style": -1}},
            token=contest["judges"][0]["token"])


def test_an_unknown_criterion_is_refused(api, contest):
    advance_to(api, contest["id"], "evaluation")
    body = refused(api, 422, "PUT", sheet_path(contest), {"marks": {**marks_for(60), "luck": 5}},
                   token=contest["judges"][0]["token"])
    assert any("luck" in m for m in body["errors"]["marks"])


def test_a_missing_criterion_is_refused(api, contest):
    advance_to(api, contest["id"], "evaluation")
    marks = marks_for(60)
    del marks["idea"]
    refused(api, 422, "PUT", sheet_path(contest), {"marks": marks}, token=contest["judges"][0]["token"])


def test_a_mark_that_is_not_a_number_is_refused(api, contest):
    advance_to(api, contest["id"], "evaluation")
    body = refused(api, 422, "PUT", sheet_path(contest), {"marks": {**marks_for(60), "work": "很好"}},
                   token=contest["judges"][0]["token"])
    assert "marks.work.value" in body["errors"]


def test_different_marks_resubmitted_are_refused(api, contest):
    advance_to(api, contest["id"], "evaluation")
    judge = contest["judges"][0]["token"]
    api.ok("PUT", sheet_path(contest), {"marks": marks_for(60)}, 201, token=judge)
    refused(api, 409, "PUT", sheet_path(contest), {"marks": marks_for(61)}, token=judge)


def test_an_unknown_contest_is_404(api, contest):
    refused(api, 404, "PUT", f"/contests/{uuid.uuid4()}/sheets/{contest['village']}", {"marks": marks_for(60)},
            token=contest["judges"][0]["token"])
    refused(api, 404, "GET", f"/contests/{uuid.uuid4()}")
    refused(api, 404, "POST", f"/contests/{uuid.uuid4()}/publish", {})


def test_a_village_not_in_the_contest_is_404(api, contest):
    advance_to(api, contest["id"], "evaluation")
    refused(api, 404, "PUT", f"/contests/{contest['id']}/sheets/{uuid.uuid4()}", {"marks": marks_for(60)},
            token=contest["judges"][0]["token"])


def test_no_token_is_401(api, contest):
    advance_to(api, contest["id"], "evaluation")
    refused(api, 401, "PUT", sheet_path(contest), {"marks": marks_for(60)}, token=None)
    refused(api, 401, "PUT", sheet_path(contest), {"marks": marks_for(60)}, token="not-a-token")


def test_a_role_that_may_not_submit_gets_403(api, contest):
    advance_to(api, contest["id"], "evaluation")
    secretary = open_account(api, "书记", "secretary", contest["village"])
    auditor = open_account(api, "纪检", "auditor")
    for account in (secretary, auditor):
        refused(api, 403, "PUT", sheet_path(contest), {"marks": marks_for(60)}, token=account["token"])
    refused(api, 403, "POST", f"/contests/{contest['id']}/publish", {}, token=contest["judges"][0]["token"])
    refused(api, 403, "POST", "/towns", {"name": "x"}, token=auditor["token"])


def test_a_judge_may_not_submit_for_another_judge(api, contest):
    advance_to(api, contest["id"], "evaluation")
    judges = contest["judges"]
    refused(api, 403, "PUT", sheet_path(contest), {"marks": marks_for(60), "judge_id": judges[1]["id"]},
            token=judges[0]["token"])


def test_a_correction_without_a_reason_or_a_sheet_is_refused(api, contest):
    advance_to(api, contest["id"], "evaluation")
    judge = contest["judges"][0]["token"]
    path = sheet_path(contest) + "/corrections"
    refused(api, 404, "POST", path, {"marks": marks_for(61), "reason": "更正"}, token=judge)
    api.ok("PUT", sheet_path(contest), {"marks": marks_for(60)}, 201, token=judge)
    refused(api, 422, "POST", path, {"marks": marks_for(61)}, token=judge)
    refused(api, 422, "POST", path, {"marks": marks_for(61), "reason": "   "}, token=judge)
    refused(api, 409, "POST", path, {"marks": marks_for(60), "reason": "同分"}, token=judge)


def score(api, contest, code, total=60):
    api.ok("PUT", f"/contests/{contest['id']}/sheets/{contest['town']['villages'][code]}", {"marks": marks_for(total)},
           201, token=contest["judges"][0]["token"])


def test_publication_is_refused_while_a_participant_has_no_sheet_and_no_recorded_absence(api, contest):
    villages = contest["town"]["villages"]
    advance_to(api, contest["id"], "evaluation")
    score(api, contest, "D1")
    api.ok("POST", f"/contests/{contest['id']}/absences", {"village_id": villages["D2"], "excused": False, "reason": "未到场"})
    body = refused(api, 409, "POST", f"/contests/{contest['id']}/publish", {})
    assert body["errors"] == {"villages": ["E1", "F1"]}
    score(api, contest, "E1")
    body = refused(api, 409, "POST", f"/contests/{contest['id']}/publish", {})
    assert body["errors"] == {"villages": ["F1"]}
    api.ok("POST", f"/contests/{contest['id']}/absences", {"village_id": villages["F1"], "excused": True, "reason": "请假"})
    assert api.ok("POST", f"/contests/{contest['id']}/publish")["revision"] == 1


def test_nothing_is_accepted_after_publication_or_cancellation(api, contest):
    advance_to(api, contest["id"], "evaluation")
    for code in contest["town"]["villages"]:
        score(api, contest, code)
    api.ok("POST", f"/contests/{contest['id']}/publish")
    refused(api, 409, "PUT", sheet_path(contest), {"marks": marks_for(60)}, token=contest["judges"][0]["token"])
    refused(api, 409, "POST", f"/contests/{contest['id']}/publish", {})
    refused(api, 409, "POST", f"/contests/{contest['id']}/advance", {})
    refused(api, 409, "POST", f"/contests/{contest['id']}/cancel", {"reason": "晚了"})


def test_a_contest_with_bad_terms_is_refused(api, contest):
    town, judges = contest["town"], contest["judges"]
    base = {"town_id": town["town"], "month": "2023-06", "theme": "产业发展", "domain": "industry", "form": "project",
            "tracks": ["demonstration"], "judges": [j["id"] for j in judges],
            "criteria": [{"key": "a", "label": "实绩", "max": 100}]}
    refused(api, 422, "POST", "/contests", {**base, "domain": "sports"})
    refused(api, 422, "POST", "/contests", {**base, "month": "2023-13"})
    refused(api, 422, "POST", "/contests", {**base, "judges": [str(uuid.uuid4())]})
    refused(api, 422, "POST", "/contests", {**base, "criteria": [{"key": "a", "label": "x", "max": 0}]})
    refused(api, 422, "POST", "/contests", {**base, "participants": [contest["town"]["villages"]["F1"]]})
    refused(api, 404, "POST", "/contests", {**base, "town_id": str(uuid.uuid4())})
    refused(api, 422, "POST", "/contests", {**base, "unknown": 1})


def test_a_duplicate_village_code_is_409(api, contest):
    body = {"town_id": contest["town"]["town"], "code": "D1", "name": "重名村", "track": "foundation",
            "secretary": {"name": "张三"}}
    refused(api, 409, "POST", "/villages", body)
