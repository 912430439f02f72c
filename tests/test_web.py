"""The read-only web view in Debian's headless Chromium, against a real `leitai serve` holding the demo town.

Every rank and score the browser shows is checked against what the API answers for the same period;
every page is photographed at desktop width and at 390 px (a phone), where it must not scroll sideways.
"""

import http.cookiejar
import os
import re
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .test_cli import LEITAI, free_port, request, wait_until_up

TOKEN = "web-test-token-long-enough-24"
PHONE, DESKTOP = 390, 1280
SHOTS = Path("test-output/screenshots")
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
BASES = {"contest": "擂台赛", "composite": "综合得分"}
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")


def serve(folder: Path, workers: int = 2, **extra) -> tuple[subprocess.Popen, str]:
    """`leitai serve` on a data folder (whose key signs the sessions), once it answers."""
    env = {**os.environ, "LEITAI_DATA_DIR": str(folder), "LEITAI_BOOTSTRAP_TOKEN": TOKEN, **extra}
    for name in ("LEITAI_DATABASE_URL", "LEITAI_SECRET_KEY"):
        env.pop(name, None)
    port = free_port()
    server = subprocess.Popen([LEITAI, "serve", "--port", str(port), "--workers", str(workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/healthz")
    except TimeoutError:
        stop(server)
        raise
    return server, url


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """`leitai serve` with two workers on a fresh data folder, and four closed months of the demo town."""
    folder = tmp_path_factory.mktemp("web") / "var"
    server, url = serve(folder, LEITAI_LIVE_SECONDS="2")  # the hall screen's stream must not hold up the stop
    env = {**os.environ, "LEITAI_BOOTSTRAP_TOKEN": TOKEN}
    try:
        loaded = subprocess.run([LEITAI, "demo", "--url", url, "--seed", "7", "--villages", "12", "--months", "4"],
                                env=env, capture_output=True, text=True, timeout=300)
        assert loaded.returncode == 0, loaded.stderr[-2000:]
        yield {"url": url, "id": re.search(r"town id\s+(\S+)", loaded.stdout).group(1), "folder": folder,
               "auditor": re.search(r"auditor token\s+(\S+)", loaded.stdout).group(1)}
    finally:
        stop(server)


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), \
        "Debian's chromium and chromium-driver are missing: `make tools` (run by `make test`) installs them"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, where CSP violations show
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        driver.set_page_load_timeout(60)
        try:
            yield Browser(driver)
        finally:
            driver.quit()


class Browser:
    """The driver, a screen width, and what the tests read off a page."""

    def __init__(self, driver):
        self.driver = driver
        self.width = DESKTOP
        self.resize(DESKTOP)

    def resize(self, width: int, height: int = 900) -> None:
        self.width = width
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    def open(self, url: str):
        self.driver.get(url)
        return self

    def sign_in(self, url: str, token: str) -> None:
        self.driver.delete_all_cookies()
        self.open(f"{url}/web/sign-in")
        self.driver.find_element("name", "token").send_keys(token)
        self.driver.find_element("css selector", "form.sign-in button").click()
        self.signed_in()

    def signed_in(self) -> None:
        """The click only starts the sign-in: wait for the page it leads to, or the next `open` races it."""
        self.wait_for("header form.who")

    def wait_for(self, selector: str):
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, 30).until(lambda d: d.find_elements("css selector", selector))[0]

    def all(self, selector: str, within=None):
        return (within or self.driver).find_elements("css selector", selector)

    def one(self, selector: str, within=None):
        return (within or self.driver).find_element("css selector", selector)

    def text(self, selector: str, within=None) -> str:
        return self.one(selector, within).text.strip()

    def csp_violations(self) -> list[str]:
        """What the console said about the Content-Security-Policy since the last call."""
        return [e["message"] for e in self.driver.get_log("browser") if "Content Security Policy" in e["message"]]

    def scroll_width(self) -> int:
        return self.driver.execute_script("return document.documentElement.scrollWidth")

    def shoot(self, name: str) -> Path:
        """The whole page, however long, at the current width."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.resize(self.width, min(height, 8000))
        path = SHOTS / f"{name}-{self.width}.png"
        self.driver.save_screenshot(str(path))
        self.resize(self.width)
        return path


def api(town: dict, path: str):
    status, body = request(f"{town['url']}/api/v1{path}", TOKEN)
    assert status == 200
    return body


def rows_of(board: dict) -> list[dict]:
    return [row for rows in board["tracks"].values() for row in rows]


def column(browser: Browser, cell: str) -> dict:
    """village id -> the text of one cell, over every track's table on the page."""
    return {row.get_attribute("data-village"): browser.text(cell, row) for row in browser.all("table.board tbody tr")}


def shown_board(browser: Browser, figure: str) -> dict:
    """village id -> (rank, figure) as the page shows them."""
    ranks, figures = column(browser, "td.rank"), column(browser, f"td.{figure}")
    return {village: (rank, figures[village]) for village, rank in ranks.items()}


def api_board(board: dict, figure: str) -> dict:
    return {row["village_id"]: (str(row["rank"]), f"{row[figure]:.2f}") for row in rows_of(board)}


def shown_figure(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def arrow(row: dict) -> str:
    if row["previous_rank"] is None:
        return "—"
    places = row["previous_rank"] - row["rank"]
    return f"↑{places}" if places > 0 else f"↓{-places}" if places < 0 else "–"


def test_without_signing_in_a_page_asks_for_a_token_and_a_wrong_token_is_refused(town, browser):
    browser.driver.delete_all_cookies()
    browser.open(f"{town['url']}/web/towns/{town['id']}")
    assert "/web/sign-in" in browser.driver.current_url and browser.all("input[name=token]")
    browser.one("input[name=token]").send_keys("not-a-token")
    browser.one("form.sign-in button").click()
    assert "令牌无效" in browser.wait_for("[role=alert]").text
    browser.one("input[name=token]").send_keys(town["auditor"])
    browser.one("form.sign-in button").click()
    browser.signed_in()
    assert browser.driver.current_url.endswith(f"/web/towns/{town['id']}")
    assert "审计" in browser.text("header .who")
    browser.shoot("sign-in-done")


def test_the_town_page_shows_this_month_s_board_with_the_api_s_ranks_scores_and_rank_changes(town, browser):
    browser.sign_in(town["url"], town["auditor"])
    browser.open(f"{town['url']}/web/towns/{town['id']}")
    assert browser.one("h1").get_attribute("data-period") == "2023-04"
    for month in ("2023-04", "2023-02"):
        browser.open(f"{town['url']}/web/towns/{town['id']}?month={month}")
        board = api(town, f"/towns/{town['id']}/boards/monthly/{month}")
        assert board["status"] == "closed" and browser.one("[data-status]").get_attribute("data-status") == "closed"
        assert shown_board(browser, "composite") == api_board(board, "composite")
        moves = column(browser, "td.move")
        assert moves == {row["village_id"]: arrow(row) for row in rows_of(board)}
        assert column(browser, "td.contest-rank") == {row["village_id"]: str(row["contest_rank"] or "—")
                                                      for row in rows_of(board)}
        assert browser.one("#basis").get_attribute("data-basis") == board["basis"]
        assert f"按{BASES[board['basis']]}排名认定（规则 R9）" in browser.text("#basis")
        assert "擂台名次" in [th.text for th in browser.all("table.board th")]
        assert not browser.all("#close-preview"), "a closed month has nothing to preview"
        browser.shoot(f"town-{month}")
    assert {"↑", "↓"} <= {m[0] for m in moves.values()}
    closed = [a.text for a in browser.all("ul.chips a") if re.fullmatch(r"\d{4}-\d{2}", a.text)]
    assert closed == ["2023-04", "2023-03", "2023-02", "2023-01"]


def test_an_organizer_previews_closing_the_month_after_the_last_closed_one_and_an_auditor_does_not(town, browser):
    """2023-05 is over but the demo left it without duty lists: the page shows what the API's preview says."""
    month = "2023-05"
    preview = api(town, f"/towns/{town['id']}/months/{month}/close-preview")
    assert not preview["can_close"]
    browser.sign_in(town["url"], TOKEN)
    browser.open(f"{town['url']}/web/towns/{town['id']}?month={month}")
    section = browser.one("#close-preview")
    assert section.get_attribute("data-can-close") == "false" and "暂不能关账" in browser.text("h2", section)
    shown = {li.get_attribute("data-blocker"): [b.get_attribute("data-code") for b in browser.all("[data-code]", li)]
             for li in browser.all("#blockers li")}
    assert shown == {b["kind"]: b["villages"] for b in preview["blockers"]}
    assert "缺少职责清单" in browser.text("[data-blocker=duty_lists_missing]") and shown["duty_lists_missing"]
    interviews = {tr.get_attribute("data-village") for tr in browser.all("#preview-interviews tbody tr")}
    assert interviews == {i["village_id"] for i in preview["consequences"]["interviews"]}
    shortfalls = [li.get_attribute("data-pairing") for li in browser.all("#preview-shortfalls li")]
    assert shortfalls == [s["pairing_id"] for s in preview["consequences"]["shortfalls"]]
    browser.resize(PHONE)
    try:
        browser.open(f"{town['url']}/web/towns/{town['id']}?month={month}")
        assert browser.scroll_width() <= PHONE
        browser.shoot("close-preview")
    finally:
        browser.resize(DESKTOP)

    browser.sign_in(town["url"], town["auditor"])
    browser.open(f"{town['url']}/web/towns/{town['id']}?month={month}")
    assert browser.one("h1").get_attribute("data-period") == month and not browser.all("#close-preview")


def test_the_quarter_and_the_year_show_the_api_s_scores_ranks_and_grades(town, browser):
    browser.sign_in(town["url"], town["auditor"])
    browser.open(f"{town['url']}/web/towns/{town['id']}/quarters/2023-Q1")
    quarter = api(town, f"/towns/{town['id']}/boards/quarterly/2023-Q1")
    assert quarter["status"] == "closed" and shown_board(browser, "score") == api_board(quarter, "score")
    browser.shoot("quarter-2023-Q1")

    browser.open(f"{town['url']}/web/towns/{town['id']}/years/2023")
    year = api(town, f"/towns/{town['id']}/assessments/2023")
    assert year["status"] == "provisional" and shown_board(browser, "score") == api_board(year, "score")
    grades = year["labels"]["grades"]
    assert column(browser, "td.grade") == {row["village_id"]: grades[row["grade"]] for row in rows_of(year)}
    browser.shoot("year-2023")


def test_a_village_page_charts_its_composite_and_rank_month_by_month_as_the_boards_have_them(town, browser):
    browser.sign_in(town["url"], town["auditor"])
    months = ("2023-01", "2023-02", "2023-03", "2023-04")
    rows = {m: {r["village_id"]: r for r in rows_of(api(town, f"/towns/{town['id']}/boards/monthly/{m}"))} for m in months}
    village = max(rows["2023-04"], key=lambda v: len({rows[m][v]["rank"] for m in rows}))
    browser.open(f"{town['url']}/web/villages/{village}")
    shown = {tr.get_attribute("data-month"): (browser.text(".rank", tr), browser.text("td.composite", tr))
             for tr in browser.all("#months tbody tr")}
    assert shown == {m: (str(r[village]["rank"]), f"{r[village]['composite']:.2f}") for m, r in rows.items()}
    assert len(browser.all("svg[data-chart=composite] circle")) == 4 == len(browser.all("svg[data-chart=rank] circle"))
    results = browser.all("#results tbody tr")
    assert len(results) == 4
    contest = results[0].get_attribute("data-contest")
    score = {r["village_id"]: r["score"] for r in api(town, f"/contests/{contest}/results")["results"]}[village]
    assert browser.text("td.score", results[0]) == shown_figure(score)
    interviews = [i for i in api(town, f"/interviews?town_id={town['id']}") if i["village_id"] == village]
    assert len(browser.all("#interviews tbody tr")) == len(interviews)
    browser.shoot("village")


def test_a_contest_page_shows_every_judge_s_marks_with_the_trimmed_ones_struck_and_the_panel_s_agreement(town, browser):
    browser.sign_in(town["url"], town["auditor"])
    contest = api(town, f"/contests?town_id={town['id']}&month=2023-03")[0]
    results = api(town, f"/contests/{contest['id']}/results")
    analytics = api(town, f"/contests/{contest['id']}/analytics")
    browser.open(f"{town['url']}/web/contests/{contest['id']}")
    assert browser.one("ol.stages").get_attribute("data-stage") == "published"
    shown = {tr.get_attribute("data-village"): (browser.text("td.rank", tr), browser.text("td.score", tr))
             for tr in browser.all("table.results tbody tr")}
    assert shown == {r["village_id"]: (str(r["rank"] or "—"), shown_figure(r["score"])) for r in results["results"]}
    for row in results["results"]:
        cells = browser.all(f"#marks tr[data-village='{row['village_id']}'] td.total")
        totals = {c.get_attribute("data-judge"): c.text for c in cells if c.text}
        assert totals == {s["judge_id"]: f"{s['total']:.2f}" for s in row["sheets"]}
        struck = {c.get_attribute("data-judge") for c in cells if "trimmed" in c.get_attribute("class")}
        assert struck == set(row["trimmed"])
    assert any(r["trimmed"] for r in results["results"])
    assert browser.text("#kendall-w") == f"{analytics['kendall_w']:.4f}"
    assert len(browser.all("#judges tbody tr")) == len(contest["judges"])
    assert len(browser.all(".wrap")) >= len(contest["commentaries"]) == 2
    browser.shoot("contest")


def test_interviews_show_what_is_required_scheduled_and_held_as_the_api_has_them(town, browser):
    browser.sign_in(town["url"], town["auditor"])
    everyone = api(town, f"/interviews?town_id={town['id']}")
    browser.open(f"{town['url']}/web/towns/{town['id']}/interviews")
    shown = {tr.get_attribute("data-interview"): browser.one("td.status", tr).get_attribute("data-status")
             for tr in browser.all("table.interviews tbody tr[data-interview]")}
    assert shown == {i["id"]: i["status"] for i in everyone}
    browser.shoot("interviews")
    browser.open(f"{town['url']}/web/towns/{town['id']}/interviews?status=held")
    held = [tr.get_attribute("data-interview") for tr in browser.all("table.interviews tbody tr[data-interview]")]
    assert sorted(held) == sorted(i["id"] for i in everyone if i["status"] == "held") and held
    assert len(browser.all("table.interviews details")) == len(held)


def test_pairings_show_each_month_s_offline_exchanges_against_the_requirement(town, browser):
    browser.sign_in(town["url"], town["auditor"])
    for month in ("2023-02", "2023-03"):
        compliance = api(town, f"/towns/{town['id']}/pairings/compliance/{month}")
        browser.open(f"{town['url']}/web/towns/{town['id']}/pairings?month={month}")
        shown = {tr.get_attribute("data-pairing"): (browser.text(".offline", tr),
                                                    browser.one("td.compliant", tr).get_attribute("data-compliant"))
                 for tr in browser.all("#compliance tbody tr")}
        assert shown == {c["pairing_id"]: (str(c["offline"]), str(c["compliant"]).lower()) for c in compliance}
        assert compliance
    browser.shoot("pairings")


def test_every_page_fits_a_390_px_phone_screen_without_scrolling_sideways(town, browser):
    browser.sign_in(town["url"], town["auditor"])
    tid = town["id"]
    village = api(town, f"/villages?town_id={tid}")[0]["id"]
    contest = api(town, f"/contests?town_id={tid}&month=2023-03")[0]["id"]
    pages = {"town": f"/web/towns/{tid}", "quarter": f"/web/towns/{tid}/quarters/2023-Q1",
             "year": f"/web/towns/{tid}/years/2023", "village": f"/web/villages/{village}",
             "contest": f"/web/contests/{contest}", "interviews": f"/web/towns/{tid}/interviews",
             "pairings": f"/web/towns/{tid}/pairings"}
    browser.resize(PHONE)
    try:
        for name, path in pages.items():
            browser.open(town["url"] + path)
            assert browser.driver.execute_script("return window.innerWidth") == PHONE
            assert browser.scroll_width() <= PHONE, name
            assert browser.shoot(name).stat().st_size > 0
    finally:
        browser.resize(DESKTOP)


def test_a_secretary_sees_the_boards_but_not_the_panel_analytics(town, browser):
    village = api(town, f"/villages?town_id={town['id']}")[0]["id"]
    status, account = request(f"{town['url']}/api/v1/accounts", TOKEN,
                              {"name": "书记 网页查看", "role": "secretary", "village_id": village})
    assert status == 201
    contest = api(town, f"/contests?town_id={town['id']}&month=2023-03")[0]["id"]
    browser.sign_in(town["url"], account["token"])
    browser.open(f"{town['url']}/web/contests/{contest}")
    assert not browser.all("#kendall-w") and "仅组织办和审计账号可见" in browser.driver.page_source
    assert browser.all("table.results tbody tr")


def test_a_session_signed_in_once_holds_on_both_gunicorn_workers(town):
    """Each request opens a new connection, so the two workers share the load; both must accept the cookie."""
    jar = http.cookiejar.CookieJar()

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), Stay)
    page = opener.open(f"{town['url']}/web/sign-in", timeout=10).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"token": town["auditor"], "csrf": csrf}).encode()
    with pytest.raises(urllib.error.HTTPError) as signed:
        opener.open(f"{town['url']}/web/sign-in", form, timeout=10)
    assert signed.value.code == 302 and any(c.name == "session" for c in jar)
    statuses = [opener.open(f"{town['url']}/web/towns/{town['id']}/quarters/2023-Q1", timeout=10).status
                for _ in range(20)]
    assert statuses == [200] * 20


TWELVE_HOURS = 12 * 3600


def test_the_session_cookie_the_browser_keeps_is_http_only_same_site_lax_and_expires_within_12_hours(town, browser):
    browser.sign_in(town["url"], town["auditor"])
    signed_at = time.time()
    cookie = {c["name"]: c for c in browser.driver.get_cookies()}["session"]
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    assert cookie["secure"] is False, "plain HTTP here: Secure comes with HTTPS (tests/test_security.py)"
    assert signed_at + TWELVE_HOURS - 120 < cookie["expiry"] <= signed_at + TWELVE_HOURS + 5
    assert browser.driver.execute_script("return document.cookie") == "", "a script on the page cannot read it"


def test_a_session_signed_in_over_12_hours_ago_is_signed_out(town, browser):
    """Two more servers on the same data folder (the same session key), their clocks moved by the test-only
    LEITAI_TEST_CLOCK_SKEW_SECONDS: 11 h 58 min after signing in the session holds, 12 h 1 min after it is over.
    Cookies are kept per host, not per port, so the browser sends its session to both."""
    browser.sign_in(town["url"], town["auditor"])
    page = f"/web/towns/{town['id']}"
    for skew, signed_out in ((TWELVE_HOURS - 120, False), (TWELVE_HOURS + 60, True)):
        server, later = serve(town["folder"], workers=1, LEITAI_TEST_CLOCK_SKEW_SECONDS=str(skew))
        try:
            browser.open(later + page)
            assert ("/web/sign-in" in browser.driver.current_url) is signed_out, skew
            assert bool(browser.all("header form.who")) is not signed_out
        finally:
            stop(server)
    browser.open(town["url"] + page)
    assert "/web/sign-in" in browser.driver.current_url, "the stale session was cleared, not only refused there"


def test_no_page_breaks_the_content_security_policy_and_the_stylesheet_applies(town, browser):
    """Chromium's console reports every script, style or load the policy refuses; none on any page."""
    tid = town["id"]
    village = api(town, f"/villages?town_id={tid}")[0]["id"]
    contest = api(town, f"/contests?town_id={tid}&month=2023-03")[0]["id"]
    pages = ["/web/", f"/web/towns/{tid}", f"/web/towns/{tid}?month=2023-05", f"/web/towns/{tid}/quarters/2023-Q1",
             f"/web/towns/{tid}/years/2023", f"/web/villages/{village}", f"/web/contests/{contest}",
             f"/web/towns/{tid}/interviews", f"/web/towns/{tid}/pairings", f"/web/villages/{tid}",
             f"/web/contests/{contest}/score", f"/web/contests/{contest}/live"]
    browser.driver.delete_all_cookies()
    browser.open(f"{town['url']}/web/sign-in")
    browser.csp_violations()
    browser.sign_in(town["url"], TOKEN)
    for path in pages:
        browser.open(town["url"] + path)
        assert browser.csp_violations() == [], path
        background = browser.driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(245, 243, 239)", (path, "the stylesheet from /web/static did not apply")
    browser.open(f"{town['url']}/docs")  # Swagger UI's own CDN cannot be reached here; its policy still holds
    assert browser.csp_violations() == []

    browser.open(f"{town['url']}/web/towns/{tid}")
    browser.driver.execute_script("var s = document.createElement('script'); s.textContent = 'window.injected = 1';"
                                  "document.head.appendChild(s);")
    assert browser.driver.execute_script("return window.injected === undefined"), "an inline script ran"
    assert any("inline script" in message for message in browser.csp_violations()), "the check can fail"
