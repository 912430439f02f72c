"""The Flask app factory."""

from flask import Flask
from flask_smorest import Api
from werkzeug.middleware.proxy_fix import ProxyFix

from . import auth, errors, headers, idempotency, ops
from .api import appeals, audit, boards, consequences, contests, pairings, towns, villages
from .api import analytics, duty, exports, live
from . import web
from .config import Settings
from .jsonio import DecimalJSON
from .throttle import Throttle
from .wiring import build

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> Flask:
    settings = (settings or Settings.from_env()).check()
    app = Flask("leitai")
    if settings.trust_proxy:
        # Only the last N hops may say who the client is and whether it came over HTTPS.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trust_proxy, x_proto=settings.trust_proxy)
    app.json = DecimalJSON(app)
    app.config.update(
        API_TITLE="Leitai 擂台", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/", OPENAPI_JSON_PATH="openapi.json", OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL=headers.SWAGGER_UI,
        MAX_CONTENT_LENGTH=1024 * 1024, BOOTSTRAP_TOKEN=settings.bootstrap_token, SETTINGS=settings,
    )
    leitai = build(settings)
    app.extensions["leitai"] = leitai
    app.extensions["leitai.throttle"] = Throttle.of(settings)
    idempotency.create_table(leitai.projector.store)
    api = Api(app, spec_kwargs={"info": {"description": "Township arena contests (擂台比武) for village Party secretaries"}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearer": []}]
    for blueprint in (towns.blp, villages.blp, contests.blp, appeals.blp, boards.blp, consequences.blp, pairings.blp,
                      audit.blp, exports.blp, live.blp, duty.blp):
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + (blueprint.url_prefix or ""))
    api.register_blueprint(analytics.blp, url_prefix=API_PREFIX + analytics.blp.url_prefix)
    ops.register(app)
    headers.register(app)
    app.before_request(auth.authenticate)
    app.before_request(idempotency.before)
    app.after_request(idempotency.after)
    errors.register(app)
    web.register(app, settings)
    return app
