"""Exports read back as a spreadsheet user would: CSV with the csv module, XLSX with openpyxl, against the API's figures."""

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import openpyxl

from domain.boards import GRADE_LABELS

from .helpers import PREFIX, TRACKS, advance_to, build_judges, build_town, marks_for, schedule
from .periods import run_month

LEITAI = str(Path(sys.executable).with_name("leitai"))
OCTOBER = {"D1": (90, 90), "D2": (80, 70), "D3": (75, 85), "D4": (60, 60), "D5": (85, 85),
           "E1": (85, 95), "E2": (75, 65), "E3": (70, 80), "F1": (70, 0), "F2": (60, 100), "F3": (50, 40)}
NOVEMBER = {**OCTOBER, "D4": (78, 78), "E2": (80, 80)}
DECEMBER = {**NOVEMBER, "D3": (65, 65)}
TRACK_LABELS = {"demonstration": "示范村", "excellence": "创优村", "foundation": "强基村"}


def download(api, path: str, token="default"):
    token = api.token if token == "default" else token
    return api.client.get(PREFIX + path, headers={"Authorization": f"Bearer {token}"})


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.data.startswith("\ufeff".encode()) and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def xlsx_sheets(response) -> dict[str, list[dict]]:
    """Each sheet's rows as {header: cell}, the cells as openpyxl reads them back."""
    assert response.status_code == 200, response.get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheets = {}
    for sheet in book.worksheets:
        header, *rows = list(sheet.iter_rows())
        sheets[sheet.title] = [{h.value: cell for h, cell in zip(header, row)} for row in rows]
    return sheets


def api_rows(board: dict) -> list[dict]:
    return [row for track in TRACKS for row in board["tracks"].get(track, [])]


def standing(board: dict, row: dict) -> str:
    marks = [label for label, key in (("前列", "top"), ("后列", "bottom")) if row["village_id"] in board[key][row["track"]]]
    return "、".join(marks)


def figure(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def closed_quarter(api):
    town = build_town(api, per_track=(5, 3, 3))
    judges = build_judges(api, 3)
    for month, figures in (("2023-10", OCTOBER), ("2023-11", NOVEMBER), ("2023-12", DECEMBER)):
        run_month(api, town, judges, month, figures)
        api.ok("POST", f"/towns/{town['town']}/months/{month}/close")
    return town


def test_a_closed_month_quarter_and_year_export_the_api_figures(api):
    town = closed_quarter(api)
    tid = town["town"]

    board = api.ok("GET", f"/towns/{tid}/boards/monthly/2023-12")
    rows = csv_rows(download(api, f"/towns/{tid}/exports/monthly/2023-12.csv"))
    assert list(rows[0]) == ["赛道", "排名", "村代码", "村名", "书记", "职责清单得分", "擂台得分", "擂台排名",
                             "综合得分", "上月排名", "进步明显", "前列/后列", "认定依据", "标记", "状态"]
    assert [(r["赛道"], r["村代码"], r["村名"], r["书记"], int(r["排名"]), figure(r["职责清单得分"]), figure(r["擂台得分"]),
             int(r["擂台排名"]) if r["擂台排名"] else None, figure(r["综合得分"]), int(r["上月排名"]),
             r["进步明显"] == "是", r["状态"]) for r in rows] == \
        [(TRACK_LABELS[r["track"]], r["code"], r["name"], f"书记{r['code']}", r["rank"], r["duty"], r["contest"], r["contest_rank"],
          r["composite"], r["previous_rank"], r["improved"], "已关账") for r in api_rows(board)]
    assert [r["前列/后列"] for r in rows] == [standing(board, r) for r in api_rows(board)]
    assert {r["认定依据"] for r in rows} == {"擂台赛排名"}
    # Five villages on the demonstration track, two places a side, taken on the contest ranking:
    # D1 90, D5 85 at the top; D3 65, D2 70 at the bottom; D4 (contest 78) on neither side.
    assert {r["村代码"]: (r["综合得分"], r["擂台排名"], r["前列/后列"]) for r in rows if r["赛道"] == "示范村"} == {
        "D1": ("90.00", "1", "前列"), "D5": ("85.00", "2", "前列"), "D4": ("78.00", "3", ""),
        "D2": ("77.00", "4", "后列"), "D3": ("65.00", "5", "后列")}

    cells = xlsx_sheets(download(api, f"/towns/{tid}/exports/monthly/2023-12.xlsx"))["月度排名"]
    assert [(c["村代码"].value, c["排名"].value, c["综合得分"].value) for c in cells] == \
        [(r["code"], r["rank"], float(r["composite"])) for r in api_rows(board)]
    assert all(c["综合得分"].data_type == "n" and c["综合得分"].number_format == "0.00" for c in cells)
    assert all(isinstance(c["职责清单得分"].value, (int, float)) for c in cells)

    quarter = api.ok("GET", f"/towns/{tid}/boards/quarterly/2023-Q4")
    rows = csv_rows(download(api, f"/towns/{tid}/exports/quarterly/2023-Q4.csv"))
    assert list(rows[0]) == ["赛道", "排名", "村代码", "村名", "书记", "季度得分", "月数", "前列/后列", "状态"]
    assert [(r["村代码"], r["书记"], int(r["排名"]), figure(r["季度得分"]), int(r["月数"])) for r in rows] == \
        [(r["code"], f"书记{r['code']}", r["rank"], r["score"], r["months"]) for r in api_rows(quarter)]
    # D4: (60 + 78 + 78) / 3 = 72.00; D3: (78 + 78 + 65) / 3 = 73.67.
    assert {r["村代码"]: r["季度得分"] for r in rows}["D3"] == "73.67"

    year = api.ok("GET", f"/towns/{tid}/assessments/2023")
    assert year["status"] == "closed"
    cells = xlsx_sheets(download(api, f"/towns/{tid}/exports/annual/2023.xlsx"))["年度考核"]
    assert list(cells[0]) == ["赛道", "排名", "村代码", "村名", "书记", "年度得分", "月数", "等次", "状态"]
    assert [(c["村代码"].value, c["书记"].value, c["排名"].value, c["年度得分"].value, c["月数"].value, c["等次"].value)
            for c in cells] == [(r["code"], f"书记{r['code']}", r["rank"], float(r["score"]), r["months"],
                                 GRADE_LABELS[r["grade"]]) for r in api_rows(year)]
    # D1 90.00 is the top fifth; of five villages at most two are 较差 (R11 as R5): D3 73.67 and D4 72.00.
    assert [(c["村代码"].value, c["等次"].value) for c in cells[:5]] == \
        [("D1", "优秀"), ("D5", "良好"), ("D2", "良好"), ("D3", "较差"), ("D4", "较差")]
    assert all(c["年度得分"].data_type == "n" for c in cells)


def test_each_period_names_the_secretary_in_office_on_its_last_day(api):
    """D1's secretary changes on 2023-12-15: November keeps the old one; December, Q4 and 2023 name the new one."""
    town = build_town(api, per_track=(2, 0, 0))
    judges, d1 = build_judges(api, 3), town["villages"]["D1"]
    figures = {"D1": (90, 80), "D2": (70, 75)}
    run_month(api, town, judges, "2023-11", figures)
    api.ok("POST", f"/towns/{town['town']}/months/2023-11/close")
    api.ok("POST", f"/villages/{d1}/secretary", {"name": "新书记", "since": "2023-12-15"})
    run_month(api, town, judges, "2023-12", figures)
    api.ok("POST", f"/towns/{town['town']}/months/2023-12/close")

    def secretaries(path: str) -> dict:
        return {r["村代码"]: r["书记"] for r in csv_rows(download(api, f"/towns/{town['town']}/exports/{path}"))}

    assert secretaries("monthly/2023-11.csv") == {"D1": "书记D1", "D2": "书记D2"}
    for path in ("monthly/2023-12.csv", "quarterly/2023-Q4.csv", "annual/2023.csv"):
        assert secretaries(path) == {"D1": "新书记", "D2": "书记D2"}, path
    cells = xlsx_sheets(download(api, f"/towns/{town['town']}/exports/annual/2023.xlsx"))["年度考核"]
    assert {c["村代码"].value: c["书记"].value for c in cells} == {"D1": "新书记", "D2": "书记D2"}


def test_an_export_is_an_attachment_named_in_chinese_and_refuses_bad_requests(api):
    town = build_town(api, per_track=(2, 0, 0))
    tid = town["town"]
    response = download(api, f"/towns/{tid}/exports/monthly/2023-05.csv")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="leitai-monthly-2023-05.csv"')
    assert f"filename*=UTF-8''{quote('大曹镇-月度排名-2023-05.csv')}" in disposition
    assert [r["状态"] for r in csv_rows(response)] == ["暂定", "暂定"]
    xlsx = download(api, f"/towns/{tid}/exports/annual/2023.xlsx")
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    unknown = "00000000-0000-0000-0000-000000000000"
    assert download(api, f"/towns/{unknown}/exports/monthly/2023-05.csv").status_code == 404
    assert download(api, f"/towns/{tid}/exports/contest/{unknown}.csv").status_code == 404
    assert download(api, f"/towns/{tid}/exports/weekly/2023-05.csv").status_code == 422
    assert download(api, f"/towns/{tid}/exports/monthly/2023-13.csv").status_code == 422
    assert download(api, f"/towns/{tid}/exports/quarterly/2023-05.xlsx").status_code == 422
    assert download(api, f"/towns/{tid}/exports/contest/2023-05.csv").status_code == 422
    assert download(api, f"/towns/{tid}/exports/monthly/2023-05.csv", token=None).status_code == 401


# Five judges, so R1 drops one highest and one lowest total.
TOTALS = {"D1": [80, 82, 84, 79, 85], "D2": [70, 75, 72, 71, 74], "D3": [60, 61, 62, 63, 64],
          "D4": [90, 50, 88, 86, 87]}


def published_contest(api):
    town = build_town(api, per_track=(4, 0, 0))
    judges = build_judges(api, 5)
    contest = schedule(api, town["town"], judges, tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    sheets = [{"judge_id": j["id"], "village_id": town["villages"][code], "marks": marks_for(total)}
              for code, totals in TOTALS.items() for j, total in zip(judges, totals)]
    api.ok("POST", f"/contests/{contest['id']}/sheets/batch", {"sheets": sheets}, 201)
    api.ok("POST", f"/contests/{contest['id']}/publish")
    return town, judges, contest["id"]


def test_a_contest_exports_each_judges_total_the_trimmed_ones_and_the_panel_analytics(api):
    town, judges, cid = published_contest(api)
    tid, names = town["town"], [j["name"] for j in judges]
    results = api.ok("GET", f"/contests/{cid}/results")["results"]
    analytics = api.ok("GET", f"/contests/{cid}/analytics")
    name_of = {j["id"]: j["name"] for j in judges}

    text = download(api, f"/towns/{tid}/exports/contest/{cid}.csv")
    assert text.status_code == 200 and text.data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    blank = lines.index([])
    header, body, block = lines[0], lines[1:blank], lines[blank + 1:]
    assert header == ["赛道", "排名", "村代码", "村名", *names, "去掉的评委", "擂台得分", "标记"]
    rows = [dict(zip(header, line)) for line in body]
    # D4: 90, 50, 88, 86, 87 without 50 and 90 is 261 / 3 = 87.00; D2: 72 + 71 + 74 = 217 / 3 = 72.33.
    assert [(r["村代码"], int(r["排名"]), r["擂台得分"]) for r in rows] == \
        [("D4", 1, "87.00"), ("D1", 2, "82.00"), ("D2", 3, "72.33"), ("D3", 4, "62.00")]
    assert [figure(r["擂台得分"]) for r in rows] == [r["score"] for r in results]
    assert [set(r["去掉的评委"].split("、")) for r in rows] == [{name_of[j] for j in r["trimmed"]} for r in results]
    assert rows[0]["去掉的评委"] == "评委1、评委2" and rows[0]["评委2"] == "50.00"
    assert block[0] == ["评委", "宽严度", "超出走廊的评分数"]
    assert [(line[0], figure(line[1])) for line in block[1:6]] == \
        [(name_of[j["judge_id"]], j["severity"]) for j in analytics["judges"]]
    assert block[6][:2] == ["肯德尔和谐系数 W", str(analytics["kendall_w"])]

    sheets = xlsx_sheets(download(api, f"/towns/{tid}/exports/contest/{cid}.xlsx"))
    cells = sheets["比武结果"]
    assert [c["擂台得分"].value for c in cells] == [float(r["score"]) for r in results]
    assert [[c[n].value for n in names] for c in cells] == [[float(n) for n in TOTALS[code]] for code in ("D4", "D1", "D2", "D3")]
    struck = [{n for n in names if c[n].font.strike} for c in cells]
    assert struck == [{name_of[j] for j in r["trimmed"]} for r in results]
    assert cells[0]["评委2"].fill.fgColor.rgb.endswith("D9D9D9") and not cells[0]["评委3"].font.strike
    panel = sheets["评委分析"]
    assert [(c["评委"].value, c["宽严度"].value) for c in panel[:5]] == \
        [(name_of[j["judge_id"]], float(j["severity"])) for j in analytics["judges"]]
    assert panel[5]["宽严度"].value == float(analytics["kendall_w"]) and panel[5]["宽严度"].number_format == "0.0000"


def test_only_organizers_and_auditors_export_a_contest(api):
    town, judges, cid = published_contest(api)
    path = f"/towns/{town['town']}/exports/contest/{cid}.xlsx"
    assert download(api, path, token=judges[0]["token"]).status_code == 403
    auditor = api.ok("POST", "/accounts", {"name": "审计", "role": "auditor"}, 201)
    assert download(api, path, token=auditor["token"]).status_code == 200
    assert download(api, f"/towns/{town['town']}/exports/monthly/2023-05.csv", token=judges[0]["token"]).status_code == 200


def test_leitai_export_writes_the_same_file_as_the_api(api, settings, tmp_path):
    town = build_town(api, per_track=(3, 0, 0))
    run_month(api, town, build_judges(api, 3), "2023-05", {"D1": (90, 80), "D2": (70, 75), "D3": (60, 95)})
    api.ok("POST", f"/towns/{town['town']}/months/2023-05/close")
    env = {**os.environ, "LEITAI_DATA_DIR": str(settings.data_dir)}
    env.pop("LEITAI_DATABASE_URL", None)
    env.update({"LEITAI_DATABASE_URL": settings.database_url} if settings.database_url else {})
    out = tmp_path / "五月.csv"
    command = [LEITAI, "export", "--town", town["town"], "--kind", "monthly", "--period", "2023-05", "--out", str(out)]
    subprocess.run(command, env=env, capture_output=True, check=True)
    assert out.read_bytes() == download(api, f"/towns/{town['town']}/exports/monthly/2023-05.csv").data
    refused = subprocess.run(command[:-2] + ["--kind", "weekly"], env=env, capture_output=True, text=True)
    assert refused.returncode == 2 and "weekly" in refused.stderr
    refused = subprocess.run([*command[:7], "2023-13"], env=env, capture_output=True, text=True)
    assert refused.returncode == 1 and "YYYY-MM" in refused.stderr
