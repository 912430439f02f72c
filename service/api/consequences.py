from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth import roles
from ..schemas.common import ReasonIn
from ..schemas.consequences import (HoldIn, InterviewOut, InterviewQuery, ScheduleIn, SharingHeldIn, SharingOut,
                                    SharingQuery)
from . import leitai

blp = Blueprint("consequences", __name__, description="Interviews (约谈) and sharing invitations (经验分享)")


@blp.route("/interviews")
class Interviews(MethodView):
    @blp.arguments(InterviewQuery(), location="query")
    @blp.response(200, InterviewOut(many=True))
    def get(self, query):
        """Interviews required by closed periods, by level and status"""
        return leitai().interviews(query["town_id"], query.get("level"), query.get("status"))


@blp.route("/interviews/<uuid:interview_id>/schedule")
class Schedule(MethodView):
    @roles("organizer")
    @blp.arguments(ScheduleIn())
    @blp.response(200, InterviewOut)
    def post(self, body, interview_id):
        """Schedule an interview"""
        return leitai().schedule_interview(interview_id, body["at"], g.principal.id)


@blp.route("/interviews/<uuid:interview_id>/hold")
class Hold(MethodView):
    @roles("organizer")
    @blp.arguments(HoldIn())
    @blp.response(200, InterviewOut)
    def post(self, body, interview_id):
        """Record that an interview was held, with its minutes; an annual one with the pledge made (表态发言)"""
        return leitai().hold_interview(interview_id, body["held_at"], body["minutes"], g.principal.id, body["pledge"])


@blp.route("/interviews/<uuid:interview_id>/waive")
class Waive(MethodView):
    @roles("organizer")
    @blp.arguments(ReasonIn())
    @blp.response(200, InterviewOut)
    def post(self, body, interview_id):
        """Waive an interview, with a reason"""
        return leitai().waive_interview(interview_id, body["reason"], g.principal.id)


@blp.route("/sharings")
class Sharings(MethodView):
    @blp.arguments(SharingQuery(), location="query")
    @blp.response(200, SharingOut(many=True))
    def get(self, query):
        """Sharing invitations for the top N and the notably improved"""
        return leitai().sharings(query["town_id"], query.get("period"))


@blp.route("/sharings/<uuid:sharing_id>/held")
class SharingHeld(MethodView):
    @roles("organizer")
    @blp.arguments(SharingHeldIn())
    @blp.response(200, SharingOut)
    def post(self, body, sharing_id):
        """Record that a sharing session took place (经验分享), with what was shared"""
        return leitai().hold_sharing(sharing_id, body["date"], body["summary"], g.principal.id)
