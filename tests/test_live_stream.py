"""The hall's live stream over HTTP against a real `leitai serve`: bounded streams, a restart of the API
process, and a reader that resumes from Last-Event-ID as EventSource does, missing and repeating nothing."""

import http.client
import json
import threading
import time
from decimal import Decimal

import pytest

from .helpers import CRITERIA, marks_for, wait_for
from .servers import FAILURES, TOKEN, Served, call, ok

JUDGES = 3


class Reader(threading.Thread):
    """EventSource's behaviour: read events; when the stream ends or breaks, wait `retry` and reconnect
    with the last id seen as Last-Event-ID."""

    def __init__(self, port: int, contest_id: str, token: str = TOKEN):
        super().__init__(daemon=True)
        self.port, self.path, self.token = port, f"/api/v1/contests/{contest_id}/live", token
        self.events: list[tuple[int, str, dict]] = []
        self.connections = 0
        self.last_id: str | None = None
        self.retry = 1.0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.read_one_stream()
            except FAILURES:
                pass
            time.sleep(self.retry)

    def read_one_stream(self):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"}
        if self.last_id:
            headers["Last-Event-ID"] = self.last_id
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", self.path, headers=headers)
            response = connection.getresponse()
            assert response.status == 200 and response.getheader("Content-Type").startswith("text/event-stream")
            self.connections += 1
            self.parse(response)
        finally:
            connection.close()

    def parse(self, response):
        fields: dict[str, str] = {}
        while not self.stop.is_set():
            line = response.readline()
            if not line:
                return
            line = line.decode().rstrip("\n")
            if line:
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
                continue
            self.dispatch(fields)
            fields = {}

    def dispatch(self, fields: dict):
        if "retry" in fields:
            self.retry = int(fields["retry"]) / 1000
        if "id" in fields:
            self.last_id = fields["id"]
        if "event" in fields:
            self.events.append((int(fields["id"]), fields["event"], json.loads(fields["data"], parse_float=Decimal)))

    def wait_for(self, count: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.events) >= count, self.events


@pytest.fixture
def served(settings):
    server = Served(settings, LEITAI_LIVE_SECONDS="2", LEITAI_LIVE_RETRY_MS="500").start()
    yield server
    server.stop()


def a_contest_in_evaluation(port: int) -> tuple[dict, list[str], list[str]]:
    town = ok(port, "POST", "/towns", {"name": "大曹镇"}, 201)
    villages = [ok(port, "POST", "/villages", {"town_id": town["id"], "code": f"D{n}", "name": f"D{n}村",
                                                "track": "demonstration", "secretary": {"name": f"书记{n}"}}, 201)["id"]
                for n in (1, 2, 3)]
    judges = [ok(port, "POST", "/accounts", {"name": f"评委{n}", "role": "judge"}, 201)["id"] for n in range(JUDGES)]
    contest = ok(port, "POST", "/contests", {"town_id": town["id"], "month": "2023-02", "theme": "人居环境整治",
                                             "domain": "environment", "form": "on_site", "venue": "大街小巷",
                                             "tracks": ["demonstration"], "judges": judges, "criteria": CRITERIA}, 201)
    for _ in range(4):
        ok(port, "POST", f"/contests/{contest['id']}/advance", {})
    return contest, villages, judges


def sheet(port: int, contest_id: str, judge: str, village: str, total) -> None:
    ok(port, "PUT", f"/contests/{contest_id}/sheets/{village}", {"judge_id": judge, "marks": {k: float(v) for k, v in marks_for(total).items()}}, 201)


def logged_positions(port: int, contest_id: str) -> list[int]:
    """The log positions of the contest's events the stream carries, from its history."""
    history = ok(port, "GET", f"/history/{contest_id}")
    return [e["position"] for e in history if e["type"].endswith(("SheetRecorded", "Published"))]


def test_the_stream_resumes_from_last_event_id_through_a_restart_of_the_api_without_losing_or_repeating(served):
    contest, villages, judges = a_contest_in_evaluation(served.port)
    reader = Reader(served.port, contest["id"])
    reader.start()
    for judge in judges[:2]:
        sheet(served.port, contest["id"], judge, villages[0], 80)
    reader.wait_for(2)
    # the first stream ends by itself (LEITAI_LIVE_SECONDS) and the reader comes back before the restart
    assert wait_for(lambda: reader.connections >= 2), "the reader did not reconnect after the stream ended"
    served.kill()
    served.start()
    for judge in judges:
        sheet(served.port, contest["id"], judge, villages[1], 70)
    sheet(served.port, contest["id"], judges[2], villages[0], 90)
    for judge in judges:
        sheet(served.port, contest["id"], judge, villages[2], 60)
    ok(served.port, "POST", f"/contests/{contest['id']}/publish", {})
    reader.wait_for(10)
    time.sleep(1.5)
    reader.stop.set()

    positions = [position for position, _, _ in reader.events]
    assert positions == logged_positions(served.port, contest["id"]), "every event once, in the log's order"
    assert reader.connections >= 3
    counts = [(data["village_id"], data["sheets"], data["panel"]) for _, kind, data in reader.events if kind == "sheet"]
    assert counts == [(villages[0], 1, 3), (villages[0], 2, 3), (villages[1], 1, 3), (villages[1], 2, 3),
                      (villages[1], 3, 3), (villages[0], 3, 3), (villages[2], 1, 3), (villages[2], 2, 3),
                      (villages[2], 3, 3)]
    assert all(set(data) == {"village_id", "sheets", "panel"} for _, kind, data in reader.events if kind == "sheet")
    kind, results = reader.events[-1][1], reader.events[-1][2]["results"]
    assert kind == "published" and {r["village_id"]: r["score"] for r in results} == \
        {villages[0]: Decimal("83.33"), villages[1]: 70, villages[2]: 60}


def test_a_judge_or_a_secretary_may_not_watch_the_stream_and_an_unknown_contest_is_404(served):
    contest, villages, judges = a_contest_in_evaluation(served.port)
    judge = ok(served.port, "POST", "/accounts", {"name": "评委丙", "role": "judge"}, 201)["token"]
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request("GET", f"/api/v1/contests/{contest['id']}/live", headers={"Authorization": f"Bearer {judge}"})
    assert connection.getresponse().status == 403
    connection.close()
    status, _ = call(served.port, "GET", f"/api/v1/contests/{villages[0]}/live")
    assert status == 404
