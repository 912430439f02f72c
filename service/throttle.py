"""Failed authentications counted per client address: beyond the limit in a minute, the answer is 429.

Only failures are counted, and only after the token was checked, so a valid token is never throttled.
The count is shared by every API process through Redis when `LEITAI_REDIS_URL` names one (as `leitai
up` and the compose file do); otherwise, or while Redis does not answer, each process counts alone.
"""

import logging
import math
import threading
import time

import redis
from prometheus_client import Counter

WINDOW = 60
log = logging.getLogger("leitai.auth")
THROTTLED = Counter("leitai_auth_throttled", "Failed authentications answered 429 (too many from one address)",
                    ["via"])


class LocalCounts:
    """One process's counts: a window opens at an address's first failure and lasts a minute."""

    def __init__(self):
        self.windows: dict[str, tuple[float, int]] = {}
        self.lock = threading.Lock()

    def add(self, address: str) -> tuple[int, float]:
        """The failures of this address in its window, this one included, and the seconds the window has left."""
        now = time.monotonic()
        with self.lock:
            if len(self.windows) > 10_000:
                self.windows = {a: w for a, w in self.windows.items() if now - w[0] < WINDOW}
            start, count = self.windows.get(address, (now, 0))
            if now - start >= WINDOW:
                start, count = now, 0
            self.windows[address] = (start, count + 1)
        return count + 1, start + WINDOW - now


class RedisCounts:
    """Every process's counts in one Redis key per address, expiring a minute after its first failure."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self.fallback = LocalCounts()

    def add(self, address: str) -> tuple[int, float]:
        key = f"leitai:auth-failures:{address}"
        try:
            with self.client.pipeline() as pipe:
                _, count, left = pipe.set(key, 0, ex=WINDOW, nx=True).incr(key).ttl(key).execute()
            return count, max(left, 1)
        except redis.RedisError as error:
            log.warning("failed authentications counted in this process only: Redis did not answer (%s)", error)
            return self.fallback.add(address)


class Throttle:
    def __init__(self, limit: int, counts):
        self.limit = limit
        self.counts = counts

    @classmethod
    def of(cls, settings) -> "Throttle":
        counts = RedisCounts(settings.redis_url) if settings.redis_url else LocalCounts()
        return cls(settings.auth_failures_per_minute, counts)

    def failed(self, address: str | None, via: str) -> int | None:
        """Counts one failure; when it is beyond the limit, the seconds to wait (for Retry-After)."""
        count, left = self.counts.add(address or "unknown")
        if count <= self.limit:
            return None
        THROTTLED.labels(via).inc()
        log.warning("throttled: failed authentication number %d in a minute from %s (%s)", count, address, via)
        return max(1, math.ceil(left))
