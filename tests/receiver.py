"""A stand-in for a WeCom/DingTalk group robot: a tiny HTTP server on 127.0.0.1 that keeps what it gets."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = b'{"errcode": 0}'


class Receiver:
    def __init__(self, secret: str | None = None, idle_timeout: float = 5):
        self.secret = secret
        self.received: list[dict] = []
        self.stall_first = 0.0  # seconds to hold the first request before answering
        self.fail_with = None  # an HTTP status to answer every request with
        self.hold = 0.0  # seconds to hold every request before answering
        self.cut_short = 0
        self.started = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the WeCom and DingTalk robots answer
            timeout = idle_timeout  # an idle kept-alive connection is closed, as real servers do
            disable_nagle_algorithm = True  # the status line and the body go out in two writes

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                first = not receiver.received
                receiver.received.append({"followup": self.headers.get("X-Leitai-Followup"), "at": time.monotonic(),
                                          "peer": self.client_address,
                                          "signature_ok": receiver.signed(body, self.headers.get("X-Leitai-Signature")),
                                          "json": json.loads(body)})
                receiver.started.set()
                if first and receiver.stall_first:
                    time.sleep(receiver.stall_first)
                time.sleep(receiver.hold)
                try:
                    self.send_response(receiver.fail_with or 200)
                    self.send_header("Content-Length", str(len(ANSWER)))
                    self.end_headers()
                    self.wfile.write(ANSWER)
                except (BrokenPipeError, ConnectionResetError):
                    receiver.cut_short += 1  # the sender was killed while it waited for the answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def signed(self, body: bytes, header: str | None) -> bool:
        if not self.secret:
            return header is None
        return header == "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for item in self.received:
            counted[item["followup"]] = counted.get(item["followup"], 0) + 1
        return counted

    def close(self):
        self.server.shutdown()
        self.server.server_close()
