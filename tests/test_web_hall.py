"""The hall screen in-process: counts of sheets and never a mark before publication, 亮分 after; its stream read
with the web session (EventSource sends no bearer token), for organizers and auditors only."""

import re

from .helpers import advance_to, build_judges, build_town, marks_for, open_account, schedule
from .test_web_preview import signed_in


def a_contest_being_scored(api) -> tuple[dict, dict, list[dict]]:
    """Five judges; D1 has all five sheets (70 to 82: 76.00 once trimmed), D2 two (77, 80: 78.50), D3 none."""
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 5)
    contest = schedule(api, town["town"], judges, month="2023-02", tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    for code, count in (("D1", 5), ("D2", 2)):
        for n, judge in enumerate(judges[:count]):
            api.ok("PUT", f"/contests/{contest['id']}/sheets/{town['villages'][code]}",
                   {"judge_id": judge["id"], "marks": marks_for(70 + n * 3 + (code == "D2") * 7)}, 201)
    return town, contest, judges


def counts_on(html: str) -> dict:
    return {v: (int(s), int(p)) for v, s, p in
            re.findall(r'data-village="([^"]+)" data-sheets="(\d+)" data-panel="(\d+)"', html)}


def test_before_publication_the_hall_shows_how_many_sheets_are_in_and_no_mark(api, flask_app):
    town, contest, judges = a_contest_being_scored(api)
    villages = town["villages"]
    html = signed_in(flask_app, open_account(api, "镇长", "auditor")["token"]).get(
        f"/web/contests/{contest['id']}/live").text
    assert counts_on(html) == {villages["D1"]: (5, 5), villages["D2"]: (2, 5), villages["D3"]: (0, 5)}
    shown = html[html.index("<main>"):]
    assert not re.search(r"\d+\.\d", shown), "a mark on the hall screen before publication"
    assert f'data-stream="/api/v1/contests/{contest["id"]}/live"' in html
    assert 'src="/web/static/live.js"' in html


def test_after_publication_the_hall_lights_each_village_s_marks_with_the_trimmed_struck(api, flask_app):
    town, contest, judges = a_contest_being_scored(api)
    villages = town["villages"]
    api.ok("POST", f"/contests/{contest['id']}/absences", {"village_id": villages["D3"], "excused": True, "reason": "请假"})
    api.ok("POST", f"/contests/{contest['id']}/publish")
    html = signed_in(flask_app, "test-bootstrap-token-long-enough").get(f"/web/contests/{contest['id']}/live").text
    d1 = re.search(rf'<tr data-village="{villages["D1"]}">.*?</tr>', html, re.S).group(0)
    assert re.findall(r'class="num mark trimmed"[^>]*>([\d.]+)<', d1) == ["70.00", "82.00"]
    assert '<td class="num rank">2</td>' in d1 and "<strong>76.00</strong>" in d1
    assert "亮分" in html


def test_a_judge_may_not_open_the_hall_screen_nor_its_stream(api, flask_app):
    town, contest, judges = a_contest_being_scored(api)
    judge = signed_in(flask_app, judges[0]["token"])
    assert judge.get(f"/web/contests/{contest['id']}/live").status_code == 403
    assert judge.get(f"/api/v1/contests/{contest['id']}/live").status_code == 403
    assert flask_app.test_client().get(f"/api/v1/contests/{contest['id']}/live").status_code == 401


def test_the_stream_reads_the_web_session_and_sends_counts_never_marks(api, flask_app):
    town, contest, judges = a_contest_being_scored(api)
    auditor = signed_in(flask_app, open_account(api, "镇长", "auditor")["token"])
    response = auditor.get(f"/api/v1/contests/{contest['id']}/live")
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    body = response.get_data(as_text=True)
    assert body.startswith("retry: 1000\n\n")
    sheets = re.findall(r"id: (\d+)\nevent: sheet\ndata: (.*)\n\n", body)
    assert len(sheets) == 7 and all('"panel": 5' in data or '"panel":5' in data for _, data in sheets)
    assert "marks" not in body and "total" not in body
    last = sheets[-3][0]
    resumed = auditor.get(f"/api/v1/contests/{contest['id']}/live", headers={"Last-Event-ID": last}).get_data(as_text=True)
    assert [p for p, _ in re.findall(r"id: (\d+)\nevent: sheet\ndata: (.*)\n\n", resumed)] == [p for p, _ in sheets[-2:]]


def test_a_cancelled_contest_is_announced_on_the_stream_and_the_screen(api, flask_app):
    town, contest, judges = a_contest_being_scored(api)
    api.ok("POST", f"/contests/{contest['id']}/cancel", {"reason": "暴雨，改期举行"})
    hall = signed_in(flask_app, "test-bootstrap-token-long-enough")
    body = hall.get(f"/api/v1/contests/{contest['id']}/live").get_data(as_text=True)
    assert re.search(r"event: cancelled\ndata: \{\"contest_id\": ?\"" + contest["id"], body)
    assert "本场擂台已取消" in hall.get(f"/web/contests/{contest['id']}/live").text
