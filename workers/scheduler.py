"""The scheduler: one process sends the daily job, on the town's clock (Asia/Shanghai)."""

import logging
from datetime import date

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from service.followups import SHANGHAI, today

from .broker import daily_message

log = logging.getLogger("leitai.scheduler")


def send_daily(broker, day: date | None = None) -> None:
    """The job is keyed by its day; sending it twice issues nothing new (the follow-ups have fixed ids)."""
    day = day or today()
    broker.enqueue(daily_message(day.isoformat()))
    log.info("daily job sent for %s", day)


def run(broker, hour: int = 8) -> None:
    scheduler = BlockingScheduler(timezone=SHANGHAI)
    scheduler.add_job(send_daily, CronTrigger(hour=hour, minute=0, timezone=SHANGHAI), args=[broker],
                      misfire_grace_time=3600, coalesce=True)
    send_daily(broker)  # a day missed while the scheduler was down still gets its reminders
    scheduler.start()
