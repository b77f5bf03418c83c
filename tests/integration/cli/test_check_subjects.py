"""`pustaka check` notes publications whose subject is free text not merged into a controlled subject."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from cli import main
from library.models import Office, Publication
from library.settings import Settings
from library.subjects.vocabulary import apply_subject
from runtime.root import Runtime


def test_check_counts_the_free_text_subjects_as_a_note(tmp_path: Path) -> None:
    rt = Runtime(Settings.from_env({}, instance_dir=tmp_path))
    try:
        assert CliRunner().invoke(main, ["db", "upgrade"], obj=rt).exit_code == 0
        checked = CliRunner().invoke(main, ["check"], obj=rt)
        assert "[ok ] subjects: every publication's subject is a controlled subject" in checked.output
        with rt.transaction() as uow:
            office = uow.session.scalar(select(Office).where(Office.code == "1872"))
            for key, typed in (("a", "kemiskinan"), ("b", "kependudukn"), ("c", "Upah harian")):
                publication = Publication(key=key, title=key, subject=typed, issuing_office=office)
                apply_subject(uow, publication)
                uow.session.add(publication)
        checked = CliRunner().invoke(main, ["check"], obj=rt)
    finally:
        rt.close()
    assert "[note] subjects: 2 publications have free-text subjects not merged" in checked.output
    assert "/meja/subjek" in checked.output
    assert "MISSING] subjects" not in checked.output  # information, never a failure
