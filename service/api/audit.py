from flask.views import MethodView
from flask_smorest import Blueprint

from domain.errors import NotFoundError

from .. import log
from ..auth import roles
from ..schemas import EventOut, FeedOut, FeedQuery
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


@blp.route("/events")
class Events(MethodView):
    @roles("organizer", "auditor")
    @blp.arguments(FeedQuery, location="query")
    @blp.response(200, FeedOut)
    def get(self, query):
        """The global, ordered event feed after a position"""
        return log.feed(leitai(), query["after"], query["limit"])
