"""The command line: `leitai accounts create` prints a working token; `leitai serve` answers over real HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

LEITAI = str(Path(sys.executable).with_name("leitai"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
