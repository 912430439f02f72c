from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.contest import Contest

from ..auth import roles
from ..schemas.appeals import AppealIn, AppealOut, ResolveIn
from . import leitai

blp = Blueprint("appeals", __name__, description="Appeals (申诉) on a contest's published result")


@blp.route("/contests/<uuid:contest_id>/appeals")
class Appeals(MethodView):
    @blp.response(200, AppealOut(many=True))
    def get(self, contest_id):
        """A contest's appeals, oldest first, with how each was answered"""
        return list(leitai().load(Contest, contest_id).appeals.values())

    @roles("secretary", "organizer")
    @blp.arguments(AppealIn())
    @blp.response(201, AppealOut)
    def post(self, body, contest_id):
        """Lodge an appeal on a village's published result, within the appeal window: its own secretary, or an organizer"""
        secretary_of = g.principal.village_id if g.principal.role == "secretary" else None
        return leitai().lodge_appeal(contest_id, body["village_id"], body["reason"], g.principal.id, secretary_of)


@blp.route("/appeals/<uuid:appeal_id>/resolve")
class Resolve(MethodView):
    @roles("organizer")
    @blp.arguments(ResolveIn())
    @blp.response(200, AppealOut)
    def post(self, body, appeal_id):
        """Uphold (then amend the sheets, R8) or reject an appeal, with a reason; both stay in the contest's history"""
        return leitai().resolve_appeal(appeal_id, body["outcome"], body["reason"], g.principal.id)
