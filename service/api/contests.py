from flask import abort, g
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.contest import Contest

from ..auth import roles
from ..policy import allowed
from ..schemas.common import Empty, ReasonIn
from ..schemas.contests import (
    AbsenceIn,
    BatchIn,
    CommentaryIn,
    ContestIn,
    ContestOut,
    ContestQuery,
    CorrectionIn,
    ResultsOut,
    SheetIn,
    SheetOut,
    StageOut,
    VillageSheetsOut,
)
from . import leitai

blp = Blueprint("contests", __name__, url_prefix="/contests",
                description="Contests (擂台比武): four steps, the panel's sheets, published results")


@blp.route("")
class Contests(MethodView):
    @blp.arguments(ContestQuery(), location="query")
    @blp.response(200, ContestOut(many=True))
    def get(self, query):
        """A town's contests, optionally of one month"""
        return leitai().contests_of(query["town_id"], query.get("month"))

    @roles("organizer")
    @blp.arguments(ContestIn())
    @blp.response(201, ContestOut)
    def post(self, body):
        """Schedule a contest: one per track per month; participants default to the tracks' villages"""
        return leitai().schedule_contest(by=g.principal.id, **body)


@blp.route("/<uuid:contest_id>")
class ContestById(MethodView):
    @blp.response(200, ContestOut)
    def get(self, contest_id):
        """A contest: its terms, stage, commentary and absences"""
        return leitai().load(Contest, contest_id)


@blp.route("/<uuid:contest_id>/advance")
class Advance(MethodView):
    @roles("organizer")
    @blp.arguments(Empty())
    @blp.response(200, StageOut)
    def post(self, body, contest_id):
        """Move to the next step: scheduled → observation → presentation → commentary → evaluation"""
        return leitai().advance_contest(contest_id, g.principal.id)


@blp.route("/<uuid:contest_id>/cancel")
class Cancel(MethodView):
    @roles("organizer")
    @blp.arguments(ReasonIn())
    @blp.response(200, StageOut)
    def post(self, body, contest_id):
        """Cancel a contest that is not yet published, with a reason"""
        return leitai().cancel_contest(contest_id, body["reason"], g.principal.id)


@blp.route("/<uuid:contest_id>/commentaries")
class Commentaries(MethodView):
    @roles("organizer")
    @blp.arguments(CommentaryIn())
    @blp.response(201, ContestOut)
    def post(self, body, contest_id):
        """Record the 书记点评 for a village (stage commentary)"""
        return leitai().comment(contest_id, body["village_id"], body["text"], g.principal.id)


@blp.route("/<uuid:contest_id>/absences")
class Absences(MethodView):
    @roles("organizer")
    @blp.arguments(AbsenceIn())
    @blp.response(200, ContestOut)
    def post(self, body, contest_id):
        """Record a participant's absence: unexcused scores 0, excused leaves the duty score alone"""
        return leitai().record_absence(contest_id, body["village_id"], body["excused"], body["reason"], g.principal.id)


def judge_for(requested):
    """A judge marks for themself; an organiser enters a paper sheet for a named judge."""
    if g.principal.role == "judge":
        if requested is not None and requested != g.principal.id:
            abort(403, "A judge submits only their own sheets.")
        return g.principal.id
    if requested is None:
        abort(422, "Name the judge whose paper sheet this is.")
    return requested


@blp.route("/<uuid:contest_id>/sheets/<uuid:village_id>")
class Sheets(MethodView):
    @roles("judge", "organizer")
    @blp.arguments(SheetIn())
    @blp.response(201, SheetOut)
    @blp.alt_response(200, schema=SheetOut, description="The same marks again: nothing new recorded")
    def put(self, body, contest_id, village_id):
        """Submit a judge's sheet for a village (stage evaluation)"""
        judge = judge_for(body["judge_id"])
        sheet, is_new = leitai().submit_sheet(contest_id, judge, village_id, body["marks"], g.principal.id)
        return sheet, 201 if is_new else 200

    @blp.response(200, VillageSheetsOut)
    def get(self, contest_id, village_id):
        """A village's sheets; before publication a judge sees only their own, a secretary none"""
        contest = leitai().load(Contest, contest_id)
        sheets = leitai().sheets_for(contest, village_id)
        if contest.stage != "published" and not allowed(g.principal, "see_marks_before_publication"):
            sheets = [s for s in sheets if s.judge_id == str(g.principal.id)]
        return {"village_id": village_id, "sheets": sheets}


@blp.route("/<uuid:contest_id>/sheets/batch")
class Batch(MethodView):
    @roles("organizer")
    @blp.arguments(BatchIn())
    @blp.response(201, SheetOut(many=True))
    def post(self, body, contest_id):
        """Enter a batch of paper sheets: all or nothing"""
        return leitai().submit_sheets(contest_id, body["sheets"], g.principal.id)


@blp.route("/<uuid:contest_id>/sheets/<uuid:village_id>/corrections")
class Corrections(MethodView):
    @roles("judge", "organizer")
    @blp.arguments(CorrectionIn())
    @blp.response(200, SheetOut)
    def post(self, body, contest_id, village_id):
        """Correct a sheet with a reason (R8): a judge until publication, the organiser within the appeal window"""
        judge = judge_for(body["judge_id"])
        return leitai().correct_sheet(contest_id, judge, village_id, body["marks"], body["reason"],
                                      g.principal.id, may_amend=allowed(g.principal, "amend_after_publication"))


@blp.route("/<uuid:contest_id>/publish")
class Publish(MethodView):
    @roles("organizer")
    @blp.arguments(Empty())
    @blp.response(200, ResultsOut)
    def post(self, body, contest_id):
        """Publish the results (R1-R5): a new results revision"""
        leitai().publish(contest_id, g.principal.id)
        return leitai().results(contest_id)


@blp.route("/<uuid:contest_id>/results")
class Results(MethodView):
    @blp.response(200, ResultsOut)
    def get(self, contest_id):
        """The latest published results, ranked within each track"""
        return leitai().results(contest_id)
