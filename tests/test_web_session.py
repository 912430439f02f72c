"""The web view's sign-in and pages in-process, on SQLite and PostgreSQL: the session key, refusals, a closed month."""

import re

from service.web.session import secret_key
from service.app import create_app

from .helpers import build_judges, build_town, open_account
from .periods import run_month

FIGURES = {"D1": (90, 80), "D2": (70, 60), "E1": (80, 90), "E2": (85, 75), "F1": (60, 70), "F2": (65, 55)}


def form_token(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def sign_in(client, token: str, target: str = "/web/"):
    """As a browser does: the form first (its token is bound to the pre-session cookie), then the post."""
    csrf = form_token(client.get("/web/sign-in").text)
    return client.post("/web/sign-in", data={"token": token, "next": target, "csrf": csrf})


def test_a_session_signed_by_one_worker_is_honoured_by_another_on_the_same_data_folder(flask_app, settings, monkeypatch):
    monkeypatch.delenv("LEITAI_SECRET_KEY", raising=False)
    other = create_app(settings)
    try:
        first, second = flask_app.test_client(), other.test_client()
        assert sign_in(first, "test-bootstrap-token-long-enough").status_code == 302
        second.set_cookie("session", first.get_cookie("session").value)
        assert second.get("/web/").status_code == 200
        assert flask_app.secret_key == other.secret_key == (settings.data_dir / "secret-key").read_text().strip()
    finally:
        other.extensions["leitai"].projector.store.close()
        other.extensions["leitai"].close()


def test_the_secret_key_comes_from_the_environment_when_given(tmp_path, monkeypatch):
    monkeypatch.setenv("LEITAI_SECRET_KEY", "chosen-by-the-operator")
    assert secret_key(tmp_path) == "chosen-by-the-operator" and not (tmp_path / "secret-key").exists()


def test_a_wrong_token_is_refused_and_a_page_sends_a_stranger_to_sign_in(flask_app):
    client = flask_app.test_client()
    assert client.get("/web/").headers["Location"].startswith("/web/sign-in?next=/web/")
    refused = sign_in(client, "nobody")
    assert refused.status_code == 401 and "令牌无效" in refused.text
    assert client.get("/web/").status_code == 302


def test_signing_in_never_sends_the_browser_to_another_site(flask_app):
    client = flask_app.test_client()
    for target in ("https://evil.example/web/", "//evil.example/web/", "/api/v1/towns", "/web\\@evil.example"):
        landed = sign_in(client, "test-bootstrap-token-long-enough", target)
        assert landed.headers["Location"] == "/web/", target


def test_a_closed_month_and_a_contest_read_the_same_in_the_page_as_in_the_api(api, flask_app):
    town = build_town(api, per_track=(2, 2, 2))
    judges = build_judges(api, 3)
    run_month(api, town, judges, "2023-01", FIGURES)
    board = api.ok("POST", f"/towns/{town['town']}/months/2023-01/close")
    auditor = open_account(api, "镇长", "auditor")
    client = flask_app.test_client()
    assert sign_in(client, auditor["token"]).status_code == 302

    page = client.get(f"/web/towns/{town['town']}?month=2023-01").text
    for rows in board["tracks"].values():
        for row in rows:
            shown = re.search(rf'data-village="{row["village_id"]}">\s*<td class="num rank">(\d+)</td>.*?'
                              r'<td class="num composite"><strong>([\d.]+)</strong>', page, re.S)
            assert shown.groups() == (str(row["rank"]), f"{row['composite']:.2f}")
    contest = api.ok("GET", f"/contests?town_id={town['town']}&month=2023-01")[0]
    assert contest["theme"] in client.get(f"/web/contests/{contest['id']}").text
    assert client.get(f"/web/villages/{town['villages']['D1']}").status_code == 200
    assert "找不到" in client.get(f"/web/contests/{town['villages']['D1']}").text
