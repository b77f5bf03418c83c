"""A lease holder's name lets a process on the same machine tell, for certain, that the holder has ended."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from library.lease_holders import Holder, is_gone, this_process
from tests.waiting import wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")

NAME_AND_WAIT = "from library.lease_holders import this_process; print(this_process(), flush=True); input()"


def start_holder() -> tuple[subprocess.Popen[str], str]:
    """Start a process that says its holder name, then waits for a line."""
    process = subprocess.Popen(
        [sys.executable, "-c", NAME_AND_WAIT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_this_process_is_named_so_its_name_reads_back_and_it_is_alive() -> None:
    me = this_process()
    assert Holder.parse(str(me)) == me
    assert me.started > 0 and len(me.space) == 8
    assert not is_gone(str(me))


def test_a_live_process_on_this_machine_is_not_gone() -> None:
    process, name = start_holder()
    try:
        assert not is_gone(name)
    finally:
        process.communicate("\n")


def test_a_process_that_has_ended_is_gone() -> None:
    process, name = start_holder()
    process.communicate("\n")
    assert is_gone(name)


def test_a_killed_process_not_yet_collected_by_its_parent_is_gone() -> None:
    process, name = start_holder()
    process.kill()
    try:
        # a zombie: ended, its exit status not collected yet
        wait_until(lambda: state(process.pid) == "Z", timeout=30, message="the killed holder never ended")
        assert is_gone(name)
    finally:
        process.communicate()


def test_a_new_process_given_the_holders_pid_is_not_taken_for_the_holder() -> None:
    me = this_process()
    earlier = Holder(me.host, me.pid, me.started - 1, me.space)
    assert is_gone(str(earlier))


@pytest.mark.parametrize(
    "name",
    [
        "elsewhere:999999:12345:{space}",  # another machine: its pids cannot be checked from here
        "{host}:999999:12345:0badcafe",  # this host name, another container or an earlier boot
        "{host}:999999",  # a name from before holders were named this way
        "{host}:999999:0:{space}",  # the start time was not known
        "",
    ],
    ids=["other-host", "other-pid-space", "old-name", "unknown-start", "nobody"],
)
def test_a_holder_that_cannot_be_checked_from_here_is_not_known_dead(name: str) -> None:
    me = this_process()
    assert not is_gone(name.format(host=me.host, space=me.space))


def test_a_holder_whose_process_is_hidden_from_us_is_not_known_dead(monkeypatch: pytest.MonkeyPatch) -> None:
    process, name = start_holder()
    real = Path.read_text

    def hidden(path: Path, *args: object, **kwargs: object) -> str:
        if path.name == "stat" and path.parent.name == str(process.pid):
            raise PermissionError(13, "Permission denied")  # /proc mounted with hidepid
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    try:
        monkeypatch.setattr(Path, "read_text", hidden)
        assert not is_gone(name)
    finally:
        monkeypatch.undo()
        process.communicate("\n")
