from flask.views import MethodView
from flask_smorest import Blueprint

from ..analytics import contest_analytics
from ..auth import roles
from ..schemas.analytics import AnalyticsOut
from . import leitai

blp = Blueprint("analytics", __name__, url_prefix="/contests",
                description="Judge analytics (评委分析): severity, the corridor and the panel's agreement")


@blp.route("/<uuid:contest_id>/analytics")
class Analytics(MethodView):
    @roles("organizer", "auditor")
    @blp.response(200, AnalyticsOut)
    def get(self, contest_id):
        """Per judge: severity and marks outside the corridor (15% of the maximum total); Kendall's W of the panel"""
        return contest_analytics(leitai(), contest_id)
