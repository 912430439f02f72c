"""The follow-up benchmark's baseline: a dramatiq actor that does nothing, on the product's broker settings."""

import os

import dramatiq

from workers.broker import make_broker

QUEUE = "bench"

broker = make_broker(os.environ["LEITAI_REDIS_URL"])
broker.declare_queue(QUEUE)
dramatiq.set_broker(broker)


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def noop(n: int) -> None:
    pass
