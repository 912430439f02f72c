"""The one wiring point: the Application and its read models, built once per process."""

from projections.assessment import Assessment
from projections.base import Projector
from projections.consequences import Consequences
from projections.directory import Directory
from projections.followups import FollowUps
from projections.results import ContestResults
from projections.store import PostgresViews, SQLiteViews

from .application import Leitai
from .config import Settings


def read_models():
    return [Directory(), ContestResults(), Assessment(), Consequences(), FollowUps()]


def build(settings: Settings) -> Leitai:
    app = Leitai(env=settings.event_store_env())
    if settings.uses_postgres:
        store = PostgresViews(settings.database_url)
    else:
        store = SQLiteViews(settings.data_dir / "views.sqlite")
    app.projector = Projector(app, store, read_models())
    return app
