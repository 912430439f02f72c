"""A county on two nodes: every process twice (serve, follow, relay, worker, scheduler) on one PostgreSQL
and one Redis, load through both API nodes, kill -9 of a follower, a relay and a worker and their restart.

Then both nodes answer alike, replay is identical, the audit chain verifies, every follow-up reached the
receiver once (only one in flight when its worker was killed may arrive twice), and the peak of
PostgreSQL connections, sampled from pg_stat_activity, stays under the server's default limit of 100.
"""

import json
import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg
import pytest

from workers.redis_server import embedded_url, start

from .conftest import BACKENDS, BOOTSTRAP, fresh_database
from .helpers import Api, build_judges, build_town, wait_for
from .periods import run_month
from .receiver import Receiver
from .servers import LEITAI, TOKEN, Child, Served, call, free_port

pytestmark = pytest.mark.skipif("postgres" not in BACKENDS, reason="the nodes share a PostgreSQL")
FIGURES = {"D1": (95, 95), "D2": (85, 85), "D3": (75, 75), "D4": (65, 65), "D5": (55, 55), "D6": (45, 45)}
ROLES = {"follow": ["follow"], "relay": ["relay"], "worker": ["worker", "--threads", "2"], "scheduler": ["scheduler"]}
KILL_WINDOW = 3.0  # seconds before a worker's kill in which a POST may have been in flight


class HttpClient:
    """The flask test client's `open`, over real HTTP to one node, so the test helpers drive a served API."""

    def __init__(self, port: int):
        self.port = port

    def open(self, path, method="GET", json=None, headers=None):
        token = (headers or {}).get("Authorization", "").removeprefix("Bearer ") or None
        body = None if json is None else plain(json)
        status, body = call(self.port, method, path, body, token=token, key=(headers or {}).get("Idempotency-Key"))
        return Answer(status, body)


def plain(body):
    """Decimals (the helpers' marks) as JSON numbers."""
    return json.loads(json.dumps(body, default=float))


class Answer:
    def __init__(self, status, body):
        self.status_code, self.body = status, body
        self.is_json = body is not None

    def get_json(self):
        return json.loads(json.dumps(self.body), parse_float=Decimal)


class Role(Child):
    """One long-running `leitai` command of a node, killable (kill -9 of its process group) and restartable."""

    def __init__(self, node: str, name: str, env: dict, folder):
        self.name, self.argv = f"{node}-{name}", [LEITAI, *ROLES[name]]
        self.env = {**env, "PGAPPNAME": f"{node}-{name}"}
        self.log = open(folder / f"{name}.log", "ab")
        self.process = None

    def start(self) -> "Role":
        self.process = subprocess.Popen(self.argv, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        return self


class Connections:
    """Samples pg_stat_activity every 50 ms: the peak of client connections, and the most each process held."""

    def __init__(self, url: str):
        self.connection = psycopg.connect(url, autocommit=True, application_name="sampler")
        self.peak, self.per_process, self.stop = 0, {}, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def current(self) -> dict[str, int]:
        rows = self.connection.execute("SELECT application_name, count(*) FROM pg_stat_activity WHERE backend_type = "
                                       "'client backend' AND application_name LIKE '_-%' GROUP BY 1").fetchall()
        return dict(rows)

    def sample(self) -> None:
        rows = self.connection.execute("SELECT application_name, count(*) FROM pg_stat_activity WHERE backend_type = "
                                       "'client backend' AND application_name <> 'sampler' GROUP BY 1").fetchall()
        self.peak = max(self.peak, sum(n for _, n in rows))
        for name, n in rows:
            self.per_process[name] = max(self.per_process.get(name, 0), n)

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self.sample()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.connection.close()


class Node:
    def __init__(self, name: str, settings, env: dict, folder):
        self.name, self.folder = name, folder
        self.served = Served(settings, workers=2, PGAPPNAME=f"{name}-serve", **env)
        self.roles = {role: Role(name, role, self.served.env, folder) for role in ROLES}
        self.api = Api(HttpClient(self.served.port), TOKEN)

    def start(self) -> "Node":
        self.served.start()
        for role in self.roles.values():
            role.start()
        return self

    def stop(self) -> None:
        for role in self.roles.values():
            role.stop()
        self.served.stop()


@pytest.fixture
def county(request, tmp_path):
    """Two nodes on one PostgreSQL (the session's embedded server, default max_connections) and one Redis."""
    from service.config import Settings

    url = fresh_database(request.getfixturevalue("postgres_server"))
    redis_port, receiver = free_port(), Receiver()
    redis = start(tmp_path, redis_port)
    env = {"LEITAI_REDIS_URL": embedded_url(tmp_path, redis_port), "LEITAI_NOTIFY_CHANNEL": "webhook",
           "LEITAI_WEBHOOK_URL": receiver.url, "LEITAI_DELIVERY_LEASE": "8", "LEITAI_DELIVERY_BACKOFF_MS": "500",
           "LEITAI_SCHEDULER_LOCK_SECONDS": "3"}
    connections = Connections(url)
    connections.thread.start()
    nodes = []
    try:
        for name in ("a", "b"):
            folder = tmp_path / name
            settings = Settings(data_dir=folder / "var", database_url=url, bootstrap_token=BOOTSTRAP)
            nodes.append(Node(name, settings, env, folder).start())
        yield {"nodes": nodes, "receiver": receiver, "connections": connections, "url": url, "env": env}
    finally:
        for node in nodes:
            node.stop()
        connections.close()
        receiver.close()
        redis.terminate()
        redis.wait(timeout=10)


def town_with_a_scored_month(api: Api) -> dict:
    town = build_town(api, per_track=(6, 0, 0))
    run_month(api, town, build_judges(api, 3), "2023-05", FIGURES)
    return town


def followups(api: Api, town_ids) -> list[dict]:
    return [f for town_id in town_ids for f in api.ok("GET", f"/followups?town_id={town_id}")]


def reads(api: Api, town_ids) -> list:
    """What a county office would look at, on one node."""
    paths = ["/towns", "/audit/digest", "/events?after=0&limit=1000"]
    for town_id in town_ids:
        paths += [f"/followups?town_id={town_id}", f"/towns/{town_id}/boards/monthly/2023-05",
                  f"/interviews?town_id={town_id}", f"/sharings?town_id={town_id}", f"/contests?town_id={town_id}"]
    return [api.ok("GET", path) for path in paths]


def replayed_identical(env: dict, url: str, town_id: str) -> bool:
    command_env = {**os.environ, **env, "LEITAI_DATABASE_URL": url, "PGAPPNAME": "replay"}
    done = subprocess.run([LEITAI, "replay", "--town", town_id, "--year", "2023", "--json"], env=command_env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["identical"]


def test_two_nodes_with_every_process_twice_hold_the_data_and_deliver_each_follow_up_once(county):
    a, b = county["nodes"]
    receiver, connections = county["receiver"], county["connections"]
    receiver.hold = 0.3  # a POST lasts long enough for a kill to land in one
    always_on = {f"{node}-{role}" for node in "ab" for role in ("serve", "follow", "relay")}
    assert wait_for(lambda: always_on <= set(connections.current()), 90)  # a worker connects with its first message
    time.sleep(2)  # settled: a process's start-up connections (the advisory lock, prepare) are closed
    idle = connections.current()
    with ThreadPoolExecutor(2) as pool:  # load through both API nodes at once
        towns = list(pool.map(town_with_a_scored_month, (a.api, b.api)))
    town_ids = [town["town"] for town in towns]
    b.api.ok("POST", f"/towns/{town_ids[0]}/months/2023-05/close")  # each town closed through the other node

    assert receiver.started.wait(60)
    for role in ("follow", "relay", "worker"):
        a.roles[role].kill()
    killed_at = time.monotonic()
    for role in ("follow", "relay", "worker"):
        a.roles[role].start()
    a.api.ok("POST", f"/towns/{town_ids[1]}/months/2023-05/close")

    assert wait_for(lambda: {f["status"] for f in followups(a.api, town_ids)} == {"delivered"}, 90)
    issued = {f["id"] for f in followups(a.api, town_ids)}
    assert wait_for(lambda: set(receiver.counts()) == issued, 90)
    assert reads(a.api, town_ids) == reads(b.api, town_ids)
    assert all(replayed_identical(county["env"], county["url"], town_id) for town_id in town_ids)
    assert a.api.ok("GET", "/audit/verify")["ok"] and b.api.ok("GET", "/audit/verify")["ok"]

    repeated = {f: n for f, n in receiver.counts().items() if n > 1}
    first_seen = {item["followup"]: item["at"] for item in reversed(receiver.received)}
    assert all(n == 2 and killed_at - KILL_WINDOW <= first_seen[f] <= killed_at for f, n in repeated.items()), repeated
    for f in issued:
        assert [e["type"] for e in a.api.ok("GET", f"/history/{f}")].count("FollowUp.Delivered") == 1

    with connections.connection.cursor() as cursor:
        limit = cursor.execute("SHOW max_connections").fetchone()[0]
    print(f"two nodes: {len(issued)} follow-ups, {len(repeated)} sent twice (in flight at the kill); "
          f"peak connections {connections.peak} of max_connections {limit}; idle per process {idle}; "
          f"peak per process {connections.per_process}")
    assert int(limit) == 100 and connections.peak < 100
