"""The command line: `leitai accounts create` prints a working token; `leitai serve` answers over real HTTP; bad
input is a usage error (status 2) and a refusal a one-line message (status 1), never a traceback."""

import json
import os
import subprocess
import time
import urllib.request

from .servers import LEITAI, free_port


def request(url, token=None, body=None, method=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method), timeout=10) as response:
        return response.status, json.loads(response.read())


def wait_until_up(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            return request(url)
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def test_a_token_from_the_command_line_works_against_leitai_serve(tmp_path):
    env = {**os.environ, "LEITAI_DATA_DIR": str(tmp_path / "var")}
    env.pop("LEITAI_DATABASE_URL", None)
    printed = subprocess.run([LEITAI, "accounts", "create", "--role", "organizer", "--name", "组织办"],
                             env=env, capture_output=True, text=True, check=True).stdout
    token = printed.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([LEITAI, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until_up(f"{base}/healthz") == (200, {"status": "ok"})
        status, town = request(f"{base}/api/v1/towns", token, {"name": "大曹镇", "county": "宁津县"})
        assert status == 201 and town["rulebook"]["weights"] == {"duty": 0.7, "contest": 0.3}
        assert request(f"{base}/api/v1/towns", token)[1] == [{"id": town["id"], "name": "大曹镇", "county": "宁津县"}]
    finally:
        server.terminate()
        server.wait(timeout=20)


def leitai(*args, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "LEITAI_DATA_DIR": str(data_dir)}
    env.pop("LEITAI_DATABASE_URL", None)
    return subprocess.run([LEITAI, *args], env=env, capture_output=True, text=True, timeout=60)


def test_an_instant_without_its_offset_or_a_malformed_digest_is_a_usage_error(tmp_path):
    town = "00000000-0000-0000-0000-000000000000"
    late = leitai("replay", "--town", town, "--year", "2023", "--as-of", "2023-12-31T18:00:00", data_dir=tmp_path)
    assert late.returncode == 2 and "give the instant with its offset" in late.stderr
    digest = leitai("audit", "verify", "--against", "12:beef", data_dir=tmp_path)
    assert digest.returncode == 2 and "POSITION:HASH" in digest.stderr


def test_replaying_or_exporting_a_town_that_does_not_exist_says_so_in_one_line(tmp_path):
    town = "00000000-0000-0000-0000-000000000000"
    for command in (["replay", "--town", town, "--year", "2023"],
                    ["export", "--town", town, "--kind", "annual", "--period", "2023"]):
        done = leitai(*command, data_dir=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines()[-1] == f"leitai {command[0]}: town {town} not found"
