"""People and process (R14) in the web view, in-process: a contest's appeals and its peer judge's recusal,
a village's secretaries by tenure and its retirement."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .helpers import advance_to, build_judges, build_town, marks_for, open_account, schedule
from .test_web_preview import signed_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
TOTALS = {"D1": 88, "D2": 76, "D3": 64}


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.text


def row_of(html: str, table: str, key: str, value: str) -> str:
    """The row of a table whose `data-{key}` is `value`."""
    shown = re.search(rf'<table id="{table}">.*?</table>', html, re.S).group(0)
    return re.search(rf'<tr data-{key}="{value}"[^>]*>.*?</tr>', shown, re.S).group(0)


def local(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def a_published_contest_with_a_peer_judge(api) -> tuple[dict, dict, dict]:
    """Three judges score every village; the judge from D1 scores D2 and D3 only (回避)."""
    town = build_town(api, per_track=(3, 0, 0))
    villages = town["villages"]
    peer = open_account(api, "评委（D1村书记）", "judge", villages["D1"])
    contest = schedule(api, town["town"], [*build_judges(api, 3), peer], month="2023-02", tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    refused = api.put(f"/contests/{contest['id']}/sheets/{villages['D1']}", {"judge_id": peer["id"], "marks": marks_for(90)})
    assert refused.status_code == 409, refused.body
    sheets = [{"judge_id": judge, "village_id": villages[code], "marks": marks_for(total)}
              for code, total in TOTALS.items() for judge in contest["judges"]
              if not (judge == peer["id"] and code == "D1")]
    api.ok("POST", f"/contests/{contest['id']}/sheets/batch", {"sheets": sheets}, 201)
    api.ok("POST", f"/contests/{contest['id']}/publish")
    return town, contest, peer


def test_the_contest_page_lists_its_appeals_with_their_answers_and_marks_the_peer_judge_recused(api, flask_app):
    town, contest, peer = a_published_contest_with_a_peer_judge(api)
    villages, cid = town["villages"], contest["id"]
    secretary = open_account(api, "D2村书记账号", "secretary", villages["D2"])
    rejected = api.ok("POST", f"/contests/{cid}/appeals", {"village_id": villages["D2"], "reason": "评委未到现场查看"},
                      201, token=secretary["token"])
    upheld = api.ok("POST", f"/contests/{cid}/appeals", {"village_id": villages["D1"], "reason": "总分合计有误"}, 201)
    still_open = api.ok("POST", f"/contests/{cid}/appeals", {"village_id": villages["D3"], "reason": "材料漏计"}, 201)
    rejected = api.ok("POST", f"/appeals/{rejected['id']}/resolve", {"outcome": "rejected", "reason": "评分表齐全，维持原结果"})
    upheld = api.ok("POST", f"/appeals/{upheld['id']}/resolve", {"outcome": "upheld", "reason": "复核属实，更正评分"})

    for token in ("test-bootstrap-token-long-enough", secretary["token"], peer["token"]):
        html = page(signed_in(flask_app, token), f"/web/contests/{cid}")
        row = row_of(html, "appeals", "appeal", rejected["id"])
        assert 'data-status="rejected"' in row and "申诉驳回" in row and "D2村" in row
        assert "评委未到现场查看" in row and "D2村书记账号" in row and local(rejected["lodged_at"]) in row
        assert "评分表齐全，维持原结果" in row and local(rejected["resolved_at"]) in row
        row = row_of(html, "appeals", "appeal", upheld["id"])
        assert "申诉成立" in row and "复核属实，更正评分" in row and "引导令牌" in row
        row = row_of(html, "appeals", "appeal", still_open["id"])
        assert "待处理" in row and "材料漏计" in row

        marks = {v: row_of(html, "marks", "village", v) for v in villages.values()}
        recused = re.findall(r'<td class="num recused" data-judge="([^"]+)"[^>]*>回避</td>', marks[villages["D1"]])
        assert recused == [peer["id"]]
        assert "回避" not in marks[villages["D2"]] and "回避" not in marks[villages["D3"]]
        shown = re.findall(r'<td class="num total[^"]*" data-judge="([^"]+)"[^>]*>([^<]*)</td>', marks[villages["D2"]])
        assert shown == [(judge, "76.00") for judge in contest["judges"]]


def test_a_contest_without_appeals_says_so_and_one_before_publication_has_no_appeals_section(api, flask_app):
    town = build_town(api, per_track=(2, 0, 0))
    contest = schedule(api, town["town"], build_judges(api, 3), month="2023-02", tracks=["demonstration"])
    client = signed_in(flask_app, "test-bootstrap-token-long-enough")
    assert "<h2>申诉</h2>" not in page(client, f"/web/contests/{contest['id']}")
    advance_to(api, contest["id"], "evaluation")
    sheets = [{"judge_id": judge, "village_id": village, "marks": marks_for(80)}
              for village in town["villages"].values() for judge in contest["judges"]]
    api.ok("POST", f"/contests/{contest['id']}/sheets/batch", {"sheets": sheets}, 201)
    api.ok("POST", f"/contests/{contest['id']}/publish")
    html = page(client, f"/web/contests/{contest['id']}")
    assert "<h2>申诉</h2>" in html and "没有申诉。" in html and 'id="appeals"' not in html


def test_the_village_page_lists_its_secretaries_by_tenure_and_shows_a_retirement(api, flask_app):
    town = build_town(api, per_track=(3, 0, 0))
    d1, d3 = town["villages"]["D1"], town["villages"]["D3"]
    coming = (date.today() + timedelta(days=60)).isoformat()
    api.ok("POST", f"/villages/{d1}/secretary", {"name": "新书记", "since": "2023-12-15"})
    api.ok("POST", f"/villages/{d1}/secretary", {"name": "候任书记", "since": coming})
    api.ok("POST", f"/villages/{d3}/retire", {"effective_from": "2023-03", "reason": "村庄撤并"})
    client = signed_in(flask_app, open_account(api, "镇长", "auditor")["token"])

    html = page(client, f"/web/villages/{d1}")
    tenures = re.search(r'<ol id="tenures">.*?</ol>', html, re.S).group(0)
    items = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
             for item in re.findall(r"<li[^>]*>(.*?)</li>", tenures, re.S)]
    assert items == ["书记D1 登记时起，2023-12-15卸任", "新书记 2023-12-15起，" + coming + "卸任 现任",
                     f"候任书记 {coming}起 待到任"]
    assert re.findall(r'<li data-since="([^"]*)" class="current">', tenures) == ["2023-12-15"]
    assert "<dt>村党组织书记</dt><dd>新书记" in html
    assert "已撤并" not in html

    html = page(client, f"/web/villages/{d3}")
    assert re.search(r'<span class="badge warn" id="retired" data-from="2023-03">已撤并（自2023-03起）</span>', html)
    assert "此前：示范村" in html and "自2023-03起 撤并，不再参加排名" in html
