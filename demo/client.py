"""The demo's one HTTP client: JSON over a kept-alive connection to `/api/v1`, nothing else."""

import http.client
import itertools
import json
import uuid
from decimal import Decimal
from urllib.parse import urlsplit

PREFIX = "/api/v1"


class DemoError(Exception):
    """Something the person running the demo has to fix: no token, no server, a refused request."""


class Client:
    """JSON over one kept-alive HTTP connection, opened again once if the server has closed it.

    Every write carries an Idempotency-Key, so sending it again on a fresh connection never records it twice.
    """

    def __init__(self, url: str, token: str):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DemoError(f"cannot use the URL {url!r}: give it as http://host:port")
        self.url, self.parts, self.token = url.rstrip("/"), parts, token
        self.connection = None
        self.keys = (f"demo-{uuid.uuid4().hex[:12]}-{n}" for n in itertools.count(1))
        self.requests = 0

    def connect(self) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
        return kind(self.parts.hostname, self.parts.port, timeout=120)

    def call(self, method: str, path: str, body=None, token: str | None = None, ok=(200, 201)):
        status, data = self.send(method, PREFIX + path, body, token or self.token)
        if status not in ok:
            message = data.get("message") if isinstance(data, dict) else data
            details = f" {data['errors']}" if isinstance(data, dict) and data.get("errors") else ""
            raise DemoError(f"{method} {path} answered {status}: {message}{details}")
        return data

    def get(self, path: str, **kw):
        return self.call("GET", path, **kw)

    def post(self, path: str, body=None, **kw):
        return self.call("POST", path, {} if body is None else body, **kw)

    def put(self, path: str, body, **kw):
        return self.call("PUT", path, body, **kw)

    def send(self, method: str, path: str, body, token: str | None) -> tuple[int, object]:
        payload = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if payload is not None:
            headers |= {"Content-Type": "application/json", "Idempotency-Key": next(self.keys)}
        for attempt in (1, 2):
            try:
                return self.exchange(method, path, payload, headers)
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionResetError,
                    BrokenPipeError) as error:
                self.close()
                if attempt == 2:
                    raise DemoError(f"{method} {path}: the server dropped the connection ({error})") from error
            except OSError as error:
                self.close()
                raise DemoError(f"cannot reach {self.url} ({error}): is `leitai serve` running there?") from error

    def exchange(self, method: str, path: str, payload: bytes | None, headers: dict) -> tuple[int, object]:
        if self.connection is None:
            self.connection = self.connect()
        self.connection.request(method, path, payload, headers)
        response = self.connection.getresponse()
        raw = response.read()
        self.requests += 1
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            return response.status, json.loads(raw, parse_float=Decimal) if raw else None
        except ValueError:
            return response.status, raw.decode(errors="replace")[:200]

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

