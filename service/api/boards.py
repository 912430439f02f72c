from flask import abort, g
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.boards import GRADE_LABELS
from domain.periods import is_month, is_quarter, is_year
from domain.rules import published
from domain.village import TRACK_LABELS

from ..auth import roles
from ..schemas.boards import (
    AssessmentOut,
    BoardOut,
    BoardQuery,
    DutyIn,
    DutyOut,
    QuarterlyBoardOut,
)
from ..schemas.common import Empty, ReasonIn
from ..schemas.consequences import ClosePreviewOut
from . import IN_PATH, leitai

blp = Blueprint("boards", __name__, description="Duty lists (职责清单), closing months, boards and the annual assessment")



def period(text: str, check, shape: str) -> str:
    if not check(text):
        abort(422, f"Give the period as {shape}.")
    return text


def only_track(board: dict, track: str | None) -> dict:
    if track is not None:
        board["tracks"] = {t: rows for t, rows in board["tracks"].items() if t == track}
    return board


@blp.route("/villages/<uuid:village_id>/duty/<month>", parameters=IN_PATH["month"])
class Duty(MethodView):
    @roles("organizer")
    @blp.arguments(DutyIn())
    @blp.response(200, DutyOut)
    def put(self, body, village_id, month):
        """Record a month's duty-list items as a new revision; the total is scaled to 0-100"""
        duty = leitai().record_duty(village_id, period(month, is_month, "YYYY-MM"), body["items"], g.principal.id)
        return {"village_id": duty.village_id, "month": duty.month, "total": published_total(duty),
                "revision": duty.revision, "items": duty.items}


def published_total(duty):
    return published(duty.total)


@blp.route("/towns/<uuid:town_id>/months/<month>/close-preview", parameters=IN_PATH["month"])
class ClosePreview(MethodView):
    @roles("organizer", "auditor")
    @blp.response(200, ClosePreviewOut)
    def get(self, town_id, month):
        """What closing a month would record now (board, interviews, sharings, shortfalls) and what blocks it; records nothing"""
        return leitai().close_preview(town_id, period(month, is_month, "YYYY-MM"), g.principal.id)


@blp.route("/towns/<uuid:town_id>/months/<month>/close", parameters=IN_PATH["month"])
class Close(MethodView):
    @roles("organizer")
    @blp.arguments(Empty())
    @blp.response(200, BoardOut)
    def post(self, body, town_id, month):
        """Close a month: record its standings and, in the same save, the interviews and sharing invitations.

        Only once the month is over (Asia/Shanghai), after the months before it, with a duty list for every
        village and every contest published or cancelled; otherwise 409 with the blockers in `errors`.
        """
        leitai().close_month(town_id, period(month, is_month, "YYYY-MM"), g.principal.id)
        return leitai().monthly_board(town_id, month)


@blp.route("/towns/<uuid:town_id>/months/<month>/reopen", parameters=IN_PATH["month"])
class Reopen(MethodView):
    @roles("organizer")
    @blp.arguments(ReasonIn())
    @blp.response(200, BoardOut)
    def post(self, body, town_id, month):
        """Reopen a closed month with a reason; closing it again records a new revision"""
        leitai().reopen_month(town_id, period(month, is_month, "YYYY-MM"), body["reason"], g.principal.id)
        return leitai().monthly_board(town_id, month)


@blp.route("/towns/<uuid:town_id>/boards/monthly/<month>", parameters=IN_PATH["month"])
class MonthlyBoard(MethodView):
    @blp.arguments(BoardQuery(), location="query")
    @blp.response(200, BoardOut)
    def get(self, query, town_id, month):
        """A month's board per track: provisional while open, the recorded standings once closed"""
        board = leitai().monthly_board(town_id, period(month, is_month, "YYYY-MM"))
        return only_track(board, query.get("track"))


@blp.route("/towns/<uuid:town_id>/boards/quarterly/<quarter>", parameters=IN_PATH["quarter"])
class QuarterlyBoard(MethodView):
    @blp.arguments(BoardQuery(), location="query")
    @blp.response(200, QuarterlyBoardOut)
    def get(self, query, town_id, quarter):
        """A quarter's board: each village's mean composite over the quarter's closed months"""
        board = leitai().quarterly_board(town_id, period(quarter, is_quarter, "YYYY-Qn"))
        return only_track(board, query.get("track"))


@blp.route("/towns/<uuid:town_id>/assessments/<year>", parameters=IN_PATH["year"])
class Assessment(MethodView):
    @blp.response(200, AssessmentOut)
    def get(self, town_id, year):
        """The annual assessment (年度考核): score, rank and grade per track; award candidates"""
        board = leitai().annual_assessment(town_id, period(year, is_year, "YYYY"))
        board["year"] = board["period"]
        board["labels"] = {"grades": GRADE_LABELS, "tracks": TRACK_LABELS}
        return board
