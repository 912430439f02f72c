"""The blueprint every page of the web view hangs on, and the lookups several pages share."""

from uuid import UUID

from flask import Blueprint, current_app

from domain.account import Account
from domain.village import Village

from ..application import BOOTSTRAP_ID

# The templates stay in service/templates/web and the stylesheet and scripts in service/static/web, beside the package.
blp = Blueprint("web", __name__, url_prefix="/web", template_folder="../templates",
                static_folder="../static/web", static_url_path="/static")


def leitai():
    return current_app.extensions["leitai"]


def names_of(town_id: UUID) -> dict[str, Village]:
    return {str(v.id): v for v in leitai().villages_of(town_id)}


def account_name(account_id: str | None) -> str:
    """The bootstrap token acts without an account, so it has no name of its own."""
    if account_id is None:
        return ""
    if account_id == str(BOOTSTRAP_ID):
        return "引导令牌"
    account = leitai().find(Account, account_id)
    return account.name if account else account_id
