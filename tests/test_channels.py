"""The webhook channel keeps its connection to the robot open, and copes when the robot closes it."""

import time
import uuid
from types import SimpleNamespace

import pytest

from workers.channels import WebhookChannel, WebhookError

from .receiver import Receiver


def notice():
    return SimpleNamespace(id=uuid.uuid4(), subject="待评分提醒", body="您还有评分表未提交。")


@pytest.fixture
def robot():
    receiver = Receiver(idle_timeout=0.2)
    yield receiver
    receiver.close()


def test_follow_ups_sent_one_after_another_share_one_connection(robot):
    channel = WebhookChannel(robot.url)
    for _ in range(3):
        channel.send(notice())
    assert len(robot.received) == 3 and len({r["peer"] for r in robot.received}) == 1


def test_a_robot_that_closed_the_kept_connection_still_gets_the_next_follow_up_once(robot, monkeypatch):
    monkeypatch.setattr("workers.channels.IDLE_REUSE", 5)  # reuse what the robot closed after 0.2 s
    channel = WebhookChannel(robot.url)
    first, second = notice(), notice()
    channel.send(first)
    time.sleep(0.6)
    channel.send(second)
    assert robot.counts() == {str(first.id): 1, str(second.id): 1}


def test_after_a_timeout_the_next_follow_up_goes_out_on_a_new_connection(robot):
    channel = WebhookChannel(robot.url, timeout=0.3)
    robot.hold = 0.6
    with pytest.raises(TimeoutError):
        channel.send(notice())
    robot.hold = 0
    channel.send(notice())
    assert len(robot.received) == 2 and robot.received[0]["peer"] != robot.received[1]["peer"]


def test_a_refusal_by_the_robot_is_an_error_and_the_connection_serves_on(robot):
    channel = WebhookChannel(robot.url)
    robot.fail_with = 500
    with pytest.raises(WebhookError, match="HTTP 500"):
        channel.send(notice())
    robot.fail_with = None
    channel.send(notice())
    assert len({r["peer"] for r in robot.received}) == 1
