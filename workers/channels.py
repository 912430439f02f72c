"""Where a follow-up goes: the log (default) or a group robot's webhook (WeCom, DingTalk)."""

import base64
import hashlib
import hmac
import http.client
import json
import logging
import os
import sys
import threading
import time
import urllib.request
from urllib.parse import unquote, urlsplit

log = logging.getLogger("leitai.followups")
USER_AGENT = f"Python-urllib/{sys.version_info.major}.{sys.version_info.minor}"  # what urlopen sent before
IDLE_REUSE = float(os.environ.get("LEITAI_WEBHOOK_IDLE_REUSE", "2"))
# What a receiver that closed a kept-alive connection looks like on the next request over it.
CLOSED_BY_RECEIVER = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class LogChannel:
    name = "log"

    def send(self, followup) -> None:
        log.info(json.dumps({"followup": str(followup.id), "kind": followup.kind, "recipient": followup.recipient,
                             "subject": followup.subject, "body": followup.body}, ensure_ascii=False))


class WebhookError(Exception):
    """The robot answered, but not with success."""

    def __init__(self, status: int, reason: str, answer: bytes):
        super().__init__(f"HTTP {status} {reason}: {answer[:200]!r}")
        self.status = status


class WebhookChannel:
    """POSTs `{"msgtype": "text", "text": {"content": ...}}`, signed with HMAC-SHA256 when a secret is set.

    Each worker thread keeps its connection to the robot open between messages (a new TCP and TLS
    handshake was half of a delivery). A connection idle for longer than `IDLE_REUSE` seconds is not
    reused, since receivers close idle ones; one the receiver closed anyway is replaced and the message
    sent once more on the new one (at most once, and only over a connection that had already served).
    """

    name = "webhook"

    def __init__(self, url: str, secret: str | None = None, timeout: float = 10):
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.held = threading.local()

    def send(self, followup) -> None:
        content = f"{followup.subject}\n{followup.body}"
        body = json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Leitai-Followup": str(followup.id),
                   "User-Agent": USER_AGENT}
        if self.secret:
            headers["X-Leitai-Signature"] = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        self.post(body, headers)

    def post(self, body: bytes, headers: dict) -> None:
        reused = self.kept_open()
        try:
            self.exchange(body, headers)
        except CLOSED_BY_RECEIVER as closed:
            if not reused:
                raise
            log.info("the webhook had closed a kept-alive connection (%r); sending on a new one", closed)
            self.exchange(body, headers)

    def exchange(self, body: bytes, headers: dict) -> None:
        """One request and its whole answer; the connection is dropped on any error or when the robot closes it."""
        connection, target, extra = self.connection()
        try:
            connection.request("POST", target, body=body, headers={**headers, **extra})
            response = connection.getresponse()
            answer = response.read()
        except BaseException:  # a timeout, a reset, or dramatiq's time limit: the connection's state is unknown
            self.drop()
            raise
        self.held.used_at = time.monotonic()
        if response.will_close:
            self.drop()
        if not 200 <= response.status < 300:
            raise WebhookError(response.status, response.reason, answer)

    def kept_open(self) -> bool:
        """Whether this thread has a connection that served a request recently enough to be reused."""
        if getattr(self.held, "connection", None) is None:
            return False
        if time.monotonic() - self.held.used_at <= IDLE_REUSE:
            return True
        self.drop()
        return False

    def connection(self):
        if getattr(self.held, "connection", None) is None:
            self.held.connection, self.held.target, self.held.extra = connect(self.url, self.timeout)
        return self.held.connection, self.held.target, self.held.extra

    def drop(self) -> None:
        connection, self.held.connection = getattr(self.held, "connection", None), None
        if connection is not None:
            connection.close()


def connect(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str, dict]:
    """A connection to the robot, through the proxy the environment names as urlopen would (HTTP_PROXY,
    HTTPS_PROXY, NO_PROXY); with the request target and any header the proxy needs."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname):
        return kind(parts.hostname, parts.port, timeout=timeout), target, {}
    via = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    auth = proxy_authorization(via)
    if parts.scheme != "https":
        return http.client.HTTPConnection(via.hostname, via.port, timeout=timeout), url, auth
    connection = http.client.HTTPSConnection(via.hostname, via.port, timeout=timeout)
    connection.set_tunnel(parts.hostname, parts.port, headers=auth)
    return connection, target, {}


def proxy_authorization(via) -> dict:
    if via.username is None:
        return {}
    pair = f"{unquote(via.username)}:{unquote(via.password or '')}".encode()
    return {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode()}


def channel_from_env():
    if os.environ.get("LEITAI_NOTIFY_CHANNEL", "log") == "webhook":
        return WebhookChannel(os.environ["LEITAI_WEBHOOK_URL"], os.environ.get("LEITAI_WEBHOOK_SECRET"))
    return LogChannel()
