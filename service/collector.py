"""The cyclic garbage collector held off while a close runs."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """A close builds tens of thousands of objects (~930 aggregates, their events, the board, the notices), nearly all
    freed by reference counting when it returns. With the collector on, they pass through its young generations
    while alive and, one close in two to five, push it into a full collection of the whole process (25-45 ms in the
    bench's). Held off, it counts none of them; it is switched back on however the close ends. Only a caller that
    found it on switches it back on, so a nested or concurrent close leaves it as the outermost found it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def settle_startup() -> None:
    """For a server process that has loaded its app: the objects it made to get there (modules, the app, schemas,
    about 119,000 in a gunicorn worker) are moved out of the collector's reach, where they would stay anyway. A
    full collection while serving then scans what serving keeps (7,000-18,000 objects in a worker under the
    sheet PUT benchmark, 3-6 ms) instead of everything (117,000-136,000; docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()
