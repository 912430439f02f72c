"""Duty lists (职责清单) from Excel: the month's template, and the filled file imported all or nothing."""

from flask import Response, abort, g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from domain.periods import is_month
from domain.rules import published

from .. import duty_sheets
from ..auth import roles
from ..schemas.boards import DutyImportOut
from . import IN_PATH, leitai

blp = Blueprint("duty", __name__, description="Duty lists (职责清单) from Excel")
FILE = {"type": "string", "format": "binary"}
# The server also takes the file as the whole body (curl --data-binary); the document names one way, as
# openapi-python-client 0.29 cannot generate a body of two content types.
UPLOAD = {"required": True, "description": "the filled template (.xlsx) as the field `file`",
          "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                         "properties": {"file": FILE}, "additionalProperties": False}}}}


def month_of(text: str) -> str:
    if not is_month(text):
        abort(422, "Give the month as YYYY-MM.")
    return text


@blp.route("/towns/<uuid:town_id>/duty/<month>/template.xlsx", parameters=IN_PATH["month"])
class Template(MethodView):
    @roles("organizer", "auditor")
    @blp.response(200, FILE, description="An XLSX file: a row per village taking part that month, a column per "
                                         "item of the rulebook in force with its maximum, Chinese headers",
                  content_type="application/octet-stream")
    def get(self, town_id, month):
        """The month's duty-list template (职责清单) to fill in Excel"""
        data = duty_sheets.template(leitai(), town_id, month_of(month))
        name = f"leitai-duty-{month}.xlsx"
        return Response(data, content_type=duty_sheets.XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/towns/<uuid:town_id>/duty/<month>/import", parameters=IN_PATH["month"])
class Import(MethodView):
    @roles("organizer")
    @blp.doc(requestBody=UPLOAD)
    @blp.response(200, DutyImportOut)
    def post(self, town_id, month):
        """Import the filled template: every village's duty list of the month, or none; 422 names every bad cell as 行/列"""
        lists = duty_sheets.read(leitai(), town_id, month_of(month), uploaded())
        duties = leitai().record_duties(town_id, month, lists, g.principal.id)
        return {"town_id": town_id, "month": month,
                "recorded": [{"village_id": d.village_id, "month": d.month, "total": published(d.total),
                              "revision": d.revision, "items": d.items} for d in duties]}


def uploaded() -> bytes:
    """The file as a multipart field `file`, or as the raw body."""
    if request.files:
        return (request.files.get("file") or abort(422, "Send the file in the field `file`.")).read()
    return request.get_data()
