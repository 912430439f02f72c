"""Duty lists (职责清单) from Excel: the month's template, and that file filled in read back, cell by cell.

The template has a row per village taking part that month and a column per item of the rulebook in force,
headed with its maximum. Reading a filled file finds every bad cell at once, each named by its row (行)
and column (列) with the reason in Chinese; the use case then records every village's list or none.
"""

import io
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from uuid import UUID
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from domain.errors import InvalidError
from domain.town import Town
from domain.village import TRACK_LABELS, Village

FIXED = ("村代码", "村名", "赛道")
SHEET = "职责清单"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def heading(item: dict) -> str:
    return f"{item['item']}（满分{Decimal(str(item['max'])):g}）"


def taking_part(app, town_id: UUID, month: str) -> list[Village]:
    return [v for v in app.villages_of(town_id) if v.track_in(month) is not None]


def items_for(app, town_id: UUID, month: str) -> list[dict]:
    return [{"item": item, "max": top} for item, top in app.load(Town, town_id).rulebook_for(month).duty_items]


def template(app, town_id: UUID, month: str) -> bytes:
    """Every village taking part in `month`, the items of the rulebook in force then, the scores left blank."""
    town, items = app.load(Town, town_id), items_for(app, town_id, month)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([*FIXED, *(heading(i) for i in items)])
    for village in taking_part(app, town_id, month):
        sheet.append([village.code, village.name, TRACK_LABELS[village.track_in(month)]])
    dress(sheet, len(FIXED) + len(items))
    notes = book.create_sheet("说明")
    for line in (f"{town.name} {month} 职责清单月度考核", "每个村一行，每个评分项填一个数字（0 到满分，可含小数）。",
                 "不要改动表头和村代码；整份文件一起导入，有一格出错则全部不记录。"):
        notes.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dress(sheet, columns: int) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3E3E3")
    for column in range(1, columns + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18 if column > len(FIXED) else 12
    sheet.freeze_panes = "D2"


def read(app, town_id: UUID, month: str, data: bytes, progress: Callable[[int, int], None] | None = None) -> dict:
    """village id -> its items, from a filled template; InvalidError naming every bad cell when any is bad."""
    rows = rows_of(data)
    items, villages = items_for(app, town_id, month), {v.code: v for v in taking_part(app, town_id, month)}
    bad = header_errors(rows[0] if rows else (), items)
    lists: dict[str, list[dict]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if progress:
            progress(number - 1, len(rows) - 1)
        if any(value not in (None, "") for value in row):
            read_row(number, row, items, villages, lists, bad)
    if not bad and not lists:
        bad[where(2, 1)] = ["文件里没有任何村的得分"]
    if bad:
        raise InvalidError(f"职责清单文件有 {len(bad)} 处错误，全部未记录", bad)
    return lists


def rows_of(data: bytes) -> list[tuple]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise InvalidError("不是有效的 Excel 文件（.xlsx）", {"file": [f"无法读取：{error}"]}) from error
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def where(row: int, column: int) -> str:
    return f"行{row}/列{get_column_letter(column)}"


def header_errors(header: tuple, items: list[dict]) -> dict[str, list[str]]:
    wanted = [*FIXED, *(heading(i) for i in items)]
    found = list(header) + [None] * (len(wanted) - len(header))
    return {where(1, n): [f"表头应为“{text}”，请使用本月的模板"] for n, text in enumerate(wanted, start=1)
            if str(found[n - 1] or "").strip() != text}


def read_row(number: int, row: tuple, items: list[dict], villages: dict, lists: dict, bad: dict) -> None:
    code = code_of(row[0] if row else None)
    village = villages.get(code)
    if village is None:
        bad[where(number, 1)] = [f"村代码“{code}”不是本镇本月参加考核的村" if code else "缺少村代码"]
    elif str(village.id) in lists:
        bad[where(number, 1)] = [f"村代码“{code}”重复出现"]
    scored = []
    for column, item in enumerate(items, start=len(FIXED) + 1):
        value = row[column - 1] if column <= len(row) else None
        score, problem = score_of(value, Decimal(str(item["max"])))
        if problem:
            bad[where(number, column)] = [problem]
        scored.append({"item": item["item"], "score": score, "max": Decimal(str(item["max"]))})
    if village is not None and str(village.id) not in lists:
        lists[str(village.id)] = scored


def code_of(value) -> str:
    """A code Excel took for a number (101 or 101.0) reads back as typed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def score_of(value, top: Decimal) -> tuple[Decimal | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "缺少该项得分"
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        return None, "应填数字"
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        return None, f"应填数字，而不是“{value}”"
    if not score.is_finite():
        return None, "应填数字"
    if score < 0:
        return None, "得分不能低于 0"
    if score > top:
        return None, f"得分 {score} 超过满分 {top:g}"
    return score, None
