from flask.views import MethodView
from flask_smorest import Blueprint

from domain.contest import Contest
from domain.errors import NotFoundError

from .. import log
from ..auth import roles
from ..schemas.audit import ContestHistoryOut, DigestOut, EventOut, FeedOut, FeedQuery, VerifyOut, VerifyQuery
from . import leitai

blp = Blueprint("audit", __name__, description="Audit: the event log and every entity's history")


@blp.route("/history/<uuid:entity_id>")
class History(MethodView):
    @roles("organizer", "auditor")
    @blp.response(200, EventOut(many=True))
    def get(self, entity_id):
        """Every event of an entity, oldest first, with actor and position"""
        events = log.history(leitai(), entity_id)
        if not events:
            raise NotFoundError(f"entity {entity_id} not found")
        return events


@blp.route("/contests/<uuid:contest_id>/history")
class ContestHistory(MethodView):
    @roles("organizer", "auditor")
    @blp.response(200, ContestHistoryOut)
    def get(self, contest_id):
        """A contest's events, and each sheet's submission and every correction or amendment side by side"""
        return log.contest_history(leitai(), leitai().load(Contest, contest_id))


@blp.route("/events")
class Events(MethodView):
    @roles("organizer", "auditor")
    @blp.arguments(FeedQuery(), location="query")
    @blp.response(200, FeedOut)
    def get(self, query):
        """The global, ordered event feed after a position"""
        return log.feed(leitai(), query["after"], query["limit"])


@blp.route("/audit/digest")
class AuditDigest(MethodView):
    @blp.response(200, DigestOut)
    def get(self):
        """The head of the audit hash chain: keep {position, hash} outside the system to check it later"""
        return leitai().chain.catch_up()


@blp.route("/audit/verify")
class AuditVerify(MethodView):
    @roles("organizer", "auditor")
    @blp.arguments(VerifyQuery(), location="query")
    @blp.response(200, VerifyOut)
    def get(self, query):
        """Recompute the hash chain over the stored events and name the first bad position; `against` checks a kept digest"""
        return leitai().chain.verify(query.get("against"))
