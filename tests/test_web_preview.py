"""The month page in-process: the basis its consequences were taken on (R9), the contest ranks, and the
organizer's close preview (R13), without a browser."""

import re

from .helpers import build_judges, build_town, open_account
from .periods import run_month, set_duty
from .test_web_session import FIGURES, sign_in

WITHOUT_F2 = {code: figures for code, figures in FIGURES.items() if code != "F2"}


def signed_in(flask_app, token: str):
    client = flask_app.test_client()
    assert sign_in(client, token).status_code == 302
    return client


def month_page(client, town: dict, month: str) -> str:
    response = client.get(f"/web/towns/{town['town']}?month={month}")
    assert response.status_code == 200
    return response.text


def preview_of(page: str) -> str | None:
    found = re.search(r'<section id="close-preview".*?</section>', page, re.S)
    return found.group(0) if found else None


def cells(page: str, cell: str) -> dict:
    """village id -> the text of one cell of the monthly tables (the preview's rows have no such cells)."""
    return dict(re.findall(rf'<tr data-village="([^"]+)">.*?<td class="num {cell}"[^>]*>([^<]*)</td>', page, re.S))


def a_january_without_f2_s_duty_list(api) -> dict:
    """F2 is excused from its contest and has no duty list: 2023-01 is over but cannot close."""
    town = build_town(api, per_track=(2, 2, 2))
    run_month(api, town, build_judges(api, 3), "2023-01", WITHOUT_F2, excused=("F2",))
    return town


def test_an_organizer_sees_what_blocks_an_open_month_s_close_and_an_auditor_sees_no_preview(api, flask_app):
    town = a_january_without_f2_s_duty_list(api)
    organizer = signed_in(flask_app, "test-bootstrap-token-long-enough")
    before = api.position()
    preview = preview_of(month_page(organizer, town, "2023-01"))
    assert api.position() == before, "a preview records nothing"
    assert 'data-can-close="false"' in preview and "暂不能关账" in preview
    assert re.findall(r'data-blocker="(\w+)"', preview) == ["duty_lists_missing"]
    assert "缺少职责清单" in preview and re.findall(r'data-code="(\w+)"', preview) == ["F2"]

    auditor = signed_in(flask_app, open_account(api, "镇长", "auditor")["token"])
    page = month_page(auditor, town, "2023-01")
    assert preview_of(page) is None and "关账预览" not in page


def test_once_nothing_blocks_the_preview_names_the_interviews_and_sharings_a_close_would_record(api, flask_app):
    town = a_january_without_f2_s_duty_list(api)
    set_duty(api, town["villages"]["F2"], "2023-01", 50)
    expected = api.ok("GET", f"/towns/{town['town']}/months/2023-01/close-preview")
    assert expected["can_close"] and expected["consequences"]["interviews"] and expected["consequences"]["sharings"]
    names = {v: f"{code}村" for code, v in town["villages"].items()}

    preview = preview_of(month_page(signed_in(flask_app, "test-bootstrap-token-long-enough"), town, "2023-01"))
    assert 'data-can-close="true"' in preview and "可以关账" in preview and "data-blocker" not in preview
    for table, kind in (("preview-interviews", "interviews"), ("preview-sharings", "sharings")):
        shown = re.search(rf'<table id="{table}">.*?</table>', preview, re.S).group(0)
        rows = dict(re.findall(r'<tr data-village="([^"]+)"><td><a [^>]*>([^<]+)</a>', shown))
        assert rows == {c["village_id"]: names[c["village_id"]] for c in expected["consequences"][kind]}
    assert "月度约谈" in preview and "排名前列" in preview


def test_the_month_page_names_the_basis_of_its_consequences_and_shows_each_village_s_contest_rank(api, flask_app):
    town = a_january_without_f2_s_duty_list(api)
    set_duty(api, town["villages"]["F2"], "2023-01", 50)
    api.ok("PUT", f"/towns/{town['town']}/rulebook", {"effective_from": "2023-02", "monthly_basis": "composite"})
    board = api.ok("POST", f"/towns/{town['town']}/months/2023-01/close")
    client = signed_in(flask_app, open_account(api, "镇长", "auditor")["token"])

    january = month_page(client, town, "2023-01")
    assert board["basis"] == "contest" and 'data-basis="contest"' in january
    assert "本月分享、约谈和进步明显按<strong>擂台赛排名</strong>认定（规则 R9）" in january
    assert '<th class="num">擂台名次</th>' in january
    contest_ranks = {r["village_id"]: str(r["contest_rank"] or "—") for rows in board["tracks"].values() for r in rows}
    assert cells(january, "contest-rank") == contest_ranks and contest_ranks[town["villages"]["F2"]] == "—"

    february = month_page(client, town, "2023-02")
    assert 'data-basis="composite"' in february and "按<strong>综合得分排名</strong>认定" in february


def test_no_row_of_a_small_track_carries_both_sharing_and_interview(api, flask_app):
    town = build_town(api, per_track=(3, 0, 0))
    run_month(api, town, build_judges(api, 3), "2023-01", {"D1": (90, 90), "D2": (80, 80), "D3": (70, 70)})
    api.ok("POST", f"/towns/{town['town']}/months/2023-01/close")
    page = month_page(signed_in(flask_app, open_account(api, "镇长", "auditor")["token"]), town, "2023-01")
    rows = dict(re.findall(r'<tr data-village="([^"]+)">(.*?)</tr>', page, re.S))
    badges = {v: ("分享" in row, "约谈" in row) for v, row in rows.items() if v in town["villages"].values()}
    # A track of 3: one village shares (D1), one is interviewed (D3), none does both.
    assert badges == {town["villages"]["D1"]: (True, False), town["villages"]["D2"]: (False, False),
                      town["villages"]["D3"]: (False, True)}
