"""Contest day in Debian's headless Chromium against a real `leitai serve --workers 2`: five judges score on
their phones (390 px, five sessions) at once while a sixth session holds the hall screen (1920 x 1080).
Every sheet shows on the screen within 2 seconds, no mark shows before publication, 亮分 after."""

import re
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path

import pytest

from service.config import Settings

from .helpers import CRITERIA
from .servers import TOKEN, Served, ok
from .test_web import CHROMEDRIVER, CHROMIUM, FLAGS, PHONE, SHOTS, Browser

JUDGES, VILLAGES = 5, 8
HALL = (1920, 1080)
LATENCY = 2.0


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """A town of 8 villages on two tracks, five judges, an auditor, and a contest in evaluation."""
    server = Served(Settings(data_dir=tmp_path_factory.mktemp("day") / "var"), workers=2, LEITAI_LIVE_SECONDS="25").start()
    try:
        yield server.port, *a_contest(server.port)
    finally:
        server.stop()


def a_contest(port: int) -> tuple[dict, list[str], list[dict], str]:
    town = ok(port, "POST", "/towns", {"name": "大曹镇", "county": "宁津县"}, 201)
    villages = [ok(port, "POST", "/villages", {"town_id": town["id"], "code": f"{t[0].upper()}{n}", "name": name,
                                               "track": t, "secretary": {"name": f"书记{n}"}}, 201)["id"]
                for n, (t, name) in enumerate(zip(["demonstration"] * 4 + ["excellence"] * 4,
                                                  ["大曹村", "东街村", "西街村", "南关村", "北关村", "王庄村", "李庄村", "张庄村"]), 1)]
    judges = [ok(port, "POST", "/accounts", {"name": f"评委{'甲乙丙丁戊'[n]}", "role": "judge"}, 201) for n in range(JUDGES)]
    auditor = ok(port, "POST", "/accounts", {"name": "镇长", "role": "auditor"}, 201)["token"]
    contest = ok(port, "POST", "/contests", {"town_id": town["id"], "month": "2023-05", "theme": "人居环境整治",
                                             "domain": "environment", "form": "on_site", "venue": "大街小巷",
                                             "tracks": ["demonstration", "excellence"],
                                             "judges": [j["id"] for j in judges], "criteria": CRITERIA}, 201)
    for _ in range(4):
        ok(port, "POST", f"/contests/{contest['id']}/advance", {})
    return contest, villages, judges, auditor


def total_of(judge: int, village: int) -> Decimal:
    """Each judge's total for a village: villages apart, judges a little apart, one judge harsh and one lenient."""
    return Decimal(60 + 4 * village + (judge * 3) % 7) + (Decimal("0.5") if judge == 2 else 0)


def marks_of(total: Decimal) -> dict[str, Decimal]:
    """The total spread over the criteria in proportion to their maximum, in halves; the last takes the rest."""
    marks = {c["key"]: (Decimal(c["max"]) * total / 100 * 2).quantize(Decimal(1)) / 2 for c in CRITERIA[:-1]}
    return {**marks, CRITERIA[-1]["key"]: total - sum(marks.values())}


def chromium(width: int, height: int, profiles: ExitStack) -> Browser:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profiles.enter_context(tempfile.TemporaryDirectory())}")
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    profiles.callback(driver.quit)
    driver.set_page_load_timeout(60)
    browser = Browser(driver)
    browser.resize(width, height)
    return browser


class Hall(threading.Thread):
    """Watches the hall screen: when each village's count first reached each value, and any mark shown."""

    def __init__(self, browser: Browser, sheets: int):
        super().__init__(daemon=True)
        self.browser, self.stop, self.half = browser, threading.Event(), sheets // 2
        self.seen: dict[tuple[str, int], float] = {}
        self.marks_shown: list[str] = []

    def run(self):
        """The only user of the hall's driver while it runs: it also takes the picture halfway through."""
        while not self.stop.is_set():
            counts, text = self.browser.driver.execute_script(
                "return [Array.from(document.querySelectorAll('#villages [data-village]'))"
                ".map(c => [c.dataset.village, +c.dataset.sheets]), document.body.innerText]")
            now = time.monotonic()
            for village, sheets in counts:
                for k in range(1, sheets + 1):
                    self.seen.setdefault((village, k), now)
            if re.search(r"\d+\.\d\d", text):
                self.marks_shown.append(text)
            if self.half and len(self.seen) >= self.half:
                snap(self.browser, "contest-day-hall-scoring")
                self.half = 0
            time.sleep(0.05)


def snap(browser: Browser, name: str) -> Path:
    """The screen as it is (the hall's is 1920 x 1080), not the whole page."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{browser.width}.png"
    browser.driver.save_screenshot(str(path))
    return path


def score_all(browser: Browser, url: str, judge: int, villages: list[str], clicks: dict) -> None:
    browser.open(f"{url}/score")
    for n, village in enumerate(villages, 1):
        form = browser.one(f"#v-{village} form.sheet")
        marks = marks_of(total_of(judge, n))
        for criterion in CRITERIA:
            field = browser.one(f"input[name=mark-{criterion['key']}]", form)
            field.clear()
            field.send_keys(str(marks[criterion["key"]]))
        assert browser.text("output.running", form) == f"{total_of(judge, n):.2f}", "the running total"
        if judge == 0 and n == 3:
            snap(browser, "contest-day-judge-scoring")
        clicks.setdefault(village, []).append(time.monotonic())
        browser.one("button", form).click()
        browser.wait_for(f'#v-{village}[data-done="yes"]')


def test_five_judges_score_on_their_phones_while_the_hall_screen_shows_each_sheet_then_the_marks(day):
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "Debian's chromium and chromium-driver: `make tools`"
    port, contest, villages, judges, auditor = day
    base, clicks = f"http://127.0.0.1:{port}", {}
    with ExitStack() as profiles, ThreadPoolExecutor(JUDGES + 1) as pool:
        sessions = list(pool.map(lambda size: chromium(*size, profiles), [HALL] + [(PHONE, 844)] * JUDGES))
        hall, phones = sessions[0], sessions[1:]
        list(pool.map(lambda pair: pair[0].sign_in(base, pair[1]), zip(sessions, [auditor] + [j["token"] for j in judges])))
        hall.open(f"{base}/web/contests/{contest['id']}/live")
        assert hall.driver.execute_script("return document.documentElement.scrollWidth") <= HALL[0]
        watcher = Hall(hall, JUDGES * VILLAGES)
        watcher.start()
        page = f"{base}/web/contests/{contest['id']}"
        done = [pool.submit(score_all, phone, page, n, villages, clicks) for n, phone in enumerate(phones)]
        [each.result() for each in done]
        time.sleep(LATENCY + 0.5)
        watcher.stop.set()
        watcher.join()
        phones[0].open(f"{page}/score")
        assert phones[0].scroll_width() <= PHONE, "the judge's page must not scroll sideways on a phone"
        phones[0].shoot("contest-day-judge")
        assert_each_sheet_shown_in_time(watcher, clicks, villages)
        assert watcher.marks_shown == [], "a mark showed on the hall screen before publication"
        snap(hall, "contest-day-hall-all-in")

        ok(port, "POST", f"/contests/{contest['id']}/publish", {})
        hall.wait_for("table.lit")
        assert_the_marks_lit_as_published(hall, port, contest["id"])
        snap(hall, "contest-day-hall-published")


def assert_each_sheet_shown_in_time(watcher: Hall, clicks: dict, villages: list[str]) -> None:
    """The k-th sheet of a village was saved after the k-th click on it: from that click the screen shows k."""
    late = {}
    for village in villages:
        for k, clicked in enumerate(sorted(clicks[village]), 1):
            shown = watcher.seen.get((village, k))
            if shown is None or shown - clicked > LATENCY:
                late[(village, k)] = None if shown is None else round(shown - clicked, 2)
    delays = [watcher.seen[(v, k)] - c for v in villages for k, c in enumerate(sorted(clicks[v]), 1)
              if (v, k) in watcher.seen]
    print(f"hall screen: {len(delays)} sheets, slowest {max(delays):.2f} s from the judge's tap")
    assert late == {}


def assert_the_marks_lit_as_published(hall: Browser, port: int, contest_id: str) -> None:
    results = ok(port, "GET", f"/contests/{contest_id}/results")["results"]
    for result in results:
        row = hall.one(f'table.lit tr[data-village="{result["village_id"]}"]')
        assert hall.text("td.rank", row) == str(result["rank"])
        assert hall.text("td.score strong", row) == f"{Decimal(str(result['score'])):.2f}"
        struck = {cell.get_attribute("data-judge") for cell in hall.all("td.mark.trimmed", row)}
        assert struck == set(result["trimmed"]) and len(struck) == 2
        shown = {cell.get_attribute("data-judge"): cell.text for cell in hall.all("td.mark", row)}
        assert shown == {s["judge_id"]: f"{Decimal(str(s['total'])):.2f}" for s in result["sheets"]}
