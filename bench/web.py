"""http: sheet PUTs per second under gunicorn (`leitai serve`), against /healthz on the same server and client."""

import itertools
import json
import os
import socket
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

from service.config import Settings
from service.wiring import build

from . import load
from .measure import Row, interleaved, percent
from .processes import Child
from .scene import panel

TOKEN = "bench-organizer-token-long-enough"
LEITAI = str(Path(sys.executable).with_name("leitai"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(Child):
    """`leitai serve` (gunicorn, its default workers and threads) as a child process."""

    def __init__(self, data_dir: Path, workers: int = 2):
        self.port = free_port()
        env = {**os.environ, "LEITAI_DATA_DIR": str(data_dir), "LEITAI_BOOTSTRAP_TOKEN": TOKEN}
        env.pop("LEITAI_DATABASE_URL", None)
        super().__init__([LEITAI, "serve", "--port", str(self.port), "--workers", str(workers)], env,
                         data_dir / "server.log")
        self.wait_ready()

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"leitai serve exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("leitai serve did not answer")


class Sheets:
    """The next sheet PUT, each for a (contest, judge, village) not yet scored; thread-safe. Every request's
    bytes are made beforehand, as hello's are: the client shares the cores with the server, and building a
    PUT's body while the clock runs took it 234 µs a request against hello's 118."""

    def __init__(self, scene):
        self.scene = scene
        self.next = itertools.count()
        self.lock = threading.Lock()
        self.headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        self.requests = [self.request(n) for n in range(len(scene.sheets))]

    def __call__(self) -> bytes | None:
        with self.lock:
            n = next(self.next)
        return self.requests[n] if n < len(self.requests) else None

    def request(self, n: int) -> bytes:
        contest, judge, village = self.scene.sheets[n]
        body = json.dumps({"judge_id": str(judge), "marks": {k: str(v) for k, v in self.scene.marks(n).items()}}).encode()
        return load.http_request("PUT", f"/api/v1/contests/{contest}/sheets/{village}", self.headers, body)

    def again(self, recorded: int):
        """Sheets already recorded, sent again with the same marks: 200, nothing new recorded. The whole PUT
        (the HTTP layers, authentication, parsing, the contest loaded and its rules checked, the answer)
        but the write."""
        requests = itertools.cycle(self.requests[:recorded])
        return lambda: next(requests)


def round_robin(sheets: list[tuple]) -> list[tuple]:
    """One sheet of each contest in turn: the county's towns scoring at once, not every request on one contest."""
    by_contest: dict = {}
    for sheet in sheets:
        by_contest.setdefault(sheet[0], []).append(sheet)
    return [sheet for group in itertools.zip_longest(*by_contest.values()) for sheet in group if sheet]


def hello() -> bytes:
    return HELLO


HELLO = load.http_request("GET", "/healthz", {})


def run(folder: Path, sizes) -> list[Row]:
    data_dir = folder / "http"
    app = build(Settings(data_dir=data_dir))
    expected_rate = 2_500
    scene = panel(app, int(expected_rate * sizes.http_seconds * sizes.runs * 2) + 400, first=700)
    scene.sheets = round_robin(scene.sheets)
    app.projector.store.close()
    app.close()
    server = Server(data_dir, int(os.environ.get("BENCH_WEB_WORKERS", "2")))
    sheets = Sheets(scene)
    rows = []
    try:
        load.run(server.port, 8, min(1.0, sizes.http_seconds), hello)
        load.run(server.port, 8, min(1.0, sizes.http_seconds), sheets, ok=(201,))
        for connections in (8, 32):
            found = {}

            def subject(i):
                found[("put", i)] = load.run(server.port, connections, sizes.http_seconds, sheets, ok=(201,))
                return found[("put", i)].rate

            def baseline(i):
                found[("hello", i)] = load.run(server.port, connections, sizes.http_seconds, hello)
                found[("again", i)] = load.run(server.port, connections, sizes.http_seconds, again)
                return found[("hello", i)].rate

            again = sheets.again(min(2_000, next(sheets.next)))
            ours, theirs, _, _ = interleaved(sizes.runs, subject, baseline)
            repeats = [found[("again", i)].rate for i in range(sizes.runs)]
            puts = [found[("put", i)] for i in range(sizes.runs)]
            hellos = [found[("hello", i)] for i in range(sizes.runs)]
            p50 = sorted(p.p50_ms for p in puts)[len(puts) // 2]
            p99 = sorted(p.p99_ms for p in puts)[len(puts) // 2]
            hello_p99 = sorted(h.p99_ms for h in hellos)[len(hellos) // 2]
            failures = sum(p.failures for p in puts) + sum(h.failures for h in hellos)
            ratio = ours / theirs
            met = ratio >= 0.35 and (connections != 8 or p99 <= 30)
            target = ">= 35%" + ("; p99 <= 30 ms" if connections == 8 else "")
            rows.append(Row("http", f"sheet PUT req/s, {connections} connections (p50 {p50:.1f} ms, p99 {p99:.1f} ms)",
                            ours, theirs, "req/s", ratio, percent(ratio), target, met, sizes.runs,
                            note=f"gunicorn gthread 2 workers x 8 threads; sheets spread over {len(set(s[0] for s in scene.sheets))} contests; hello = GET /healthz (p99 {hello_p99:.1f} ms); "
                                 f"{failures} failed requests; client in-process asyncio on the same 2 cores; "
                                 f"without the write (a recorded sheet sent again: 200, nothing recorded) {statistics.median(repeats):,.0f} req/s "
                                 f"= {statistics.median(repeats) / theirs:.0%} of hello, after each hello run",
                            extra={"p50_ms": p50, "p99_ms": p99, "hello_p99_ms": hello_p99,
                                   "repeat_ratio": statistics.median(repeats) / theirs}))
    finally:
        server.stop()
    return rows
