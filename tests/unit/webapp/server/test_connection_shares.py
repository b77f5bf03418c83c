"""Web processes take turns at the shared socket: the rule each applies before it accepts."""

from __future__ import annotations

from webapp.server.connection_shares import FRESH_SECONDS, SLACK, ConnectionShares


def test_a_process_beyond_the_slack_waits_and_the_least_loaded_never_does() -> None:
    shares = ConnectionShares(3)
    assert shares.may_accept(0, 10, now=100.0)
    assert shares.may_accept(1, 10 + SLACK, now=100.0)  # within the slack of process 0
    assert shares.may_accept(2, 10 + SLACK, now=100.0)
    assert not shares.may_accept(1, 12, now=100.1)  # it took one: more than the slack above process 0
    assert shares.may_accept(0, 10, now=100.1)  # the least loaded always may
    assert shares.may_accept(0, 11, now=100.2)  # it took one: process 1 is still ahead by more
    assert shares.may_accept(1, 12, now=100.3)  # now within the slack of the least loaded (11)


def test_a_process_that_stopped_looking_is_left_out() -> None:
    shares = ConnectionShares(2)
    assert shares.may_accept(0, 2, now=50.0)  # counted, then dead or hung
    assert not shares.may_accept(1, 2 + SLACK + 1, now=50.0 + FRESH_SECONDS)
    assert shares.may_accept(1, 2 + SLACK + 1, now=50.0 + FRESH_SECONDS + 0.01)


def test_one_process_alone_always_accepts() -> None:
    assert ConnectionShares(1).may_accept(0, 500)
