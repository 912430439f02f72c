from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.village import Village

from ..auth import roles, self_or
from ..schemas.common import ReasonIn
from ..schemas.villages import (AccountIn, AccountOut, NewAccountOut, NewTokenOut, RetireIn, SecretaryChangeIn, TrackChangeIn, VillageIn,
                                VillageOut, VillageQuery)
from . import leitai

blp = Blueprint("villages", __name__, description="Villages (村) on their tracks, and accounts")


@blp.route("/villages")
class Villages(MethodView):
    @blp.arguments(VillageQuery(), location="query")
    @blp.response(200, VillageOut(many=True))
    def get(self, query):
        """A town's villages, in code order"""
        return leitai().villages_of(query["town_id"])

    @roles("organizer")
    @blp.arguments(VillageIn())
    @blp.response(201, VillageOut)
    def post(self, body):
        """Register a village on a track; its code is unique within the town"""
        return leitai().register_village(body["town_id"], body["code"], body["name"], body["track"],
                                         body["secretary"]["name"], g.principal.id, body["joined_from"])


@blp.route("/villages/<uuid:village_id>")
class VillageById(MethodView):
    @blp.response(200, VillageOut)
    def get(self, village_id):
        """A village with its track and secretary history"""
        return leitai().load(Village, village_id)


@blp.route("/villages/<uuid:village_id>/track")
class VillageTrack(MethodView):
    @roles("organizer")
    @blp.arguments(TrackChangeIn())
    @blp.response(200, VillageOut)
    def post(self, body, village_id):
        """Move a village to another track from a month, with a reason"""
        return leitai().change_track(village_id, body["track"], body["effective_from"], body["reason"], g.principal.id)


@blp.route("/villages/<uuid:village_id>/retire")
class VillageRetire(MethodView):
    @roles("organizer")
    @blp.arguments(RetireIn())
    @blp.response(200, VillageOut)
    def post(self, body, village_id):
        """A village leaves the programme from a month (村庄撤并): no longer scheduled, asked for a duty list, nor ranked"""
        return leitai().retire_village(village_id, body["effective_from"], body["reason"], g.principal.id)


@blp.route("/villages/<uuid:village_id>/secretary")
class VillageSecretary(MethodView):
    @roles("organizer")
    @blp.arguments(SecretaryChangeIn())
    @blp.response(200, VillageOut)
    def post(self, body, village_id):
        """Record a new Party secretary (村党组织书记) since a date"""
        return leitai().change_secretary(village_id, body["name"], body["since"], g.principal.id)


@blp.route("/accounts")
class Accounts(MethodView):
    @roles("organizer")
    @blp.arguments(AccountIn())
    @blp.response(201, NewAccountOut)
    def post(self, body):
        """Open an account; its token is shown once and stored only as a hash"""
        account, token = leitai().open_account(body["name"], body["role"], body["village_id"], g.principal.id)
        return {"id": account.id, "name": account.name, "role": account.role,
                "village_id": account.village_id, "disabled": account.disabled, "token": token}


@blp.route("/accounts/<uuid:account_id>/disable")
class DisableAccount(MethodView):
    @roles("organizer")
    @blp.arguments(ReasonIn())
    @blp.response(200, AccountOut)
    def post(self, body, account_id):
        """Disable an account, with a reason: its token is refused from then on"""
        return leitai().disable_account(account_id, body["reason"], g.principal.id)


@blp.route("/accounts/<uuid:account_id>/token")
class AccountToken(MethodView):
    @self_or("replace_token")
    @blp.arguments(ReasonIn())
    @blp.response(200, NewTokenOut)
    def post(self, body, account_id):
        """Replace an account's token, with a reason (an organizer, or the account itself): the new token is shown once, the old one refused from then on"""
        account, token = leitai().rotate_token(account_id, body["reason"], g.principal.id)
        return {"id": account.id, "token": token}
