"""A small HTTP/1.1 load client: asyncio, keep-alive connections, one request in flight on each.

It runs in the benchmark's own process and so shares the machine's cores with the server it loads.
"""

import asyncio
import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Load:
    requests: int
    seconds: float
    failures: int
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p99_ms(self) -> float:
        return self.percentile(0.99) * 1000


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


REUSES = 20  # requests on one connection before it is opened again


async def connection(port: int, request: Callable[[], bytes | None], deadline: float, ok: set[int], load: Load) -> None:
    """Keep-alive, but opened again every REUSES requests: which gunicorn worker accepts a connection is a
    race, and 8 connections once accepted all by one worker left the other idle for the whole run
    (hello at 8 connections: 1,158-1,353 req/s so, 1,989-2,866 spread); reopening spreads them over the
    run alike for the subject and the baseline. Every 100 requests, a sheet PUT run at 8 connections still
    placed each connection only about twice (PUT at 8 connections 385-618 req/s in four runs of the same
    code); every 20, 522-550 in three."""
    while time.perf_counter() < deadline:
        if not await requests_on_one_connection(port, request, deadline, ok, load):
            return


async def requests_on_one_connection(port, request, deadline, ok, load) -> bool:
    """False once `request` has nothing left to send."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(REUSES):
            if time.perf_counter() >= deadline:
                return True
            raw = request()
            if raw is None:
                return False
            started = time.perf_counter()
            writer.write(raw)
            status = await read_response(reader)
            took = time.perf_counter() - started
            if status in ok:
                load.requests += 1
                load.latencies.append(took)
            else:
                load.failures += 1
        return True
    finally:
        writer.close()


def run(port: int, connections: int, seconds: float, request: Callable[[], bytes | None], ok=(200,)) -> Load:
    """`request()` gives the next request's bytes (None: nothing left); counts the answers with a status in `ok`."""
    load = Load(0, 0.0, 0, [])

    async def main():
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(connection(port, request, deadline, set(ok), load) for _ in range(connections)))
        load.seconds = time.perf_counter() - started

    asyncio.run(main())
    return load


def http_request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
