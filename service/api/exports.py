from flask import Response, abort, g
from flask.views import MethodView
from flask_smorest import Blueprint

from .. import exports
from ..policy import allowed
from . import leitai

blp = Blueprint("exports", __name__, description="Exports (导出): boards, the annual assessment and contests as CSV or XLSX")
FILE = {"type": "string", "format": "binary"}


@blp.route("/towns/<uuid:town_id>/exports/<kind>/<period>.<any(csv, xlsx):fmt>")
class Export(MethodView):
    @blp.response(200, FILE, description="A CSV (UTF-8 with BOM) or XLSX file with Chinese column headers",
                  content_type="application/octet-stream")
    def get(self, town_id, kind, period, fmt):
        """A board (monthly YYYY-MM, quarterly YYYY-Qn), the annual assessment (YYYY) or a contest (its id) as a file; a contest's judge analytics only for organizers and auditors"""
        if kind == "contest" and not allowed(g.principal, "read_analytics"):
            abort(403, f"The role {g.principal.role} may not export a contest's judge analytics.")
        found = exports.export(leitai(), town_id, kind, period, fmt)
        return Response(found.data, content_type=found.content_type,
                        headers={"Content-Disposition": found.disposition})
