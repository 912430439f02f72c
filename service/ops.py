"""Operations: health and readiness, Prometheus metrics, JSON logs carrying a request id."""

import json
import logging
import os
import time
import uuid

import redis
from flask import Response, current_app, g, jsonify, request
from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest, multiprocess
from prometheus_client import CONTENT_TYPE_LATEST

from projections.followups import followups_by_status
from workers.broker import FOLLOWUPS, JOBS
from workers.redis_server import redis_url

from .throttle import THROTTLED

log = logging.getLogger("leitai.requests")
LATENCY = Histogram("leitai_request_seconds", "HTTP request latency", ["method", "endpoint", "status"])


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"at": self.formatTime(record), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger("leitai")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False


def begin_request() -> None:
    g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
    g.started = time.perf_counter()


def end_request(response: Response) -> Response:
    took = time.perf_counter() - g.get("started", time.perf_counter())
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    LATENCY.labels(request.method, endpoint, str(response.status_code)).observe(took)
    response.headers["X-Request-ID"] = g.get("request_id", "")
    log.info("request", extra={"fields": {"request_id": g.get("request_id"), "method": request.method,
                                          "path": request.path, "status": response.status_code,
                                          "ms": round(took * 1000, 2)}})
    return response


def healthz():
    return jsonify({"status": "ok"})


def readyz():
    """Ready when the event store and the queue's Redis both answer."""
    checks = {"store": store_ok(), "queue": queue_ok()}
    body = {"status": "ok" if all(checks.values()) else "unavailable", "checks": checks}
    return jsonify(body), 200 if all(checks.values()) else 503


def store_ok() -> bool:
    try:
        current_app.extensions["leitai"].recorder.max_notification_id()
        return True
    except Exception as error:  # any failure means not ready; the reason goes to the log
        log.warning("store not reachable: %s", error)
        return False


def queue_ok() -> bool:
    try:
        return bool(redis_client().ping())
    except redis.RedisError as error:
        log.warning("queue not reachable: %s", error)
        return False


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(redis_url(current_app.config["SETTINGS"]), socket_connect_timeout=1, socket_timeout=1)


def metrics():
    """Request latency and throttled authentications from every API process; the rest read from the store, the
    read models and Redis."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(LATENCY)
        registry.register(THROTTLED)
    leitai = current_app.extensions["leitai"]
    head = leitai.recorder.max_notification_id() or 0
    Gauge("leitai_events_appended", "Events in the store (the head position)", registry=registry).set(head)
    lag = Gauge("leitai_read_model_lag", "Events a read model has yet to apply", ["read_model"], registry=registry)
    for name, projection in leitai.projector.projections.items():
        lag.labels(name).set(len(leitai.projector.pending(projection, leitai.projector.position(name), 10_000)))
    depth = Gauge("leitai_queue_depth", "Messages waiting in Redis", ["queue"], registry=registry)
    try:
        client = redis_client()
        for queue in (FOLLOWUPS, JOBS):
            depth.labels(queue).set(client.llen(f"dramatiq:{queue}"))
    except redis.RedisError as error:
        log.warning("queue depth unavailable: %s", error)
    deliveries = Gauge("leitai_followups", "Follow-ups by delivery status", ["status"], registry=registry)
    for status, count in followups_by_status(leitai.projector.store).items():
        deliveries.labels(status).set(count)
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def register(app) -> None:
    configure_logging()
    app.before_request(begin_request)
    app.after_request(end_request)
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readyz)
    app.add_url_rule("/metrics", "metrics", metrics)
