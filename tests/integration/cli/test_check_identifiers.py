"""`pustaka check` names the identifiers' prefix and refuses a counter that would give a number twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from cli.check_identifiers import check_identifiers
from library.errors import SettingsError
from library.models import IdentifierCounter
from library.settings import Settings
from runtime.root import Runtime
from tests.demo_fixtures import clone_instance


def test_the_line_names_the_prefix_and_the_repository(demo_instance: Path, tmp_path: Path) -> None:
    rt = Runtime(Settings.from_env({}, instance_dir=clone_instance(demo_instance, tmp_path / "i")))
    line = check_identifiers(rt)
    rt.close()
    assert line.ok
    assert line.detail == (
        "new publications get http://127.0.0.1:8000/id/bps1872/<number>; "
        "OAI-PMH names the repository pustaka.bps1872"
    )


def test_a_counter_behind_the_numbers_held_is_a_missing_line(demo_instance: Path, tmp_path: Path) -> None:
    rt = Runtime(Settings.from_env({}, instance_dir=clone_instance(demo_instance, tmp_path / "i")))
    with rt.transaction() as uow:
        uow.session.execute(update(IdentifierCounter).values(last_number=1))
    line = check_identifiers(rt)
    rt.close()
    assert not line.ok and line.required
    assert "the counter of bps1872 is at 1, but a publication holds bps1872/" in line.detail


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"pid_prefix": "BPS 1872"}, "PUSTAKA_PID_PREFIX"),
        ({"pid_prefix": "1872"}, "PUSTAKA_PID_PREFIX"),
        ({"pid_prefix": "bps/1872"}, "PUSTAKA_PID_PREFIX"),
        ({"oai_repository_id": "pustaka"}, "PUSTAKA_OAI_REPOSITORY_ID"),
        ({"pid_prefix": "bps.1872"}, "PUSTAKA_OAI_REPOSITORY_ID"),  # pustaka.bps.1872: "1872" is no name
    ],
)
def test_a_prefix_or_repository_name_nobody_could_resolve_is_refused_at_start(
    tmp_path: Path, values: dict[str, str], named: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({}, instance_dir=tmp_path, **values)
    assert named in refused.value.message


def test_the_prefix_defaults_to_the_office_code_and_the_repository_to_the_prefix(tmp_path: Path) -> None:
    settings = Settings.from_env({"PUSTAKA_OFFICE": "1807"}, instance_dir=tmp_path)
    assert (settings.identifier_prefix, settings.oai_repository) == ("bps1807", "pustaka.bps1807")
