"""Duty lists from Excel: the month's template, a filled file imported all or nothing (API and command line),
and a bad file answered with one error per bad cell, recording nothing."""

import io
from decimal import Decimal

from click.testing import CliRunner
from openpyxl import load_workbook

from service.cli import leitai as command_line

from .helpers import build_town

MONTH = "2023-03"
ITEMS = [("党建工作", 30), ("产业发展", 25), ("人居环境", 20), ("民生服务", 15), ("矛盾调解", 10)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scores_of(code: str) -> list[Decimal]:
    """Made-up scores, different per village, some with halves."""
    bump = Decimal(int(code[1:])) / 2
    return [Decimal(top) - bump - n for n, (_, top) in enumerate(ITEMS)]


def template(api, town_id: str):
    response = api.get(f"/towns/{town_id}/duty/{MONTH}/template.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    return load_workbook(io.BytesIO(response.data))


def filled(book, change=None) -> bytes:
    sheet = book["职责清单"]
    for row in sheet.iter_rows(min_row=2):
        for cell, score in zip(row[3:], scores_of(row[0].value)):
            cell.value = float(score)
    if change:
        change(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api, town_id: str, data: bytes, as_form: bool = False):
    """As the field `file` of a form (as the document says), or as the whole body (curl --data-binary)."""
    sent = {"data": {"file": (io.BytesIO(data), "职责清单.xlsx")}} if as_form else {"data": data, "content_type": XLSX}
    return api.client.post(f"/api/v1/towns/{town_id}/duty/{MONTH}/import",
                           headers={"Authorization": f"Bearer {api.token}"}, **sent)


def duty_column(api, town: dict) -> dict:
    board = api.ok("GET", f"/towns/{town['town']}/boards/monthly/{MONTH}")
    code_of = {v: c for c, v in town["villages"].items()}
    return {code_of[r["village_id"]]: r["duty"] for rows in board["tracks"].values() for r in rows}


def test_the_template_has_every_village_taking_part_and_the_rulebook_s_items_under_chinese_headers(api):
    town = build_town(api, per_track=(2, 2, 1))
    api.ok("POST", f"/villages/{town['villages']['F1']}/retire", {"effective_from": MONTH, "reason": "村庄撤并"})
    sheet = template(api, town["town"])["职责清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("村代码", "村名", "赛道", *(f"{item}（满分{top}）" for item, top in ITEMS))
    assert [(code, name, track) for code, name, track, *rest in rows[1:]] == [
        ("D1", "D1村", "示范村"), ("D2", "D2村", "示范村"), ("E1", "E1村", "创优村"), ("E2", "E2村", "创优村")]
    assert all(score is None for row in rows[1:] for score in row[3:])


def test_a_good_file_records_the_same_duty_lists_as_entering_them_through_the_api(api):
    imported, typed = build_town(api, per_track=(2, 2, 2)), build_town(api, per_track=(2, 2, 2))
    answer = upload(api, imported["town"], filled(template(api, imported["town"])))
    assert answer.status_code == 200, answer.get_json()
    for code, village_id in typed["villages"].items():
        items = [{"item": item, "score": float(score), "max": top} for (item, top), score in zip(ITEMS, scores_of(code))]
        api.ok("PUT", f"/villages/{village_id}/duty/{MONTH}", {"items": items})
    assert duty_column(api, imported) == duty_column(api, typed)
    assert duty_column(api, imported)["D1"] == Decimal("87.50")
    recorded = {r["village_id"]: (r["total"], r["items"]) for r in answer.get_json()["recorded"]}
    assert len(recorded) == 6
    typed_totals = duty_column(api, typed)
    assert {code: recorded[imported["villages"][code]][0] for code in typed["villages"]} == typed_totals


def test_a_bad_file_gets_one_error_per_bad_cell_and_records_nothing(api):
    town = build_town(api, per_track=(2, 2, 0))

    def spoil(sheet):
        sheet["A3"] = "X9"            # a village code the town does not have
        sheet["E2"] = 31              # 产业发展 above its maximum of 25
        sheet["F4"] = None            # a missing item
        sheet["G5"] = "十五"          # text in a number cell

    before = api.position()
    answer = upload(api, town["town"], filled(template(api, town["town"]), spoil), as_form=True)
    body = answer.get_json()
    assert answer.status_code == 422, body
    assert body["errors"] == {"行3/列A": ["村代码“X9”不是本镇本月参加考核的村"], "行2/列E": ["得分 31 超过满分 25"],
                              "行4/列F": ["缺少该项得分"], "行5/列G": ["应填数字，而不是“十五”"]}
    assert "4 处错误" in body["message"]
    assert api.position() == before
    assert not_a_workbook(api, town) == 422


def not_a_workbook(api, town) -> int:
    answer = upload(api, town["town"], b"village,score\nD1,90\n")
    assert "不是有效的 Excel 文件" in answer.get_json()["message"]
    return answer.status_code


def test_leitai_import_duty_records_a_good_file_and_refuses_a_bad_one_naming_each_cell(api, settings, tmp_path,
                                                                                        monkeypatch):
    town = build_town(api, per_track=(2, 0, 0))
    monkeypatch.setenv("LEITAI_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("LEITAI_DATABASE_URL", settings.database_url)
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(filled(template(api, town["town"]), lambda sheet: sheet.cell(2, 4, 99)))
    good.write_bytes(filled(template(api, town["town"])))
    runner = CliRunner()
    before = api.position()
    refused = runner.invoke(command_line, ["import", "duty", "--town", town["town"], "--month", MONTH, str(bad)])
    assert refused.exit_code == 1 and "行2/列D：得分 99 超过满分 30" in refused.output
    assert api.position() == before
    done = runner.invoke(command_line, ["import", "duty", "--town", town["town"], "--month", MONTH, str(good)])
    assert done.exit_code == 0, done.output
    assert "检查 checking" in done.output and "已记录 recorded: 2" in done.output
    assert duty_column(api, town) == {"D1": Decimal("87.50"), "D2": Decimal("85.00")}
