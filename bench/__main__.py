"""`python -m bench`: every hot path against its physical baseline, side by side; a table, and docs/benchmarks.md."""

import argparse
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import append, close, followups, postgres, replay, web
from .measure import Row, Sizes
from .report import table, write

BENCHMARKS = {"append": append.run, "http": web.run, "replay": replay.run, "close": close.run,
              "follow-ups": followups.run, "postgres": postgres.run}
ROWS = {"append": ["append"], "http": ["http", "http"], "replay": ["replay", "scale"], "close": ["close"],
        "follow-ups": ["follow-ups"], "postgres": ["postgres", "postgres"]}


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    args.add_argument("--smoke", action="store_true", help="tiny sizes, one run each: checks that every row runs")
    args.add_argument("--full", action="store_true", help="also replay a 1-million-event county in the scale row")
    args.add_argument("--only", help=f"comma-separated, of: {', '.join(BENCHMARKS)}")
    args.add_argument("--runs", type=int, help="interleaved runs of each subject and baseline (default 3)")
    args.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"),
                      help="the report to refresh (default docs/benchmarks.md; not written with --smoke or --only)")
    return args


def main(argv=None) -> int:
    options = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so every child process is stopped on the way out
    sizes = Sizes.smoke() if options.smoke else Sizes.full() if options.full else Sizes()
    if options.runs:
        sizes.runs = options.runs
    chosen = options.only.split(",") if options.only else list(BENCHMARKS)
    rows, failed, started = [], [], time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="leitai-bench-") as folder:
        for name in chosen:
            began = time.perf_counter()
            print(f"-- {name} ...", flush=True)
            here = Path(folder) / name.replace("-", "")
            here.mkdir()
            try:
                found = BENCHMARKS[name](here, sizes)
            except Exception:
                traceback.print_exc()
                failed.append(name)
                found = [Row(bench, "ERROR (see the traceback above)", float("nan"), float("nan"), "", float("nan"),
                             "-", "-", False, 0) for bench in ROWS[name]]
            rows += found
            for row in found:
                print(table([row], header=False), flush=True)
                print(f"   {row.note}", flush=True)
            print(f"   {name}: {time.perf_counter() - began:.0f} s", flush=True)
    took = time.perf_counter() - started
    print()
    print(table(rows))
    print(f"\n{sum(r.met for r in rows)} of {len(rows)} targets met; {took:.0f} s in all"
          + (" (smoke sizes: not a measurement)" if options.smoke else ""))
    if not options.smoke and not options.only:
        write(options.output, rows, sizes, took)
        print(f"wrote {options.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
