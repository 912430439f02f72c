"""The docker-compose file is valid (there is no Docker engine here, so CI checks the file itself)."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_config_is_valid():
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is missing: `make test` installs Debian's docker-compose package"
    done = subprocess.run([compose, "config", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_every_role_of_the_stack_has_a_service():
    services = subprocess.run([shutil.which("docker-compose") or "docker-compose", "config", "--services"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60).stdout.split()
    assert set(services) == {"postgres", "redis", "api", "read-models", "relay", "worker", "scheduler"}
