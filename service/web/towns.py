"""The town's pages: the board of a month with its close preview, of a quarter and of a year."""

from uuid import UUID

from flask import g, redirect, render_template, url_for

from domain.periods import is_quarter, is_year, months_of_quarter, months_of_year, previous_month, quarter_of
from domain.town import Town
from domain.village import Village

from ..policy import allowed
from .blueprint import blp, leitai, names_of
from .months import asked_month, checked, closed_months, next_month


@blp.route("/")
def towns():
    found = leitai().towns()
    if len(found) == 1:
        return redirect(url_for("web.town", town_id=found[0]["id"]))
    return render_template("web/towns.html", towns=found)


@blp.route("/towns/<uuid:town_id>")
def town(town_id: UUID):
    place = leitai().load(Town, town_id)
    closed = closed_months(town_id)
    month = asked_month(town_id, closed)
    board = leitai().monthly_board(town_id, month)
    contests = leitai().contests_of(town_id, month)
    villages = names_of(town_id)
    # a board recorded before the basis was kept (R9) was taken on the composite
    return render_template("web/town.html", town=place, month=month, board=board, contests=contests, closed=closed,
                           villages=villages, basis=board.get("basis", "composite"),
                           preview=close_preview(town_id, month, board, villages),
                           quarters=sorted({quarter_of(m) for m in closed}), years=sorted({m[:4] for m in closed}),
                           before=previous_month(month), after=next_month(month))


@blp.route("/towns/<uuid:town_id>/quarters/<quarter>")
def quarter(town_id: UUID, quarter: str):
    checked(quarter, is_quarter, "季度应写作 YYYY-Qn")
    return period_page(town_id, "quarter", leitai().quarterly_board(town_id, quarter), months_of_quarter(quarter),
                       f"{quarter[:4]}年第{quarter[-1]}季度")


@blp.route("/towns/<uuid:town_id>/years/<year>")
def year(town_id: UUID, year: str):
    checked(year, is_year, "年份应写作 YYYY")
    return period_page(town_id, "year", leitai().annual_assessment(town_id, year), months_of_year(year), f"{year}年度考核")


def period_page(town_id: UUID, kind: str, board: dict, months: list[str], title: str) -> str:
    return render_template("web/period.html", town=leitai().load(Town, town_id), board=board, kind=kind, months=months,
                           title=title)


def close_preview(town_id: UUID, month: str, board: dict, villages: dict[str, Village]) -> dict | None:
    """What closing the month would record now and what blocks it, for those who may close months (R13).

    Not for every reader of the API's preview: on the page it is the closer's worklist. The blockers
    give village codes and the shortfalls pairing ids: the villages behind both come along, so the
    page can name them.
    """
    if not allowed(g.viewer, "close_month") or board["status"] == "closed":
        return None
    preview = leitai().close_preview(town_id, month, g.viewer.id)
    pairs = {row["pairing_id"]: row for row in leitai().compliance(town_id, month)}
    return {**preview, "pairs": pairs, "codes": {v.code: v for v in villages.values()}}
