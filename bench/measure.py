"""Figures as ratios to a baseline measured in the same run: interleaved runs, medians."""

import statistics
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Row:
    """One line of the table: a subject's figure next to its baseline's, and the ratio the target is about."""

    bench: str
    measure: str
    subject: float
    baseline: float
    unit: str
    ratio: float
    ratio_text: str
    target: str
    met: bool
    runs: int
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Sizes:
    """How big each benchmark runs: `smoke` checks that everything runs, `full` adds the 1-million-event point."""

    runs: int = 3
    append_sheets: int = 600
    http_seconds: float = 3.0
    county_towns: int = 20
    county_villages: int = 50
    scale_events: tuple = (100_000, 300_000)
    full_towns: int = 0
    close_villages: int = 1_000
    followups: int = 800
    pg_sheets: int = 300
    pg_replay_events: int = 58_000

    @classmethod
    def smoke(cls) -> "Sizes":
        return cls(runs=1, append_sheets=20, http_seconds=0.5, county_towns=1, county_villages=10, scale_events=(1_500, 3_000),
                   close_villages=40, followups=30, pg_sheets=10, pg_replay_events=5_000)

    @classmethod
    def full(cls) -> "Sizes":
        return cls(full_towns=34)


def rate(count: int, work: Callable[[], object]) -> float:
    """count / seconds of work()."""
    started = time.perf_counter()
    work()
    return count / (time.perf_counter() - started)


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def interleaved(runs: int, subject: Callable[[int], float], baseline: Callable[[int], float]) -> tuple[float, float, list, list]:
    """Subject and baseline alternate, run i of each back to back; medians of each side."""
    ours, theirs = [], []
    for i in range(runs):
        ours.append(subject(i))
        theirs.append(baseline(i))
    return statistics.median(ours), statistics.median(theirs), ours, theirs


def percent(ratio: float) -> str:
    return f"{ratio * 100:.0f}%"


def times(ratio: float) -> str:
    return f"{ratio:.2f}x"
