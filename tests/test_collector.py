import gc

import pytest

from service.collector import collector_paused, settle_startup


def test_the_collector_is_off_during_a_close_and_on_again_after_one_that_failed():
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("the close failed")
    assert gc.isenabled()


def test_a_caller_that_found_the_collector_off_leaves_it_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_settled_process_keeps_its_startup_objects_out_of_the_collectors_reach_and_still_collects_new_cycles():
    startup = {"made": "before"}
    try:
        settle_startup()
        assert gc.get_freeze_count() > 0
        assert not any(o is startup for o in gc.get_objects())
        cycle = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
