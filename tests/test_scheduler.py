"""The scheduler on several nodes: one leads, the others stand by, and a day's job is sent once."""

import os
import signal
import subprocess
import time
from datetime import date, datetime

import pytest
import redis
from dramatiq import Message

from service.followups import SHANGHAI
from workers.broker import make_broker
from workers.redis_server import embedded_url, start
from workers.scheduler import due_day, send_daily

from .helpers import wait_for
from .servers import LEITAI, free_port


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    server = start(tmp_path, port)
    yield embedded_url(tmp_path, port)
    server.terminate()
    server.wait(timeout=10)


def daily_jobs(url: str) -> list[Message]:
    stored = redis.Redis.from_url(url).hvals("dramatiq:jobs.msgs")
    return [Message.decode(raw) for raw in stored]


def test_a_days_job_is_due_from_the_hour_on_and_yesterdays_before_it():
    assert due_day(datetime(2023, 5, 15, 8, 0, tzinfo=SHANGHAI), 8) == date(2023, 5, 15)
    assert due_day(datetime(2023, 5, 15, 7, 59, tzinfo=SHANGHAI), 8) == date(2023, 5, 14)


def test_a_days_job_sent_twice_is_enqueued_once_keyed_by_its_day(redis_url):
    broker = make_broker(redis_url)
    assert send_daily(broker, date(2023, 5, 15)) is True
    assert send_daily(broker, date(2023, 5, 15)) is False
    [message] = daily_jobs(redis_url)
    assert (message.actor_name, message.args, message.message_id) == ("daily", ("2023-05-15",), "daily-2023-05-15")


def scheduler(url: str, log_path) -> subprocess.Popen:
    env = {**os.environ, "LEITAI_REDIS_URL": url, "LEITAI_SCHEDULER_LOCK_SECONDS": "3"}
    with open(log_path, "ab") as log:
        return subprocess.Popen([LEITAI, "scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def test_two_schedulers_started_together_send_the_daily_job_once_and_the_other_takes_over(redis_url, tmp_path):
    logs = [tmp_path / "scheduler-a.log", tmp_path / "scheduler-b.log"]
    children = [scheduler(redis_url, path) for path in logs]
    try:
        assert wait_for(lambda: all("leading" in p.read_text() or "standing by" in p.read_text() for p in logs))
        assert wait_for(lambda: len(daily_jobs(redis_url)) == 1)
        time.sleep(3)  # three renewals of the lock: a standing-by scheduler would have sent by now
        leader = next(i for i, path in enumerate(logs) if "leading" in path.read_text())
        assert [m.args for m in daily_jobs(redis_url)] == [(due_day(datetime.now(SHANGHAI), 8).isoformat(),)]

        os.killpg(children[leader].pid, signal.SIGKILL)
        children[leader].wait(timeout=10)
        other = logs[1 - leader]
        assert wait_for(lambda: "leading" in other.read_text(), 15)
        time.sleep(1)
        assert len(daily_jobs(redis_url)) == 1
    finally:
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
                child.wait(timeout=20)
