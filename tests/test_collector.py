import gc

import pytest

from service.collector import collector_paused


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
