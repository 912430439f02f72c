"""follow-ups: delivered per second through relay, Redis and worker to a local receiver, against a no-op actor."""

import os
import sys
import threading
import time
from pathlib import Path

import dramatiq
import redis
from eventsourcing.utils import get_topic

from domain.followup import FollowUp
from service.application import BOOTSTRAP_ID
from service.config import Settings
from service.wiring import build
from tests.receiver import Receiver  # the suite's group-robot stand-in
from workers.broker import make_broker
from workers.redis_server import embedded_url, start
from workers.relay import Relay

from .county import Writer, bench_id
from .measure import Row, interleaved, percent
from .processes import Child
from .web import free_port

DELIVERED = get_topic(FollowUp.Delivered)
THREADS = 4
QUEUE = "bench"  # bench.noop's


class Worker(Child):
    """A dramatiq worker process: `leitai worker` for the subject, the no-op module for the baseline."""


def issue(app, count: int, run: int) -> None:
    writer = Writer(app)
    for n in range(count):
        writer.add(FollowUp(key=f"bench:{run}:{n}", town_id=bench_id("town", 1), kind="sheets_pending",
                            recipient=f"评委{n}", subject="待评分提醒", body="您还有评分表未提交。", about_id=None,
                            by=BOOTSTRAP_ID))
    writer.flush()


def relay_until(relay: Relay, head: int) -> None:
    while relay.position() < head:
        relay.run_once()


def wait_for(check, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the follow-ups were not all delivered in time")
        time.sleep(0.005)


def run(folder: Path, sizes) -> list[Row]:
    data_dir = folder / "followups"
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start(data_dir, port)
    url = embedded_url(data_dir, port)
    receiver = Receiver()
    app = build(Settings(data_dir=data_dir))
    broker = make_broker(url)
    client = redis.Redis.from_url(url)
    relay = Relay(app, broker)
    env = {**os.environ, "LEITAI_DATA_DIR": str(data_dir), "LEITAI_REDIS_URL": url, "LEITAI_NOTIFY_CHANNEL": "webhook",
           "LEITAI_WEBHOOK_URL": receiver.url}
    env.pop("LEITAI_DATABASE_URL", None)
    leitai = str(Path(sys.executable).with_name("leitai"))
    workers = [Worker([leitai, "worker", "--threads", str(THREADS)], env, data_dir / "worker.log"),
               Worker([sys.executable, "-m", "dramatiq", "bench.noop", "--processes", "1", "--threads", str(THREADS),
                       "--queues", QUEUE],
                      env, data_dir / "noop.log")]
    count = sizes.followups

    def delivered(after: int) -> int:
        """Counted by SQLite, as cheap as the baseline's HLEN: decoding every Delivered so far in each
        5 ms poll took a core's fifth, beside the receiver on the subject's side only."""
        recorder = app.recorder
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {recorder.events_table_name} WHERE rowid > ? AND topic = ?",
                           (after, DELIVERED))
            return cursor.fetchone()[0]

    def subject(i, n=count) -> float:
        mark = app.recorder.max_notification_id() or 0
        issue(app, n, i)
        head = app.recorder.max_notification_id()
        started = time.perf_counter()
        sending = threading.Thread(target=relay_until, args=(relay, head))
        sending.start()
        wait_for(lambda: delivered(mark) >= n)
        took = time.perf_counter() - started
        sending.join()
        return n / took

    def baseline(i, n=count) -> float:
        started = time.perf_counter()
        for k in range(n):
            broker.enqueue(dramatiq.Message(queue_name=QUEUE, actor_name="noop", args=(k,), kwargs={}, options={}))
        wait_for(lambda: client.hlen(f"dramatiq:{QUEUE}.msgs") == 0)
        return n / (time.perf_counter() - started)

    try:
        subject(-1, 10)  # both workers up and warm before anything is timed
        baseline(-1, 10)
        ours, theirs, _, _ = interleaved(sizes.runs, subject, baseline)
        posted = len(receiver.received)
    finally:
        for worker in workers:
            worker.stop()
        receiver.close()
        server.terminate()
        server.wait(timeout=10)
        app.projector.store.close()
        app.close()
    ratio = ours / theirs
    return [Row("follow-ups", "follow-ups delivered per second (relay, Redis, worker, receiver)", ours, theirs,
                "per s", ratio, percent(ratio), ">= 50%", ratio >= 0.50, sizes.runs,
                note=f"{count} follow-ups a run; worker: 1 process x {THREADS} threads for both; each delivery is a POST "
                     f"to the receiver and a recorded FollowUp.Delivered (FULL sync); {posted} POSTs received")]
