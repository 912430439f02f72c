from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.town import Town

from ..auth import roles
from ..schemas.towns import RulebookIn, RulebookOut, TownBrief, TownDetail, TownIn, TownOut
from . import leitai

blp = Blueprint("towns", __name__, url_prefix="/towns", description="Towns (乡镇) and their rulebooks")


@blp.route("")
class Towns(MethodView):
    @blp.response(200, TownBrief(many=True))
    def get(self):
        """List the towns"""
        return leitai().towns()

    @roles("organizer")
    @blp.arguments(TownIn())
    @blp.response(201, TownOut)
    def post(self, body):
        """Create a town, with rulebook version 1 holding the defaults"""
        return leitai().create_town(body["name"], body["county"], g.principal.id)


@blp.route("/<uuid:town_id>")
class TownById(MethodView):
    @blp.response(200, TownDetail)
    def get(self, town_id):
        """A town with its rulebook in force and every version"""
        return leitai().load(Town, town_id)


@blp.route("/<uuid:town_id>/rulebook")
class TownRulebook(MethodView):
    @roles("organizer")
    @blp.arguments(RulebookIn())
    @blp.response(200, RulebookOut)
    def put(self, body, town_id):
        """Adopt a new rulebook version from a month; rules left out are carried over"""
        effective_from = body.pop("effective_from")
        return leitai().adopt_rulebook(town_id, body, effective_from, g.principal.id)
