"""kill -9 of `leitai serve` while 16 clients write: every acknowledged write is in the store once and whole.

Each client sends its writes with an Idempotency-Key and, like a real client, sends the same request
again when no answer came back (the server was killed under it). After the last restart the event log
is read directly: every write that got a 2xx is there exactly once, nothing is there twice, and no write
is there in part (a sheet without its contest's record, a village without its town's). The size is
LEITAI_CRASH_WRITES writes per client (default 12) and LEITAI_CRASH_KILLS kills (default 2).
"""

import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

import redis

from domain.sheet import sheet_id
from service.wiring import build
from workers.broker import make_broker
from workers.redis_server import embedded_url
from workers.redis_server import start as start_redis
from workers.relay import Relay

from .helpers import CRITERIA, wait_for
from .receiver import Receiver
from .servers import FAILURES, TOKEN, Served, call, free_port, ok
from .test_delivery_e2e import SECRET, Worker, closed_month

CLIENTS = 16
WRITES = int(os.environ.get("LEITAI_CRASH_WRITES", "12"))
KILLS = int(os.environ.get("LEITAI_CRASH_KILLS", "2"))
JUDGES = 8
FIGURES: dict[str, dict] = {}


def marks(judge: int, village: int) -> dict:
    """A different, checkable sheet per judge and village."""
    return {"work": 20 + (judge + village) % 20, "talk": 10 + village % 20, "idea": judge % 20, "style": 5}


def plan(town: dict) -> list[list[dict]]:
    """Each client's writes: sheets dealt round-robin, with village registrations and new towns between them."""
    pairs = [(j, v) for v in range(len(town["villages"])) for j in range(JUDGES)]
    jobs: list[list[dict]] = [[] for _ in range(CLIENTS)]
    for n, (j, v) in enumerate(pairs):
        jobs[n % CLIENTS].append({"kind": "sheet", "judge": j, "village": v, "method": "PUT",
                                  "path": f"/contests/{town['contest']}/sheets/{town['villages'][v]}",
                                  "body": {"marks": marks(j, v)}, "token": town["judges"][j]["token"]})
    for c, client_jobs in enumerate(jobs):
        for i in range(max(1, WRITES // 6)):
            code = f"K{c:02d}{i:03d}"
            client_jobs.insert(3 * i + 1, {"kind": "village", "code": code, "method": "POST", "path": "/villages",
                                           "body": {"town_id": town["id"], "code": code, "name": f"{code}村",
                                                    "track": "foundation", "secretary": {"name": "新书记"}}})
            name = f"镇{c:02d}-{i:03d}"
            client_jobs.insert(3 * i + 2, {"kind": "town", "name": name, "method": "POST", "path": "/towns",
                                           "body": {"name": name}})
    return jobs


def build_ground(port: int) -> dict:
    sheets_per_client = max(1, WRITES - 2 * max(1, WRITES // 6))
    village_count = -(-CLIENTS * sheets_per_client // JUDGES)
    town = ok(port, "POST", "/towns", {"name": "大曹镇"}, 201)
    villages = [ok(port, "POST", "/villages", {"town_id": town["id"], "code": f"D{n:03d}", "name": f"D{n}村",
                                               "track": "demonstration", "secretary": {"name": f"书记{n}"}}, 201)["id"]
                for n in range(village_count)]
    judges = [ok(port, "POST", "/accounts", {"name": f"评委{n}", "role": "judge"}, 201) for n in range(JUDGES)]
    contest = ok(port, "POST", "/contests", {
        "town_id": town["id"], "month": "2023-05", "theme": "人居环境整治", "domain": "environment", "form": "on_site",
        "tracks": ["demonstration"], "judges": [j["id"] for j in judges], "criteria": CRITERIA}, 201)
    for _ in range(4):
        ok(port, "POST", f"/contests/{contest['id']}/advance", {})
    return {"id": town["id"], "villages": villages, "judges": judges, "contest": contest["id"]}


class Clients:
    """16 threads writing; each write is sent again with its key until an answer comes back."""

    def __init__(self, server: Served, jobs: list[list[dict]]):
        self.server, self.jobs = server, jobs
        self.acknowledged = 0
        self.requests = 0
        self.restarting = False
        self.lock = threading.Lock()

    def send(self, c: int, i: int, job: dict) -> dict:
        unknown, deadline = False, time.monotonic() + 60
        while time.monotonic() < deadline and not self.server_died():
            with self.lock:
                self.requests += 1
            try:
                status, body = call(self.server.port, job["method"], "/api/v1" + job["path"], job["body"],
                                    token=job.get("token", TOKEN), key=f"c{c}-w{i}")
            except FAILURES:
                unknown = True
                time.sleep(0.1)
                continue
            if status == 409 and "still running" in body.get("message", ""):
                time.sleep(0.2)
                continue
            recovered = status == 409 and "recorded, but its response was lost" in body.get("message", "")
            if status < 300 or recovered:
                with self.lock:
                    self.acknowledged += 1
            return {**job, "status": status, "answer": body, "unknown": unknown, "recovered": recovered}
        return {**job, "status": None, "answer": None, "unknown": True, "recovered": False}

    def server_died(self) -> bool:
        """Gone by itself, not killed by the test and about to be started again."""
        return not self.restarting and self.server.process.poll() is not None

    def run_client(self, c: int) -> list[dict]:
        return [self.send(c, i, job) for i, job in enumerate(self.jobs[c])]

    def run(self, kills: int) -> list[dict]:
        total = sum(map(len, self.jobs))
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(self.run_client, c) for c in range(CLIENTS)]
            for k in range(1, kills + 1):
                while self.acknowledged < total * k // (kills + 1) and not all(f.done() for f in futures):
                    time.sleep(0.01)
                self.restarting = True
                self.server.kill()
                time.sleep(0.3)
                self.server.start()
                self.restarting = False
            return [outcome for f in futures for outcome in f.result()]


def stored_events(settings) -> list:
    app = build(settings)
    try:
        events, after = [], 0
        while batch := app.recorder.select_notifications(start=after, limit=1000, inclusive_of_start=False):
            events += [app.mapper.to_domain_event(n) for n in batch]
            after = batch[-1].id
        return events
    finally:
        app.projector.store.close()
        app.close()


def of_type(events, name: str) -> list:
    return [e for e in events if type(e).__qualname__ == name]


def test_killing_the_api_mid_write_loses_no_acknowledged_write_and_doubles_none(settings):
    server = Served(settings, workers=2, LEITAI_IDEMPOTENCY_LEASE="2").start()
    try:
        ground = build_ground(server.port)
        clients = Clients(server, plan(ground))
        outcomes = clients.run(KILLS)
        listed = ok(server.port, "GET", f"/villages?town_id={ground['id']}")
    finally:
        server.stop()
    events = stored_events(settings)
    contest = UUID(ground["contest"])

    assert all(o["status"] is not None for o in outcomes), "a write never got an answer"
    assert all(o["status"] < 300 or (o["unknown"] and o["recovered"]) for o in outcomes), \
        [(o["kind"], o["status"], (o["answer"] or {}).get("message", "")[:60], o["unknown"])
         for o in outcomes if o["status"] >= 300][:5]
    made = [o for o in outcomes if o["status"] < 300 or o["recovered"]]

    submitted = Counter(e.originator_id for e in of_type(events, "ScoreSheet.Submitted"))
    recorded = Counter((e.judge_id, e.village_id) for e in of_type(events, "Contest.SheetRecorded")
                       if e.originator_id == contest)
    judge_ids = [j["id"] for j in ground["judges"]]
    for o in (o for o in made if o["kind"] == "sheet"):
        judge, village = judge_ids[o["judge"]], ground["villages"][o["village"]]
        assert submitted[sheet_id(contest, judge, village)] == 1 and recorded[(judge, village)] == 1, o
    assert set(submitted.values()) <= {1} and set(recorded.values()) <= {1}
    assert {sheet_id(contest, j, v) for j, v in recorded} == set(submitted)  # none partial

    villages = {e.code: e.originator_id for e in of_type(events, "Village.Registered")}
    codes = Counter(e.code for e in of_type(events, "Village.Registered"))
    in_town = Counter(e.village_id for e in of_type(events, "Town.VillageRegistered"))
    for o in (o for o in made if o["kind"] == "village"):
        assert codes[o["code"]] == 1 and in_town[villages[o["code"]]] == 1, o
        assert o["recovered"] or str(villages[o["code"]]) == o["answer"]["id"]
    assert set(codes.values()) <= {1} and set(in_town.values()) <= {1}
    assert set(villages.values()) == set(in_town)  # none partial
    assert {v["id"] for v in listed} == {str(e.originator_id) for e in of_type(events, "Village.Registered")
                                         if str(e.town_id) == ground["id"]}  # the read model agrees after restarts

    towns = Counter(e.name for e in of_type(events, "Town.Created"))
    for o in (o for o in made if o["kind"] == "town"):
        assert towns[o["name"]] == 1, o
    assert set(towns.values()) == {1}

    figures = {"clients": CLIENTS, "writes": len(outcomes), "requests": clients.requests, "kills": KILLS,
               "acknowledged": sum(o["status"] < 300 for o in outcomes), "sent_again_after_a_kill":
               sum(o["unknown"] for o in outcomes), "recorded_but_response_lost": sum(o["recovered"] for o in outcomes),
               "writes_checked": len(made), "lost": 0, "doubled": 0, "partial": 0}
    FIGURES["postgres" if settings.database_url else "sqlite"] = figures
    print(f"crash: {figures}")


def test_follow_ups_redis_accepted_survive_its_kill_9_and_are_each_delivered_once(api, leitai, settings):
    """The relay moves on once Redis accepted a message, so Redis must not lose what it accepted.

    Redis is killed twice: right after it accepted every follow-up (before any worker took one), and
    again while a worker is holding a delivery. Nothing is relayed a second time: what arrives comes
    back from Redis's append-only file.
    """
    port = free_port()
    url = embedded_url(settings.data_dir, port)
    redis_server = start_redis(settings.data_dir, port)
    robot = Receiver(SECRET)
    worker = Worker(settings, port, robot)
    try:
        towns = [closed_month(api) for _ in range(2)]
        expected = [f for town in towns for f in api.ok("GET", f"/followups?town_id={town}")]
        relay = Relay(leitai, make_broker(url))
        assert relay.run_once() == len(expected) > 10
        redis_server = kill_and_restart(redis_server, settings.data_dir, port)
        assert redis.Redis.from_url(url).llen("dramatiq:followups") == len(expected)
        assert relay.run_once() == 0

        robot.stall_first = 3
        worker.start()
        assert robot.started.wait(30)
        redis_server = kill_and_restart(redis_server, settings.data_dir, port)

        def delivered():
            return all(f["status"] == "delivered" for town in towns for f in api.ok("GET", f"/followups?town_id={town}"))

        assert wait_for(delivered, 90)
        assert all(robot.counts().get(f["id"]) == 1 for f in expected), robot.counts()
        for f in expected:
            assert [e["type"] for e in api.ok("GET", f"/history/{f['id']}")].count("FollowUp.Delivered") == 1
    finally:
        worker.stop()
        robot.close()
        redis_server.terminate()
        redis_server.wait(timeout=10)
    figures = {"follow_ups": len(expected), "redis_kills": 2, "delivered_once": len(expected), "lost": 0, "doubled": 0}
    FIGURES["redis/" + ("postgres" if settings.database_url else "sqlite")] = figures
    print(f"redis: {figures}")


def kill_and_restart(server, data_dir, port):
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
    return start_redis(data_dir, port)
