"""Child processes the benchmarks start (server, workers): each in its own process group, its output in a log."""

import os
import signal
import subprocess
from pathlib import Path


class Child:
    """A command run in a new session, so stopping it stops whatever it started too."""

    def __init__(self, argv: list[str], env: dict, log: Path):
        self.log = open(log, "ab")
        self.process = subprocess.Popen(argv, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()
