"""Exports (导出): boards, the annual assessment and a contest's results as CSV or XLSX, with Chinese headers.

Every figure is read from the Application's own queries, so a file says what the API says.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote
from uuid import UUID

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from domain.account import Account
from domain.boards import BASIS_LABELS, FLAG_LABELS, GRADE_LABELS
from domain.contest import Contest
from domain.errors import InvalidError, NotFoundError
from domain.periods import is_month, is_quarter, is_year, months_of_quarter
from domain.town import Town
from domain.village import TRACK_LABELS, TRACKS, Village

from .analytics import contest_analytics

KINDS = {"monthly": ("月度排名", is_month, "YYYY-MM"), "quarterly": ("季度排名", is_quarter, "YYYY-Qn"),
         "annual": ("年度考核", is_year, "YYYY"), "contest": ("擂台比武", None, "the contest's id")}
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
STATUS_LABELS = {"provisional": "暂定", "closed": "已关账"}
CENTS = Decimal("0.01")
STRUCK = (Font(strike=True, color="808080"), PatternFill("solid", fgColor="D9D9D9"))


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    struck: set[tuple[int, int]] = field(default_factory=set)  # (row, column) of totals R1 dropped


@dataclass(frozen=True)
class Export:
    name: str
    fallback: str
    content_type: str
    data: bytes

    @property
    def disposition(self) -> str:
        """RFC 6266 with an ASCII fallback and the Chinese name as RFC 5987 filename*."""
        return f"attachment; filename=\"{self.fallback}\"; filename*=UTF-8''{quote(self.name)}"


def export(app, town_id: UUID, kind: str, period: str, fmt: str) -> Export:
    tables, title = build(app, town_id, kind, period)
    data = as_csv(tables) if fmt == "csv" else as_xlsx(tables)
    return Export(f"{title}.{fmt}", f"leitai-{kind}-{period}.{fmt}", FORMATS[fmt], data)


def build(app, town_id: UUID, kind: str, period: str) -> tuple[list[Table], str]:
    if kind not in KINDS:
        raise InvalidError("unknown export", {"kind": [f"must be one of {', '.join(KINDS)}"]})
    label, check, shape = KINDS[kind]
    town = app.load(Town, town_id)
    if kind == "contest":
        contest = contest_of(app, town, period)
        return contest_tables(app, contest), f"{town.name}-{label}-{contest.month}-{safe(contest.theme)}"
    if not check(period):
        raise InvalidError("the period is invalid", {"period": [f"give the period as {shape}"]})
    tables = {"monthly": monthly_tables, "quarterly": quarterly_tables, "annual": annual_tables}[kind](app, town.id, period)
    return tables, f"{town.name}-{label}-{period}"


def contest_of(app, town: Town, period: str) -> Contest:
    try:
        contest_id = UUID(period)
    except ValueError:
        raise InvalidError("the period is invalid", {"period": ["give the contest's id"]}) from None
    contest = app.load(Contest, contest_id)
    if contest.town_id != town.id:
        raise NotFoundError(f"contest {contest_id} is not a contest of this town")
    return contest


# Boards

def monthly_tables(app, town_id: UUID, month: str) -> list[Table]:
    board = app.monthly_board(town_id, month)
    people = app.people_on(town_id, month)
    table = Table("月度排名", ["赛道", "排名", "村代码", "村名", "书记", "职责清单得分", "擂台得分", "擂台排名",
                              "综合得分", "上月排名", "进步明显", "前列/后列", "认定依据", "标记", "状态"])
    basis = BASIS_LABELS[board.get("basis", "composite")]
    for track, row in rows_of(board):
        table.rows.append([TRACK_LABELS[track], row["rank"], row["code"], row["name"], secretary(people, row),
                           number(row["duty"]), number(row["contest"]), row.get("contest_rank"),
                           number(row["composite"]), row["previous_rank"], "是" if row["improved"] else "",
                           standing(board, track, row), basis, flags(row["flags"]),
                           STATUS_LABELS.get(board["status"], board["status"])])
    return [table]


def quarterly_tables(app, town_id: UUID, quarter: str) -> list[Table]:
    board = app.quarterly_board(town_id, quarter)
    people = app.people_on(town_id, months_of_quarter(quarter)[-1])
    table = Table("季度排名", ["赛道", "排名", "村代码", "村名", "书记", "季度得分", "月数", "前列/后列", "状态"])
    for track, row in rows_of(board):
        table.rows.append([TRACK_LABELS[track], row["rank"], row["code"], row["name"], secretary(people, row),
                           number(row["score"]), row["months"], standing(board, track, row),
                           STATUS_LABELS.get(board["status"], board["status"])])
    return [table]


def annual_tables(app, town_id: UUID, year: str) -> list[Table]:
    board = app.annual_assessment(town_id, year)
    people = app.people_on(town_id, f"{year}-12")
    table = Table("年度考核", ["赛道", "排名", "村代码", "村名", "书记", "年度得分", "月数", "等次", "状态"])
    for track, row in rows_of(board):
        table.rows.append([TRACK_LABELS[track], row["rank"], row["code"], row["name"], secretary(people, row),
                           number(row["score"]), row["months"], GRADE_LABELS.get(row.get("grade"), ""),
                           STATUS_LABELS.get(board["status"], board["status"])])
    return [table]


def rows_of(board: dict):
    return [(track, row) for track in TRACKS for row in board["tracks"].get(track, [])]


def secretary(people: dict[str, dict], row: dict) -> str:
    """The secretary in office on the period's last day, who answers for the period (R14)."""
    return people[row["village_id"]]["secretary"]


def standing(board: dict, track: str, row: dict) -> str:
    """前列 (top N) or 后列 (bottom N), taken on the board's basis (R5, R9)."""
    marks = [label for label, key in (("前列", "top"), ("后列", "bottom")) if row["village_id"] in board[key].get(track, [])]
    return "、".join(marks)


# A contest

def contest_tables(app, contest: Contest) -> list[Table]:
    names = judge_names(app, contest.judges)
    results = app.results(contest.id)["results"]
    leading = ["赛道", "排名", "村代码", "村名"]
    table = Table("比武结果", [*leading, *names.values(), "去掉的评委", "擂台得分", "标记"])
    for line, row in enumerate(results):
        totals = {s["judge_id"]: s["total"] for s in row["sheets"]}
        dropped = [judge for judge in names if judge in row["trimmed"]]
        table.rows.append([TRACK_LABELS[row["track"]], row["rank"], contest.participants[row["village_id"]]["code"],
                           app.load(Village, row["village_id"]).name, *[number(totals.get(judge)) for judge in names],
                           "、".join(names[judge] for judge in dropped), number(row["score"]), flags(row["flags"])])
        table.struck |= {(line, len(leading) + list(names).index(judge)) for judge in dropped}
    return [table, analytics_table(app, contest, names)]


def analytics_table(app, contest: Contest, names: dict[str, str]) -> Table:
    figures = contest_analytics(app, contest.id)
    table = Table("评委分析", ["评委", "宽严度", "超出走廊的评分数"])
    for judge in figures["judges"]:
        table.rows.append([names[judge["judge_id"]], number(judge["severity"]), len(judge["outside_corridor"])])
    table.rows.append(["肯德尔和谐系数 W", figures["kendall_w"], None])
    return table


def judge_names(app, judges: list[str]) -> dict[str, str]:
    """Judge id -> column name; a name two judges share gets the judge's place on the panel."""
    names = {judge: app.load(Account, judge).name for judge in judges}
    shared = {n for n in names.values() if list(names.values()).count(n) > 1}
    return {j: f"{n}（{i + 1}）" if n in shared else n for i, (j, n) in enumerate(names.items())}


# Cells and files

def number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENTS)


def flags(codes: list[str]) -> str:
    return "、".join(FLAG_LABELS.get(code, code) for code in codes)


def safe(text: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|' else c for c in text)


def places(value: Decimal) -> str:
    """The number format showing as many places as the published figure has: 0.00, or 0.0000 for W."""
    digits = max(0, -value.as_tuple().exponent)
    return "0." + "0" * digits if digits else "0"


def as_csv(tables: list[Table]) -> bytes:
    """UTF-8 with a BOM, so Excel reads the Chinese; tables after the first follow a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerows([table.header, *[["" if v is None else v for v in row] for row in table.rows]])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table; figures are number cells, totals R1 dropped struck through on grey."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title)
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = places(cell.value)
        for line, column in table.struck:
            cell = sheet.cell(row=line + 2, column=column + 1)
            cell.font, cell.fill = STRUCK
        sheet.freeze_panes = "A2"
        for column, title in enumerate(table.header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = max(8, 2 * len(title) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
