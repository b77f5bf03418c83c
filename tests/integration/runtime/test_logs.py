"""Every process's log lines: time, level, process and request; on standard error and in the log file."""

from __future__ import annotations

import io
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from cli import main
from cli.log_check import log_file_state
from library.settings import Settings
from runtime.logs import NO_REQUEST, REQUEST_ID, configure_logging
from runtime.root import Runtime
from tests.log_state import kept_logging

LINE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d) (?P<level>[A-Z]+) "
    r"(?P<process>.+)\[(?P<pid>\d+)\] (?P<request>\S+) (?P<logger>\S+): (?P<message>.*)$"
)


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    # Outside any request: a test client's response an earlier test left unclosed keeps its id
    # set in this thread (a server closes every response, which sets it back).
    token = REQUEST_ID.set(NO_REQUEST)
    with kept_logging():
        yield
    REQUEST_ID.reset(token)


def lines_of(path: Path) -> list[dict[str, str]]:
    """Return the log file's lines, each split into its parts (failing on a line of another form)."""
    found = []
    for line in path.read_text().splitlines():
        match = LINE.match(line)
        assert match, line
        found.append(match.groupdict())
    return found


def test_a_line_says_when_how_severe_which_process_and_which_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    configure_logging(Settings.from_env({}, instance_dir=tmp_path), "pustaka web 2")
    logging.getLogger("pustaka.test").warning("Outside a request.")
    token = REQUEST_ID.set("0a1b2c3d4e5f6a7b")
    try:
        logging.getLogger("pustaka.test").info("Inside one.")
    finally:
        REQUEST_ID.reset(token)
    first, second = (LINE.match(line) for line in stderr.getvalue().splitlines())
    assert first and second, stderr.getvalue()
    assert (first["level"], first["process"], first["pid"], first["request"]) == (
        "WARNING",
        "pustaka web 2",
        str(os.getpid()),
        "-",
    )
    assert (second["level"], second["request"], second["message"]) == (
        "INFO",
        "0a1b2c3d4e5f6a7b",
        "Inside one.",
    )


def test_the_log_level_setting_holds_back_less_severe_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    configure_logging(Settings.from_env({"PUSTAKA_LOG_LEVEL": "warning"}, instance_dir=tmp_path))
    logging.getLogger("pustaka.test").info("Not written.")
    logging.getLogger("pustaka.test").warning("Written.")
    assert "Not written" not in stderr.getvalue() and "Written." in stderr.getvalue()


def test_a_log_level_that_is_none_of_the_four_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="PUSTAKA_LOG_LEVEL"):
        Settings.from_env({"PUSTAKA_LOG_LEVEL": "verbose"}, instance_dir=tmp_path)


def test_the_log_file_gets_each_request_s_line_with_its_id(
    tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    log_file = tmp_path / "logs" / "pustaka.log"
    log_file.parent.mkdir()
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance", log_file=str(log_file))
    configure_logging(settings, "pustaka web 1")
    response = make_app(settings).test_client().get("/healthz?x=1", buffered=True)
    response = make_app(settings).test_client().get("/tidak-ada/?q=sensus", buffered=True)
    [line] = [one for one in lines_of(log_file) if one["logger"] == "pustaka.access"]
    assert line["request"] == response.headers["X-Request-ID"]
    assert line["process"] == "pustaka web 1" and line["message"].startswith(
        "GET /tidak-ada/?q=sensus status=404 "
    )


def test_the_log_file_is_made_again_after_logrotate_moved_it(tmp_path: Path) -> None:
    log_file = tmp_path / "pustaka.log"
    configure_logging(Settings.from_env({}, instance_dir=tmp_path, log_file=str(log_file)))
    logging.getLogger("pustaka.test").warning("Before the rotation.")
    log_file.rename(tmp_path / "pustaka.log.1")
    logging.getLogger("pustaka.test").warning("After it.")
    assert [line["message"] for line in lines_of(log_file)] == ["After it."]
    assert [line["message"] for line in lines_of(tmp_path / "pustaka.log.1")] == ["Before the rotation."]


def test_threads_logging_at_once_write_whole_lines_and_lose_none(tmp_path: Path) -> None:
    log_file = tmp_path / "pustaka.log"
    configure_logging(Settings.from_env({}, instance_dir=tmp_path, log_file=str(log_file)))
    logger = logging.getLogger("pustaka.test")
    start = threading.Barrier(8)

    def lines(thread: int) -> None:
        start.wait()  # all at once: their lines are made and written side by side
        for number in range(200):
            logger.warning("Thread %d line %d %s.", thread, number, "x" * (number % 50))

    threads = [threading.Thread(target=lines, args=(thread,)) for thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = [line["message"] for line in lines_of(log_file)]  # each whole, of the line's form
    assert sorted(written) == sorted(
        f"Thread {thread} line {number} {'x' * (number % 50)}."
        for thread in range(8)
        for number in range(200)
    )


def test_setting_up_twice_writes_each_line_once(tmp_path: Path) -> None:
    log_file = tmp_path / "pustaka.log"
    settings = Settings.from_env({}, instance_dir=tmp_path, log_file=str(log_file))
    configure_logging(settings)
    configure_logging(settings)
    logging.getLogger("pustaka.test").warning("Once.")
    assert [line["message"] for line in lines_of(log_file)] == ["Once."]


def test_check_says_whether_the_log_file_can_be_written(tmp_path: Path) -> None:
    def checked(log_file: str) -> tuple[bool, str]:
        found = log_file_state(Settings.from_env({}, instance_dir=tmp_path, log_file=log_file))
        return found.ok, found.detail

    assert checked("") == (True, "none: standard error only (journald under systemd)")
    assert checked(str(tmp_path / "pustaka.log")) == (
        True,
        f"{tmp_path / 'pustaka.log'} will be made (its folder is writable)",
    )
    assert checked(str(tmp_path / "nowhere" / "pustaka.log"))[0] is False
    assert checked(str(tmp_path)) == (False, f"{tmp_path} is a folder, not a file")


def test_pustaka_check_flags_a_log_file_it_cannot_write(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {}, instance_dir=tmp_path / "instance", log_file=str(tmp_path / "no" / "p.log")
    )
    rt = Runtime(settings)
    try:
        assert CliRunner().invoke(main, ["db", "upgrade"], obj=rt).exit_code == 0
        result = CliRunner().invoke(main, ["check"], obj=rt)
    finally:
        rt.close()
    assert (
        f"[MISSING] log file: {tmp_path / 'no' / 'p.log'}: its folder {tmp_path / 'no'} does not exist"
        in result.output
    )
    assert result.exit_code == 1
