"""`leitai serve` as a child process that can be killed with SIGKILL and started again, and a plain HTTP client."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

LEITAI = str(Path(sys.executable).with_name("leitai"))
TOKEN = "served-bootstrap-token-long-enough"
FAILURES = (OSError, http.client.HTTPException)  # refused, reset, cut short: the outcome is unknown


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Child:
    """A child process in its own process group, writing to `self.log`: `kill` is kill -9 of the whole group."""

    process: subprocess.Popen | None = None

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


class Served(Child):
    """The API under gunicorn on its own port; `kill` is kill -9 of the master and every worker."""

    def __init__(self, settings, workers: int = 2, **env):
        self.port = free_port()
        self.workers = workers
        self.env = {**os.environ, "LEITAI_DATA_DIR": str(settings.data_dir), "LEITAI_BOOTSTRAP_TOKEN": TOKEN, **env}
        self.env.pop("LEITAI_DATABASE_URL", None)
        if settings.database_url:
            self.env["LEITAI_DATABASE_URL"] = settings.database_url
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(settings.data_dir.parent / "serve.log", "ab")
        self.process = None

    def start(self) -> "Served":
        self.process = subprocess.Popen([LEITAI, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                                        env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"leitai serve exited with {self.process.returncode}: see {self.log.name}")
            try:
                if call(self.port, "GET", "/healthz", token=None)[0] == 200:
                    return self
            except FAILURES:
                time.sleep(0.1)
        raise TimeoutError("leitai serve did not come up")



def call(port: int, method: str, path: str, body=None, token: str | None = TOKEN, key: str | None = None,
         timeout: float = 30) -> tuple[int, object]:
    """One request on a fresh connection; raises one of FAILURES when no answer came back."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, None if body is None else json.dumps(body, ensure_ascii=False).encode(),
                           headers)
        response = connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None
    finally:
        connection.close()


def ok(port: int, method: str, path: str, body=None, status: int = 200, **kw):
    got, answer = call(port, method, "/api/v1" + path, body, **kw)
    assert got == status, (method, path, got, answer)
    return answer
