"""The benchmarks run end to end at tiny sizes: every row of the table is printed (their speed is not checked here)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = ["append", "http", "http", "replay", "scale", "close", "follow-ups", "postgres", "postgres"]


def test_python_m_bench_smoke_prints_every_row_of_the_table():
    done = subprocess.run([sys.executable, "-m", "bench", "--smoke"], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = done.stdout.split("\n\n")[-2].splitlines()
    assert table[0].split()[:2] == ["benchmark", "measures"]
    assert [line.split()[0] for line in table[2:]] == ROWS
    assert "ERROR" not in "\n".join(table)
