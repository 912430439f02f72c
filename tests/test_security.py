"""Hardening over HTTP, in-process: security headers on every response, the session cookie's terms and age,
the sign-in form's CSRF token, throttled failed authentications, token rotation, and a weak bootstrap token."""

import base64
import dataclasses
import hashlib
import logging
import os
import re
import subprocess
import time
from contextlib import contextmanager
from email.utils import parsedate_to_datetime

import pytest

from service import throttle
from service.app import create_app
from service.application import BOOTSTRAP_ID
from service.config import ConfigError, Settings

from .helpers import open_account
from .servers import LEITAI, free_port
from .test_web_session import form_token, sign_in
from .world import build_world, ids_for_path

TWELVE_HOURS = 12 * 3600
ALWAYS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
PARAMETER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


@contextmanager
def another_app(settings: Settings, **changes):
    """A second app on the same store, as another worker would be, with some settings changed."""
    app = create_app(dataclasses.replace(settings, **changes))
    try:
        yield app
    finally:
        app.extensions["leitai"].projector.store.close()
        app.extensions["leitai"].close()


def policy_of(response) -> dict[str, str]:
    parts = (p.strip().split(" ", 1) for p in response.headers["Content-Security-Policy"].split(";"))
    return {name: value for name, value in parts}


def assert_secured(response, where, stored: bool = True) -> None:
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, (where, name)
    policy = policy_of(response)
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'", where
    if not where.startswith("/docs"):
        assert policy["script-src"] == policy["style-src"] == "'self'", (where, policy)
    if not stored:
        assert response.headers.get("Cache-Control") == "no-store", where


def get_paths(flask_app, ids: dict) -> list[str]:
    """Every GET route of the app, with real ids in its path."""
    ids = {**ids, "filename": "web.css"}
    rules = [r.rule for r in flask_app.url_map.iter_rules() if "GET" in r.methods]
    return sorted(PARAMETER.sub(lambda m: str(ids[m.group(1)]), rule) for rule in rules)


def test_every_page_and_api_response_carries_the_security_headers(api, flask_app):
    world = build_world(api)
    ids = ids_for_path(world) | {"village_id": world["village"]}
    browser = flask_app.test_client()
    assert sign_in(browser, world["tokens"]["auditor"]).status_code == 302
    checked = 0
    for path in get_paths(flask_app, ids):
        if path.startswith("/api/"):
            response = api.get(path.removeprefix("/api/v1"))
            assert_secured(response, path, stored=False)
            assert_secured(api.get(path.removeprefix("/api/v1"), token=None), path + " (no token)")
        else:
            response = browser.get(path)
            assert_secured(response, path, stored=not (path.startswith("/web/") and "/static/" not in path))
        assert response.status_code != 500, path  # /readyz is 503 here: no Redis runs
        checked += 1
    assert checked >= 40  # every GET route: of the API, the web view, the docs and the operations
    written = api.post("/towns", {"name": "东镇"})
    assert written.status_code == 201
    assert_secured(written, "POST /api/v1/towns", stored=False)
    assert_secured(browser.get("/web/villages/00000000-0000-0000-0000-000000000000"), "a missing page", stored=False)
    assert_secured(flask_app.test_client().get("/web/sign-in"), "/web/sign-in", stored=False)


def test_the_api_docs_page_alone_allows_swagger_ui_s_cdn_folder_and_its_own_inline_script_by_hash(flask_app):
    docs = flask_app.test_client().get("/docs")
    assert docs.status_code == 200
    scripts = policy_of(docs)["script-src"].split()
    inline = re.findall(r"<script>(.*?)</script>", docs.text, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert scripts == ["'self'", "https://cdn.jsdelivr.net/npm/swagger-ui-dist/", f"'sha256-{digest}'"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "cdn.jsdelivr.net" not in flask_app.test_client().get("/web/sign-in").headers["Content-Security-Policy"]


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_the_session_cookie_is_http_only_same_site_lax_and_expires_12_hours_after_signing_in(flask_app):
    client = flask_app.test_client()
    signed = sign_in(client, "test-bootstrap-token-long-enough")
    cookie = session_cookie(signed)
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie and "; Secure" not in cookie
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1)).timestamp()
    assert TWELVE_HOURS - 60 < expires - time.time() <= TWELVE_HOURS + 1
    page = client.get("/web/")
    assert page.status_code == 200 and not [h for h in page.headers.getlist("Set-Cookie") if "session=" in h], \
        "the expiry is never moved: the session lasts 12 hours from signing in"


def test_the_session_cookie_is_secure_over_https_and_behind_a_proxy_only_when_it_is_trusted(flask_app, settings):
    direct = flask_app.test_client().get("/web/sign-in", base_url="https://leitai.example")
    assert "; Secure" in session_cookie(direct)
    forwarded = {"X-Forwarded-Proto": "https"}
    assert "; Secure" not in session_cookie(flask_app.test_client().get("/web/sign-in", headers=forwarded))
    with another_app(settings, trust_proxy=1) as behind_proxy:
        assert "; Secure" in session_cookie(behind_proxy.test_client().get("/web/sign-in", headers=forwarded))


def test_a_session_signed_in_over_12_hours_ago_is_signed_out(flask_app):
    client = flask_app.test_client()
    assert sign_in(client, "test-bootstrap-token-long-enough").status_code == 302
    signed_at = time.time()
    flask_app.config["CLOCK"] = lambda: signed_at + TWELVE_HOURS - 60
    assert client.get("/web/").status_code == 200
    flask_app.config["CLOCK"] = lambda: signed_at + TWELVE_HOURS + 60
    late = client.get("/web/")
    assert late.status_code == 302 and late.headers["Location"].startswith("/web/sign-in")
    flask_app.config["CLOCK"] = time.time
    assert client.get("/web/").status_code == 302, "the stale session was cleared, not only refused once"


def test_the_sign_in_form_refuses_a_post_without_the_token_bound_to_this_browser(flask_app):
    """Login CSRF: another site's form, or one fetched by another browser, cannot sign this browser in."""
    victim, attacker = flask_app.test_client(), flask_app.test_client()
    victim.get("/web/sign-in")
    stolen = form_token(attacker.get("/web/sign-in").text)
    for data in ({"token": "test-bootstrap-token-long-enough"},
                 {"token": "test-bootstrap-token-long-enough", "csrf": stolen},
                 {"token": "test-bootstrap-token-long-enough", "csrf": ""}):
        refused = victim.post("/web/sign-in", data=data)
        assert refused.status_code == 400 and "登录页面已过期" in refused.text
        assert victim.get("/web/").status_code == 302
    assert sign_in(victim, "test-bootstrap-token-long-enough").status_code == 302
    assert victim.get("/web/").status_code == 200


def metric(flask_app, via: str) -> float:
    text = flask_app.test_client().get("/metrics").text
    found = re.search(rf'^leitai_auth_throttled_total{{via="{via}"}} (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


class Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def kept():
    handler = Kept()
    logging.getLogger("leitai").addHandler(handler)
    yield handler.messages
    logging.getLogger("leitai").removeHandler(handler)


def test_the_21st_wrong_token_in_a_minute_is_429_and_a_right_token_at_that_moment_is_200(api, flask_app, leitai, kept,
                                                                                         monkeypatch):
    before, counted = leitai.recorder.max_notification_id(), metric(flask_app, "api")
    assert [api.get("/towns", token=None).status_code for _ in range(25)] == [401] * 25, "no token guesses nothing"
    answers = [api.get("/towns", token=f"wrong-token-{n}") for n in range(21)]
    assert [a.status_code for a in answers] == [401] * 20 + [429]
    throttled = answers[-1]
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60
    assert throttled.body["code"] == 429 and "Too many failed authentications" in throttled.body["message"]
    assert api.get("/towns").status_code == 200
    assert api.get("/towns", token="wrong-again").status_code == 429
    elsewhere = api.client.get("/api/v1/towns", headers={"Authorization": "Bearer wrong"},
                               environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert elsewhere.status_code == 401, "the count is per client address"
    assert metric(flask_app, "api") == counted + 2
    assert sum("throttled" in m for m in kept) == 2 and not [m for m in kept if "wrong-token" in m]
    assert leitai.recorder.max_notification_id() == before
    later = time.monotonic() + 61
    monkeypatch.setattr(throttle.time, "monotonic", lambda: later)
    assert api.get("/towns", token="wrong-a-minute-later").status_code == 401


def test_the_sign_in_form_is_throttled_like_a_bearer_token(flask_app):
    client = flask_app.test_client()
    statuses = [sign_in(client, f"wrong-{n}").status_code for n in range(20)]
    assert statuses == [401] * 20
    throttled = sign_in(client, "wrong-once-more")
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1
    assert "失败次数过多" in throttled.text
    assert sign_in(client, "test-bootstrap-token-long-enough").status_code == 302
    assert client.get("/web/").status_code == 200
    assert metric(flask_app, "web") >= 1


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_counted(settings):
    with another_app(settings, trust_proxy=1, auth_failures_per_minute=2) as app:
        client = app.test_client()

        def wrong(address):
            return client.get("/api/v1/towns", headers={"Authorization": "Bearer wrong", "X-Forwarded-For": address})

        assert [wrong("203.0.113.7").status_code for _ in range(3)] == [401, 401, 429]
        assert wrong("203.0.113.8").status_code == 401


def test_several_workers_share_one_count_through_redis(settings, tmp_path):
    from workers.redis_server import start

    port = free_port()
    server = start(tmp_path / "redis", port)
    try:
        shared = dict(redis_url=f"redis://127.0.0.1:{port}/0", auth_failures_per_minute=4)
        with another_app(settings, **shared) as first, another_app(settings, **shared) as second:
            workers = [first.test_client(), second.test_client()]
            statuses = [workers[n % 2].get("/api/v1/towns", headers={"Authorization": "Bearer wrong"}).status_code
                        for n in range(6)]
            assert statuses == [401] * 4 + [429, 429]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_rotated_token_is_refused_and_the_new_one_works(api, flask_app, leitai):
    judge = open_account(api, "评委", "judge")
    browser = flask_app.test_client()
    assert sign_in(browser, judge["token"]).status_code == 302
    rotated = api.ok("POST", f"/accounts/{judge['id']}/token", {"reason": "手机丢失"}, token=judge["token"])
    assert set(rotated) == {"id", "token"} and rotated["id"] == judge["id"] and rotated["token"] != judge["token"]
    assert api.get("/towns", token=judge["token"]).status_code == 401
    assert api.get("/towns", token=rotated["token"]).status_code == 200
    assert browser.get("/web/").status_code == 302, "a web session signed in with the old token is signed out"
    again = api.ok("POST", f"/accounts/{judge['id']}/token", {"reason": "疑似泄露"})
    assert api.get("/towns", token=rotated["token"]).status_code == 401
    assert api.get("/towns", token=again["token"]).status_code == 200
    history = api.ok("GET", f"/history/{judge['id']}")
    rotations = [e for e in history if e["type"] == "Account.TokenRotated"]
    assert [(e["data"]["reason"], e["actor"]) for e in rotations] == [("手机丢失", judge["id"]),
                                                                     ("疑似泄露", str(BOOTSTRAP_ID))]
    assert all(again["token"] not in str(e) and rotated["token"] not in str(e) for e in history)


def test_a_token_rotation_refused_records_nothing(api, leitai):
    judge, other = open_account(api, "评委", "judge"), open_account(api, "评委乙", "judge")
    refusals = [(403, f"/accounts/{other['id']}/token", {"reason": "x"}, judge["token"]),
                (422, f"/accounts/{judge['id']}/token", {}, "default"),
                (422, f"/accounts/{judge['id']}/token", {"reason": "  "}, "default"),
                (404, "/accounts/00000000-0000-0000-0000-000000000000/token", {"reason": "x"}, "default")]
    for status, path, body, token in refusals:
        before = leitai.recorder.max_notification_id()
        response = api.post(path, body, token=token)
        assert response.status_code == status and response.body["code"] == status, (path, body)
        assert leitai.recorder.max_notification_id() == before
    api.ok("POST", f"/accounts/{other['id']}/disable", {"reason": "离任"})
    before = leitai.recorder.max_notification_id()
    assert api.post(f"/accounts/{other['id']}/token", {"reason": "x"}).status_code == 409
    assert leitai.recorder.max_notification_id() == before
    assert api.get("/towns", token=judge["token"]).status_code == 200


def test_a_bootstrap_token_under_24_characters_is_refused_at_start(settings):
    with pytest.raises(ConfigError, match="LEITAI_BOOTSTRAP_TOKEN"):
        create_app(dataclasses.replace(settings, bootstrap_token="admin"))
    Settings(data_dir=settings.data_dir, bootstrap_token="x" * 24).check()
    Settings(data_dir=settings.data_dir, bootstrap_token=None).check()


@pytest.mark.parametrize("command", (["serve"], ["up", "--redis-port", "0"]))
def test_a_weak_bootstrap_token_stops_leitai_serve_and_up_with_a_message_naming_the_variable(command, tmp_path):
    env = {**os.environ, "LEITAI_DATA_DIR": str(tmp_path / "var"), "LEITAI_BOOTSTRAP_TOKEN": "admin"}
    env.pop("LEITAI_DATABASE_URL", None)
    port = free_port()
    started = subprocess.run([LEITAI, *command, "--port", str(port)], env=env, capture_output=True, text=True,
                             timeout=60)
    assert started.returncode == 1
    assert "LEITAI_BOOTSTRAP_TOKEN is 5 characters long; it must be at least 24" in started.stderr
    assert "Traceback" not in started.stderr and not (tmp_path / "var" / "logs").exists()


def test_leitai_accounts_rotate_prints_a_new_token_and_the_old_one_is_refused(tmp_path, settings):
    env = {**os.environ, "LEITAI_DATA_DIR": str(settings.data_dir)}
    env.pop("LEITAI_DATABASE_URL", None)
    if settings.database_url:
        env["LEITAI_DATABASE_URL"] = settings.database_url
    created = subprocess.run([LEITAI, "accounts", "create", "--role", "judge", "--name", "评委"], env=env,
                             capture_output=True, text=True, check=True).stdout.split()
    account, old = created[1], created[-1]
    rotated = subprocess.run([LEITAI, "accounts", "rotate", "--account", account, "--reason", "泄露"], env=env,
                             capture_output=True, text=True, check=True).stdout.split()
    new = rotated[-1]
    with another_app(settings) as app:
        client = app.test_client()
        assert client.get("/api/v1/towns", headers={"Authorization": f"Bearer {old}"}).status_code == 401
        assert client.get("/api/v1/towns", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    refused = subprocess.run([LEITAI, "accounts", "rotate", "--account", account, "--reason", " "], env=env,
                             capture_output=True, text=True)
    assert refused.returncode == 1 and "a new token needs a reason" in refused.stderr
