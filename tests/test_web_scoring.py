"""The judge's scoring page and the organiser's paper-sheet page, in-process: the same use case as the API's
sheet PUT, refusals in Chinese beside the field with nothing recorded, and a double tap recorded once."""

import re

from .helpers import advance_to, build_judges, build_town, open_account, schedule
from .test_web_preview import signed_in


def a_contest_in(api, stage: str, peer_of: str | None = None) -> tuple[dict, dict, list[dict]]:
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 2)
    if peer_of:
        judges.append(open_account(api, "评委（村书记）", "judge", town["villages"][peer_of]))
    contest = schedule(api, town["town"], judges, month="2023-02", tracks=["demonstration"])
    advance_to(api, contest["id"], stage)
    return town, contest, judges


def form_of(html: str, village_id: str) -> dict:
    """The hidden fields of a village's form (its key), and the page's form token (a recused village has no form)."""
    section = re.search(rf'<section class="village[^"]*" id="v-{village_id}".*?</section>', html, re.S).group(0)
    token = re.search(r'name="form_token" value="([^"]*)"', html).group(1)
    return {"form_token": token, **dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', section))}


def marks(work="35", talk="25", idea="15", style="8") -> dict:
    return {"mark-work": work, "mark-talk": talk, "mark-idea": idea, "mark-style": style}


def post_sheet(client, contest_id: str, village_id: str, fields: dict, judge: str | None = None, key=None):
    page = client.get(f"/web/contests/{contest_id}/score" + (f"?judge={judge}" if judge else "")).text
    hidden = form_of(page, village_id)
    if key:
        hidden["key"] = key
    return client.post(f"/web/contests/{contest_id}/score/{village_id}", data={**hidden, **fields})


def test_a_judge_scores_a_village_on_the_phone_page_and_the_api_shows_the_same_sheet(api, flask_app):
    town, contest, judges = a_contest_in(api, "evaluation")
    d1 = town["villages"]["D1"]
    phone = signed_in(flask_app, judges[0]["token"])
    assert f'href="/web/contests/{contest["id"]}/score">评分</a>' in phone.get(f"/web/contests/{contest['id']}").text
    page = phone.get(f"/web/contests/{contest['id']}/score").text
    order = re.findall(r'<section class="village[^"]*" id="v-([^"]+)"', page)
    assert order == list(contest["participants"])
    assert "工作实绩" in page and "满分 40" in page and 'src="/web/static/score.js"' in page
    answer = post_sheet(phone, contest["id"], d1, marks())
    assert answer.status_code == 302 and answer.location.endswith(f"#v-{d1}")
    sheets = api.ok("GET", f"/contests/{contest['id']}/sheets/{d1}")["sheets"]
    assert [(s["judge_id"], s["total"]) for s in sheets] == [(judges[0]["id"], 83)]
    after = phone.get(f"/web/contests/{contest['id']}/score").text
    assert "已记录，合计 83.00 分。" in after and 'data-done="yes"' in after and "提交更正" in after


def test_refusals_come_back_in_chinese_beside_the_field_and_record_nothing(api, flask_app):
    town, contest, judges = a_contest_in(api, "evaluation", peer_of="D2")
    d1, d2 = town["villages"]["D1"], town["villages"]["D2"]
    phone, peer = signed_in(flask_app, judges[0]["token"]), signed_in(flask_app, judges[2]["token"])
    before = api.position()
    out_of_range = post_sheet(phone, contest["id"], d1, marks(work="45", talk="abc"))
    assert out_of_range.status_code == 422
    assert "分数不能超过满分 40 分" in out_of_range.text and "请填写数字" in out_of_range.text
    recused = post_sheet(peer, contest["id"], d2, marks())
    assert recused.status_code == 422 and "按回避规定不为该村打分" in recused.text
    assert api.position() == before
    assert post_sheet(phone, contest["id"], d1, marks()).status_code == 302
    unexplained = post_sheet(phone, contest["id"], d1, marks(work="30"))
    assert unexplained.status_code == 422 and "更正须填写理由" in unexplained.text


def test_before_evaluation_the_page_says_which_step_the_contest_is_in_and_records_nothing(api, flask_app):
    town, contest, judges = a_contest_in(api, "commentary")
    phone = signed_in(flask_app, judges[0]["token"])
    before = api.position()
    refused = post_sheet(phone, contest["id"], town["villages"]["D1"], marks())
    assert refused.status_code == 422 and "现在是“书记点评”环节" in refused.text
    assert api.position() == before


def test_a_double_tap_of_a_correction_records_it_once(api, flask_app):
    town, contest, judges = a_contest_in(api, "evaluation")
    d1 = town["villages"]["D1"]
    phone = signed_in(flask_app, judges[0]["token"])
    assert post_sheet(phone, contest["id"], d1, marks()).status_code == 302
    correction = {**marks(work="30"), "reason": "看错了评分项"}
    first = post_sheet(phone, contest["id"], d1, correction, key="tap-1")
    before = api.position()
    second = post_sheet(phone, contest["id"], d1, correction, key="tap-1")
    assert first.status_code == second.status_code == 302
    assert api.position() == before
    assert "这份评分已经提交过，未重复记录。" in phone.get(f"/web/contests/{contest['id']}/score").text
    sheet = api.ok("GET", f"/contests/{contest['id']}/sheets/{d1}")["sheets"][0]
    assert (sheet["total"], sheet["version"]) == (78, 2)


def test_the_organiser_enters_a_paper_sheet_for_a_chosen_judge_and_a_judge_cannot(api, flask_app):
    town, contest, judges = a_contest_in(api, "evaluation")
    d3 = town["villages"]["D3"]
    office = signed_in(flask_app, "test-bootstrap-token-long-enough")
    chooser = office.get(f"/web/contests/{contest['id']}/score").text
    assert "纸质评分表录入" in chooser and f"judge={judges[1]['id']}" in chooser
    assert post_sheet(office, contest["id"], d3, marks(), judge=judges[1]["id"]).status_code == 302
    sheet = api.ok("GET", f"/contests/{contest['id']}/sheets/{d3}")["sheets"][0]
    assert sheet["judge_id"] == judges[1]["id"]
    phone = signed_in(flask_app, judges[0]["token"])
    assert phone.get(f"/web/contests/{contest['id']}/score?judge={judges[1]['id']}").status_code == 403
    secretary = signed_in(flask_app, open_account(api, "书记", "secretary", d3)["token"])
    assert secretary.get(f"/web/contests/{contest['id']}/score").status_code == 403


def test_a_form_posted_without_the_session_s_form_token_is_refused(api, flask_app):
    town, contest, judges = a_contest_in(api, "evaluation")
    phone = signed_in(flask_app, judges[0]["token"])
    refused = phone.post(f"/web/contests/{contest['id']}/score/{town['villages']['D1']}",
                         data={**marks(), "form_token": "forged"})
    assert refused.status_code == 400 and "页面已过期" in refused.text


def test_after_publication_the_organiser_amends_a_paper_sheet_with_a_reason_and_a_judge_cannot(api, flask_app):
    town, contest, judges = a_contest_in(api, "evaluation")
    villages = town["villages"]
    phone = signed_in(flask_app, judges[0]["token"])
    for code in ("D1", "D2", "D3"):
        for judge in judges:
            api.ok("PUT", f"/contests/{contest['id']}/sheets/{villages[code]}",
                   {"judge_id": judge["id"], "marks": {"work": 30, "talk": 20, "idea": 10, "style": 5}}, 201)
    api.ok("POST", f"/contests/{contest['id']}/publish")
    late = post_sheet(phone, contest["id"], villages["D1"], {**marks(), "reason": "补正"})
    assert late.status_code == 422 and "结果已经公布" in late.text
    office = signed_in(flask_app, "test-bootstrap-token-long-enough")
    amended = post_sheet(office, contest["id"], villages["D1"], {**marks(), "reason": "申诉复核，更正合计"},
                         judge=judges[0]["id"])
    assert amended.status_code == 302
    assert api.ok("GET", f"/contests/{contest['id']}/results")["revision"] == 2
    sheet = api.ok("GET", f"/contests/{contest['id']}/sheets/{villages['D1']}")["sheets"][0]
    assert (sheet["judge_id"], sheet["total"], sheet["version"]) == (judges[0]["id"], 83, 2)
