"""replay and scale: rebuilding the annual assessment from position 0, against the same rows read and folded by hand."""

import multiprocessing
import signal
import sqlite3
import statistics
from collections.abc import Callable
from pathlib import Path

from service.application import Leitai
from service.config import Settings
from service.replay import replayed_assessment
from service.wiring import read_models

from .county import Shape, TownYear, Writer, bench_id
from .measure import Row, interleaved, percent, seconds, times
from .raw import Tables, placing

YEAR = "2023"


def store_app(folder: Path) -> Leitai:
    return Leitai(env=Settings(data_dir=folder).event_store_env())


def generate_part(args) -> tuple[str, dict[int, tuple[int, int]]]:
    """Some towns into a store of their own; returns each town's first and last position there."""
    folder, shape, towns = args
    app = store_app(Path(folder))
    writer, spans = Writer(app), {}
    for number in towns:
        first = writer.written + 1
        TownYear(writer, shape, number, seed=2023).run()
        writer.flush()
        spans[number] = (first, writer.written)
    app.close()
    return folder, spans


def default_sigterm() -> None:
    """A pool worker is forked from the benchmark, whose SIGTERM handler raises SystemExit (bench/__main__.py).
    A pool that terminated a worker waiting for its next task then waited for it for ever (a --full run hung
    here with the worker blocked on the task queue's lock): in a worker, SIGTERM ends the process."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def generate(folder: Path, shape: Shape, towns: range, processes: int = 2) -> None:
    """The towns' years, generated in `processes` processes, then appended to the store at `folder` in town order."""
    jobs = [(str(folder.parent / f"{folder.name}-part{i}"), shape, list(towns[i::processes])) for i in range(processes)]
    jobs = [job for job in jobs if job[2]]
    with multiprocessing.get_context("fork").Pool(len(jobs), initializer=default_sigterm) as pool:
        done = pool.map(generate_part, jobs)
        pool.close()
        pool.join()  # the workers end on their own: leaving the block terminates only what is still running
    store_app(folder).close()
    connection = sqlite3.connect(folder / "events.sqlite", isolation_level=None)
    where = {}
    for i, (part, spans) in enumerate(done):
        connection.execute(f"ATTACH DATABASE ? AS part{i}", (str(Path(part) / "events.sqlite"),))
        where.update({number: (i, span) for number, span in spans.items()})
    connection.execute("BEGIN")
    for number in towns:
        part, (first, last) = where[number]
        connection.execute(f"INSERT INTO stored_events SELECT originator_id, originator_version, topic, state "
                           f"FROM part{part}.stored_events WHERE rowid BETWEEN ? AND ? ORDER BY rowid", (first, last))
    connection.execute("COMMIT")
    connection.close()
    for part, _ in done:
        for file in Path(part).glob("events.sqlite*"):
            file.unlink()


def copy_prefix(source: Path, folder: Path, events: int) -> None:
    """The first `events` positions of a store, as a store of their own."""
    store_app(folder).close()
    connection = sqlite3.connect(folder / "events.sqlite", isolation_level=None)
    connection.execute("ATTACH DATABASE ? AS source", (str(source / "events.sqlite"),))
    connection.execute("BEGIN")
    connection.execute("INSERT INTO stored_events SELECT originator_id, originator_version, topic, state "
                       "FROM source.stored_events WHERE rowid <= ? ORDER BY rowid", (events,))
    connection.execute("COMMIT")
    connection.close()


def head(folder: Path) -> int:
    connection = sqlite3.connect(folder / "events.sqlite")
    try:
        return connection.execute("SELECT max(rowid) FROM stored_events").fetchone()[0] or 0
    finally:
        connection.close()


def topics() -> list[str]:
    return sorted({topic for projection in read_models() for topic in projection.topics})


def product_replay(folder: Path, town: int = 1) -> list[tuple]:
    """What `leitai replay` does: every read model from position 0 into a fresh file, then the town's year."""
    return placing(replayed_assessment(Settings(data_dir=folder), bench_id("town", town), YEAR, progress=False))


def raw_replay(folder: Path, town: int = 1) -> list[tuple]:
    """The physical baseline: the same rows (the read models' topics, filtered in SQL), json.loads, folded into dicts."""
    followed = topics()
    connection = sqlite3.connect(folder / "events.sqlite")
    tables = Tables()
    cursor = connection.execute(f"SELECT rowid, originator_id, topic, state FROM stored_events "
                                f"WHERE topic IN ({', '.join('?' * len(followed))}) ORDER BY rowid", followed)
    while rows := cursor.fetchmany(5_000):
        for row in rows:
            tables.fold(*row)
    connection.close()
    board = tables.annual(bench_id("town", town).hex, YEAR)
    return placing(board) if board else []


def check_same(ours: list, theirs: list, where: str) -> None:
    if ours != theirs:
        raise AssertionError(f"{where}: the replayed assessment differs from the baseline's ({len(ours)} vs {len(theirs)} rows)")


def replay_rates(runs: int, events: int, ours: Callable[[], list], theirs: Callable[[], list], where: str,
                 after_ours: Callable[[float], None] = lambda took: None) -> tuple[float, float]:
    """Events/s replaying with `ours` and with `theirs`, in interleaved runs; both must place the villages alike.

    `after_ours(seconds)` runs after each of our replays, in the same run."""
    results = {}

    def ours_once(i: int) -> float:
        took = seconds(lambda: results.__setitem__("ours", ours()))
        after_ours(took)
        return events / took

    def theirs_once(i: int) -> float:
        return events / seconds(lambda: results.__setitem__("theirs", theirs()))

    rate, baseline, _, _ = interleaved(runs, ours_once, theirs_once)
    check_same(results["ours"], results["theirs"], where)
    return rate, baseline


def run(folder: Path, sizes) -> list[Row]:
    county = folder / "county"
    county.mkdir(parents=True, exist_ok=True)
    shape = Shape(towns=sizes.county_towns, villages=sizes.county_villages)
    generate(county, shape, range(1, shape.towns + 1))
    events = head(county)
    smaller = scale_stores(folder, county, events, sizes)
    timings = {}

    def the_other_sizes(took: float) -> None:
        timings.setdefault(events, []).append(took / events)
        for size, store in smaller.items():  # the scale row's other sizes, in the same time window
            repeats = max(1, round(events / size))  # replayed about as long as the county: a noisy second weighs alike
            spent = seconds(lambda: [product_replay(store) for _ in range(repeats)])
            timings.setdefault(size, []).append(spent / (repeats * size))

    ours, theirs = replay_rates(sizes.runs, events, lambda: product_replay(county), lambda: raw_replay(county), "county",
                                after_ours=the_other_sizes)
    ratio = ours / theirs
    return [Row("replay", f"events/s rebuilding the annual assessment ({shape.village_count:,} villages x 12 months, "
                          f"{events:,} events)", ours, theirs, "events/s", ratio, percent(ratio), ">= 80%", ratio >= 0.80,
                sizes.runs, note="subject: service.replay.replayed_assessment (every read model, fresh SQLite file); "
                                 "baseline: SELECT of the same topics + json.loads + fold into dicts"),
            scale(timings, sizes)]


def scale_stores(folder: Path, county: Path, county_events: int, sizes) -> dict[int, Path]:
    """Prefixes of the county's log and, with --full, the county and more towns: {events: store}."""
    stores = {}
    for events in sizes.scale_events:
        store = folder / f"prefix-{events}"
        store.mkdir(parents=True, exist_ok=True)
        copy_prefix(county, store, events)
        stores[head(store)] = store
    if sizes.full_towns:
        big = folder / "full"
        big.mkdir(parents=True, exist_ok=True)
        copy_prefix(county, big, county_events)
        generate(big, Shape(towns=sizes.full_towns, villages=sizes.county_villages),
                 range(sizes.county_towns + 1, sizes.full_towns + 1))
        stores[head(big)] = big
    return stores


def scale(timings: dict[int, list[float]], sizes) -> Row:
    """`timings`: seconds an event at each size, one figure a run (every run samples every size in turn); their
    medians, slowest over fastest."""
    per_event = {events: statistics.median(t) for events, t in sorted(timings.items())}
    slowest, fastest = max(per_event.values()), min(per_event.values())
    spread = slowest / fastest
    figures = ", ".join(f"{events:,}: {seconds * 1e6:.1f} us" for events, seconds in per_event.items())
    return Row("scale", f"replay time per event at {', '.join(f'{e:,}' for e in per_event)} events (slowest, fastest)",
               slowest * 1e6, fastest * 1e6, "us/event", spread, times(spread), "<= 1.20x", spread <= 1.20, sizes.runs,
               note=f"medians per event: {figures}; each run replays every size in turn, so a noisy minute "
                    "moves them together, a smaller size as many times as the county's size holds it",
               extra={"per_event_us": {e: s * 1e6 for e, s in per_event.items()}})
