from flask import abort, g
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.pairing import Pairing
from domain.periods import is_month

from ..auth import roles
from ..schemas.pairings import ComplianceOut, DissolveIn, ExchangeIn, FollowUpOut, FollowUpQuery, PairingIn, PairingOut
from . import IN_PATH, leitai

blp = Blueprint("pairings", __name__, description="Pairings (结对共建), their exchanges, and follow-ups (后续通知)")


@blp.route("/pairings")
class Pairings(MethodView):
    @roles("organizer")
    @blp.arguments(PairingIn())
    @blp.response(201, PairingOut)
    def post(self, body):
        """Pair an advanced village with a lagging one from a month"""
        return leitai().form_pairing(body["advanced_village_id"], body["lagging_village_id"], body["from_month"],
                                     g.principal.id)


@blp.route("/pairings/<uuid:pairing_id>")
class PairingById(MethodView):
    @blp.response(200, PairingOut)
    def get(self, pairing_id):
        """A pairing with its exchanges and recorded shortfalls"""
        return leitai().load(Pairing, pairing_id)


@blp.route("/pairings/<uuid:pairing_id>/exchanges")
class Exchanges(MethodView):
    @roles("organizer", "secretary")
    @blp.arguments(ExchangeIn())
    @blp.response(201, PairingOut)
    def post(self, body, pairing_id):
        """Record an exchange (organiser, or a secretary of either village)"""
        secretary_of = g.principal.village_id if g.principal.role == "secretary" else None
        return leitai().record_exchange(pairing_id, body["date"], body["mode"], body["summary"], g.principal.id,
                                        secretary_of)


@blp.route("/pairings/<uuid:pairing_id>/dissolve")
class Dissolve(MethodView):
    @roles("organizer")
    @blp.arguments(DissolveIn())
    @blp.response(200, PairingOut)
    def post(self, body, pairing_id):
        """Dissolve a pairing from a month (this month by default), with a reason"""
        return leitai().dissolve_pairing(pairing_id, body["reason"], body["effective_from"], g.principal.id)


@blp.route("/towns/<uuid:town_id>/pairings/compliance/<month>", parameters=IN_PATH["month"])
class Compliance(MethodView):
    @blp.response(200, ComplianceOut(many=True))
    def get(self, town_id, month):
        """R12: each active pairing's offline exchanges in the month against the requirement"""
        if not is_month(month):
            abort(422, "Give the period as YYYY-MM.")
        return leitai().compliance(town_id, month)


@blp.route("/followups")
class FollowUps(MethodView):
    @blp.arguments(FollowUpQuery(), location="query")
    @blp.response(200, FollowUpOut(many=True))
    def get(self, query):
        """Follow-ups recorded for a town and their delivery: pending, delivered or failed"""
        return leitai().followups(query["town_id"], query.get("status"))
