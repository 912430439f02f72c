"""Pairings (结对共建): an advanced village helps a lagging one, meeting offline each month (R12, R14)."""

from uuid import uuid4

import pytest

from domain.errors import InvalidError, RuleError
from domain.pairing import Pairing

ORGANISER = uuid4()


def pairing(from_month="2023-06") -> Pairing:
    return Pairing(town_id=uuid4(), advanced_village_id="v-a", lagging_village_id="v-c", from_month=from_month, by=ORGANISER)


def test_a_village_cannot_pair_with_itself():
    with pytest.raises(InvalidError):
        Pairing(town_id=uuid4(), advanced_village_id="v-a", lagging_village_id="v-a", from_month="2023-06", by=ORGANISER)


def test_the_same_two_villages_make_one_pairing_whichever_leads():
    town_id = uuid4()
    assert Pairing.create_id(town_id, "v-a", "v-c", "2023-06") == Pairing.create_id(town_id, "v-c", "v-a", "2024-01")


def test_only_offline_exchanges_count_towards_a_month():
    pair = pairing()
    pair.record_exchange("2023-06-05", "offline", "观摩积分超市", ORGANISER)
    pair.record_exchange("2023-06-12", "online", "视频交流", ORGANISER)
    pair.record_exchange("2023-06-20", "offline", "共商产业项目", ORGANISER)
    pair.record_exchange("2023-07-03", "offline", "联合主题党日", ORGANISER)
    assert (pair.offline_in("2023-06"), pair.offline_in("2023-07")) == (2, 1)


def test_an_exchange_is_recorded_once():
    pair = pairing()
    pair.record_exchange("2023-06-05", "offline", "观摩积分超市", ORGANISER)
    with pytest.raises(RuleError, match="already recorded"):
        pair.record_exchange("2023-06-05", "offline", "观摩积分超市", ORGANISER)
    assert pair.offline_in("2023-06") == 1


def test_two_different_exchanges_on_the_same_day_both_count():
    pair = pairing()
    pair.record_exchange("2023-06-05", "offline", "上午观摩", ORGANISER)
    pair.record_exchange("2023-06-05", "offline", "下午座谈", ORGANISER)
    assert pair.offline_in("2023-06") == 2


def test_an_exchange_in_an_unknown_mode_is_refused():
    with pytest.raises(InvalidError):
        pairing().record_exchange("2023-06-05", "letter", "书信", ORGANISER)


def test_an_exchange_before_the_pairing_began_is_refused():
    pair = pairing(from_month="2023-06")
    with pytest.raises(RuleError, match="not active on 2023-05-31"):
        pair.record_exchange("2023-05-31", "offline", "提前对接", ORGANISER)
    assert pair.exchanges == []


def test_a_dissolved_pairing_takes_exchanges_until_the_month_before_it_ends():
    pair = pairing(from_month="2023-06")
    pair.dissolve("后进村已摘帽", "2023-09", ORGANISER)
    pair.record_exchange("2023-08-31", "offline", "最后一次交流", ORGANISER)
    with pytest.raises(RuleError, match="not active"):
        pair.record_exchange("2023-09-01", "offline", "解除后交流", ORGANISER)
    assert (pair.active_in("2023-08"), pair.active_in("2023-09")) == (True, False)


@pytest.mark.parametrize("month", ["2023-06", "2023-05"])
def test_a_pairing_is_dissolved_only_from_a_month_after_it_began(month):
    pair = pairing(from_month="2023-06")
    with pytest.raises(RuleError, match="later month"):
        pair.dissolve("误建", month, ORGANISER)
    assert pair.dissolved_on is None


def test_a_pairing_is_dissolved_once():
    pair = pairing()
    pair.dissolve("后进村已摘帽", "2023-09", ORGANISER)
    with pytest.raises(RuleError, match="already dissolved"):
        pair.dissolve("再次解除", "2023-10", ORGANISER)
    assert pair.dissolved_on == "2023-09-01"


def test_a_month_closed_short_of_exchanges_records_the_shortfall():
    pair = pairing()
    pair.record_exchange("2023-06-05", "offline", "观摩积分超市", ORGANISER)
    pair.record_shortfall("2023-06", pair.offline_in("2023-06"), 2, ORGANISER)
    assert pair.shortfalls == {"2023-06": {"offline": 1, "required": 2}}
