"""Where a follow-up goes: the log (default) or a group robot's webhook (WeCom, DingTalk)."""

import hashlib
import hmac
import json
import logging
import os
import urllib.request

log = logging.getLogger("leitai.followups")


class LogChannel:
    name = "log"

    def send(self, followup) -> None:
        log.info(json.dumps({"followup": str(followup.id), "kind": followup.kind, "recipient": followup.recipient,
                             "subject": followup.subject, "body": followup.body}, ensure_ascii=False))


class WebhookChannel:
    """POSTs `{"msgtype": "text", "text": {"content": ...}}`, signed with HMAC-SHA256 when a secret is set."""

    name = "webhook"

    def __init__(self, url: str, secret: str | None = None, timeout: float = 10):
        self.url = url
        self.secret = secret
        self.timeout = timeout

    def send(self, followup) -> None:
        content = f"{followup.subject}\n{followup.body}"
        body = json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Leitai-Followup": str(followup.id)}
        if self.secret:
            headers["X-Leitai-Signature"] = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()


def channel_from_env():
    if os.environ.get("LEITAI_NOTIFY_CHANNEL", "log") == "webhook":
        return WebhookChannel(os.environ["LEITAI_WEBHOOK_URL"], os.environ.get("LEITAI_WEBHOOK_SECRET"))
    return LogChannel()
