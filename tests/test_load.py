"""Load: a full contest (45 villages x 7 judges) submitted by 50 concurrent clients over real HTTP to `leitai serve`.

Every sheet must be recorded once, and the published results must equal the ones computed here by hand
from the marks sent (R1 trimmed mean, R2 rounding, R3 ranks within each track). LEITAI_LOAD_VILLAGES
(default 45) and LEITAI_LOAD_CLIENTS (default 50) set the size.
"""

import contextlib
import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from service.application import Leitai

from .helpers import CRITERIA, TRACKS
from .servers import Served, call, ok

VILLAGES = int(os.environ.get("LEITAI_LOAD_VILLAGES", "45"))
CLIENTS = int(os.environ.get("LEITAI_LOAD_CLIENTS", "50"))
JUDGES = 7
FIGURES: dict[str, dict] = {}


def marks(judge: int, village: int) -> dict:
    """Spread so that the trimmed judges differ from village to village."""
    work = 20 + (village * 7 + judge * 3) % 21
    talk = 10 + (village * 5 + judge * judge) % 21
    return {"work": work, "talk": talk, "idea": (village + 2 * judge) % 21, "style": (village * judge) % 11}


def expected_results(villages: list[dict]) -> dict[str, tuple[str, int]]:
    """village id -> (score, rank), by hand: drop the highest and the lowest of 7 totals, mean, round half-up."""
    scores = {}
    for v, village in enumerate(villages):
        totals = sorted(sum(marks(j, v).values()) for j in range(JUDGES))[1:-1]
        scores[village["id"]] = (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    expected = {}
    for track in TRACKS:
        mine = [v["id"] for v in villages if v["track"] == track]
        for village_id in mine:
            rank = 1 + sum(scores[other] > scores[village_id] for other in mine)
            expected[village_id] = (f"{scores[village_id]:.2f}", rank)
    return expected


def server_errors(log_path: str, most: int = 60) -> str:
    """What the server logged about its 5xx answers, so a rare failure carries its own diagnosis."""
    with open(log_path, encoding="utf-8", errors="replace") as log:
        lines = [line.rstrip() for line in log if "Traceback" in line or "Error" in line or "Exception" in line
                 or '"status": 5' in line]
    return "\n".join(lines[-most:])


def ground(port: int) -> dict:
    town = ok(port, "POST", "/towns", {"name": "大曹镇"}, 201)
    villages = [ok(port, "POST", "/villages", {"town_id": town["id"], "code": f"V{n:03d}", "name": f"{n}村",
                                               "track": TRACKS[n % 3], "secretary": {"name": f"书记{n}"}}, 201)
                for n in range(VILLAGES)]
    judges = [ok(port, "POST", "/accounts", {"name": f"评委{n}", "role": "judge"}, 201) for n in range(JUDGES)]
    contest = ok(port, "POST", "/contests", {
        "town_id": town["id"], "month": "2023-05", "theme": "产业发展", "domain": "industry", "form": "project",
        "tracks": list(TRACKS), "judges": [j["id"] for j in judges], "criteria": CRITERIA}, 201)
    for _ in range(4):
        ok(port, "POST", f"/contests/{contest['id']}/advance", {})
    return {"villages": villages, "judges": judges, "contest": contest["id"]}


def test_fifty_concurrent_judges_record_a_full_contest_once_with_the_expected_results(settings):
    server = Served(settings, workers=2).start()
    try:
        world = ground(server.port)
        cid, judges, villages = world["contest"], world["judges"], world["villages"]
        jobs = [(j, v) for v in range(len(villages)) for j in range(JUDGES)]
        latencies = []

        def submit(job):
            j, v = job
            started = time.perf_counter()
            status, body = call(server.port, "PUT", f"/api/v1/contests/{cid}/sheets/{villages[v]['id']}",
                                {"marks": marks(j, v)}, token=judges[j]["token"])
            latencies.append(time.perf_counter() - started)
            return status

        began = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = list(pool.map(submit, jobs))
        took = time.perf_counter() - began
        assert statuses == [201] * len(jobs), (Counter(statuses), server_errors(server.log.name))

        recorded, after = Counter(), 0
        while feed := ok(server.port, "GET", f"/events?after={after}&limit=1000")["events"]:
            recorded.update((e["data"]["judge_id"], e["data"]["village_id"]) for e in feed
                            if e["type"] == "Contest.SheetRecorded")
            after = feed[-1]["position"]
        assert len(recorded) == len(jobs) and set(recorded.values()) == {1}

        results = ok(server.port, "POST", f"/contests/{cid}/publish", {})["results"]
        got = {r["village_id"]: (f"{Decimal(str(r['score'])):.2f}", r["rank"]) for r in results}
        assert got == expected_results(villages)
        assert all(len(r["trimmed"]) == 2 and len(r["sheets"]) == JUDGES for r in results)
    finally:
        server.stop()
    latencies.sort()
    figures = {"clients": CLIENTS, "sheets": len(jobs), "seconds": round(took, 1),
               "sheets_per_second": round(len(jobs) / took, 1),
               "p50_ms": round(1000 * latencies[len(latencies) // 2]),
               "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)]), "recorded_once": len(recorded),
               "lost": 0, "doubled": 0}
    FIGURES["postgres" if settings.database_url else "sqlite"] = figures
    print(f"load: {figures}")


class Board(Aggregate):
    @event("Opened")
    def __init__(self):
        self.cells = {}

    @event("Marked")
    def mark(self, n: int):
        self.cells[str(n)] = n


def test_an_aggregate_read_by_many_threads_while_it_grows_is_never_copied_half_updated(tmp_path):
    """eventsourcing copies a cached aggregate while another thread may be fast-forwarding it (seen here as
    a 500 under load on PostgreSQL); the Leitai repository takes gets of one aggregate in turn."""
    app = Leitai(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.sqlite"),
                      "AGGREGATE_CACHE_MAXSIZE": "100"})
    board = Board()
    for n in range(2000):
        board.mark(n)
    app.save(board)
    stop, failures, sizes = time.monotonic() + 4, [], []

    def write():
        while time.monotonic() < stop:
            copy = app.repository.get(board.id)
            copy.mark(len(copy.cells))
            with contextlib.suppress(IntegrityError):
                app.save(copy)

    def read():
        while time.monotonic() < stop:
            try:
                copy = app.repository.get(board.id)
            except RuntimeError as error:
                failures.append(error)
            else:
                sizes.append(len(copy.cells) == copy.version - 1)

    threads = [threading.Thread(target=write) for _ in range(2)] + [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    app.close()
    assert failures == [] and sizes and all(sizes)
