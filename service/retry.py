"""Optimistic concurrency: a command that loses a race on a version is run again from the start."""

import random
import time
from functools import wraps

from eventsourcing.persistence import IntegrityError

RETRIES = 200


def retried(method):
    """Optimistic concurrency: on a version clash, load again and retry the whole command."""

    @wraps(method)
    def wrapper(*args, **kwargs):
        for attempt in range(RETRIES):
            try:
                return method(*args, **kwargs)
            except IntegrityError:
                if attempt == RETRIES - 1:
                    raise
                time.sleep(random.uniform(0, 0.001 * min(attempt + 1, 20)))

    return wrapper
