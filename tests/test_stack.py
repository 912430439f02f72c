"""`leitai up`: the whole stack as a supervised set of processes, over real HTTP."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from .servers import LEITAI, free_port

TOKEN = "stack-test-token-long-enough-24"


def call(url, body=None, token=TOKEN, method=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    request = urllib.request.Request(url, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_ready(base, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if call(f"{base}/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{base}/readyz")


class Stack:
    def __init__(self, data_dir: Path, database_url: str | None = None, api_workers: int = 2):
        self.port, self.redis_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "LEITAI_DATA_DIR": str(data_dir), "LEITAI_BOOTSTRAP_TOKEN": TOKEN}
        env.pop("LEITAI_REDIS_URL", None)
        env.pop("LEITAI_DATABASE_URL", None)
        if database_url:
            env["LEITAI_DATABASE_URL"] = database_url
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(data_dir.parent / "up.log", "ab")
        self.process = subprocess.Popen(
            [LEITAI, "up", "--port", str(self.port), "--redis-port", str(self.redis_port),
             "--api-workers", str(api_workers)], env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)

    def child(self, command: str) -> psutil.Process:
        """The direct child running `leitai <command>`."""
        return next(p for p in psutil.Process(self.process.pid).children() if command in p.cmdline()[1:3])

    def stop(self) -> list[psutil.Process]:
        """SIGTERM `leitai up`; returns whatever process it leaves behind."""
        everyone = self.descendants()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()
        gone, alive = psutil.wait_procs(everyone, timeout=10)
        return alive


@pytest.fixture
def stack(settings):
    running = Stack(settings.data_dir, settings.database_url)
    yield running
    if running.process.poll() is None:
        running.stop()


def test_the_stack_comes_up_serves_recovers_a_killed_child_and_stops_cleanly(stack):
    wait_ready(stack.base)
    names = {" ".join(p.cmdline()[1:3]) for p in stack.descendants()}
    assert any("serve" in n for n in names) and any("relay" in n for n in names)
    status, body = call(f"{stack.base}/api/v1/towns", {"name": "大曹镇"})
    assert status == 201
    metrics = call(f"{stack.base}/metrics")[1].decode()
    assert "leitai_request_seconds" in metrics and "leitai_read_model_lag" in metrics
    assert "leitai_queue_depth" in metrics

    api = stack.child("serve")
    os.kill(api.pid, signal.SIGKILL)
    time.sleep(1)
    wait_ready(stack.base)
    assert call(f"{stack.base}/api/v1/towns")[0] == 200
    restarted = stack.child("serve")
    assert restarted.pid != api.pid

    assert stack.stop() == []
    assert stack.process.returncode == 0


def test_the_demo_loads_into_the_stack_and_its_follow_ups_are_delivered(stack):
    wait_ready(stack.base)
    done = subprocess.run([LEITAI, "demo", "--url", stack.base, "--token", TOKEN, "--villages", "12", "--months", "12"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    town_id = json.loads(call(f"{stack.base}/api/v1/towns")[1])[0]["id"]
    year = json.loads(call(f"{stack.base}/api/v1/towns/{town_id}/assessments/2023")[1])
    # The demo merges one village away (村庄撤并) during the year: the year ranks the 11 still taking part.
    assert year["status"] == "closed" and sum(len(rows) for rows in year["tracks"].values()) == 11
    assert {row["grade"] for rows in year["tracks"].values() for row in rows} == {"excellent", "good", "poor"}

    def delivered():
        followups = json.loads(call(f"{stack.base}/api/v1/followups?town_id={town_id}&status=delivered")[1])
        return [f for f in followups if f["kind"] == "interview_required"]

    deadline = time.monotonic() + 120
    while not delivered() and time.monotonic() < deadline:
        time.sleep(1)
    assert delivered()
    assert stack.stop() == []
