"""The town's pages: the board of a month with its close preview, of a quarter and of a year."""

from uuid import UUID

from flask import abort, g, redirect, render_template, request, url_for

from domain.periods import (is_month, is_quarter, is_year, months_of_quarter, months_of_year, previous_month,
                            quarter_of)
from domain.town import Town
from domain.village import Village

from ..policy import allowed
from .blueprint import blp, leitai, names_of
from .months import closed_months, default_month, next_month


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
    month = request.args.get("month") or default_month(town_id, closed)
    if not is_month(month):
        abort(404, "月份应写作 YYYY-MM")
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
    if not is_quarter(quarter):
        abort(404, "季度应写作 YYYY-Qn")
    board = leitai().quarterly_board(town_id, quarter)
    return render_template("web/period.html", town=leitai().load(Town, town_id), board=board, kind="quarter",
                           months=months_of_quarter(quarter), title=f"{quarter[:4]}年第{quarter[-1]}季度")


@blp.route("/towns/<uuid:town_id>/years/<year>")
def year(town_id: UUID, year: str):
    if not is_year(year):
        abort(404, "年份应写作 YYYY")
    board = leitai().annual_assessment(town_id, year)
    return render_template("web/period.html", town=leitai().load(Town, town_id), board=board, kind="year",
                           months=months_of_year(year), title=f"{year}年度考核")


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
