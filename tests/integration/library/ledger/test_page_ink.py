"""A publication's page ink is measured once, kept beside its file, and reused by every copy after."""

from __future__ import annotations

import shutil

import numpy as np
import pikepdf
import pytest

from library.filestore import FileStore
from library.intake.access_copies import do_measure_ink
from library.ledger.deliveries import deliverable_file
from library.ledger.page_ink import FOLDER, ink_path, load_ink
from library.uow import UnitOfWork
from tests.integration.library import ledger_helpers
from tests.integration.library.ledger_helpers import deliver
from watermark.ink.inkmap import InkMap
from watermark.ink.room import Ink
from watermark.pdf.pagebox import displayed_box

publication_id = ledger_helpers.publication_id  # the shared fixture: one demo publication of three pages


def source_of(uow: UnitOfWork, publication_id: int) -> str:
    with uow:
        return deliverable_file(uow, publication_id).sha256


def forget_ink(store: FileStore) -> None:
    """Make the instance look as before ink was kept."""
    shutil.rmtree(store.root / FOLDER)


def test_an_ingested_publication_has_its_ink_kept_and_its_copies_render_no_page(
    uow, store, publication_id, renders
) -> None:
    sha256 = source_of(uow, publication_id)
    assert len(load_ink(store, sha256)) == 3
    deliver(uow, store, publication_id)
    deliver(uow, store, publication_id, pages=(2, 3))
    assert renders == []


def test_the_first_copy_of_a_publication_taken_in_before_measures_and_keeps_its_pages(
    uow, store, publication_id, renders
) -> None:
    forget_ink(store)
    deliver(uow, store, publication_id)
    assert renders == [0, 1, 2]
    deliver(uow, store, publication_id)
    assert renders == [0, 1, 2]


def test_a_page_range_copy_measures_only_the_pages_it_takes(uow, store, publication_id, renders) -> None:
    forget_ink(store)
    deliver(uow, store, publication_id, pages=(2,))
    deliver(uow, store, publication_id, pages=(2, 3))
    assert renders == [1, 2]
    assert load_ink(store, source_of(uow, publication_id)).missing() == [0]


def blank_ink(store: FileStore, source: str, sha256: str, size: int) -> InkMap:
    """Return ink that says every page of the stored `source` is blank paper, as kept for `sha256`, `size`."""
    with pikepdf.open(store.path_for(source)) as pdf:
        boxes = [displayed_box(page.obj) for page in pdf.pages]
    blank = InkMap(len(boxes), sha256, size)
    for index, box in enumerate(boxes):
        blank.add(index, box, Ink(np.zeros((20, 10), dtype=bool), box.width / 10, box.height / 20))
    return blank


@pytest.mark.parametrize("lie", ["digest", "size"])
def test_ink_kept_for_another_file_is_not_trusted(uow, store, publication_id, renders, lie) -> None:
    sha256 = source_of(uow, publication_id)
    size = store.path_for(sha256).stat().st_size
    ink_path(store, sha256).write_bytes(blank_ink(store, sha256, sha256, size).to_bytes())
    assert len(load_ink(store, sha256)) == 3  # kept for this very file, it would be trusted
    other = ("0" * 64, size) if lie == "digest" else (sha256, size + 1)
    ink_path(store, sha256).write_bytes(blank_ink(store, sha256, *other).to_bytes())
    assert len(load_ink(store, sha256)) == 0
    deliver(uow, store, publication_id)
    assert renders == [0, 1, 2]


def test_a_copy_is_made_even_when_its_ink_cannot_be_kept(uow, store, publication_id, renders) -> None:
    forget_ink(store)
    (store.root / FOLDER).write_text("not a folder")
    deliver(uow, store, publication_id)
    deliver(uow, store, publication_id)
    assert renders == [0, 1, 2, 0, 1, 2]


def test_measuring_the_publications_taken_in_before_finds_nothing_to_do_the_second_time(
    uow, store, publication_id, renders
) -> None:
    forget_ink(store)
    factory = uow._session_factory
    first = list(do_measure_ink(factory, store))
    second = list(do_measure_ink(factory, store))
    assert [(r.publication_id, r.outcome, r.pages) for r in first] == [(publication_id, "measured", 3)]
    assert [(r.outcome, r.pages) for r in second] == [("current", 0)]
    deliver(uow, store, publication_id)
    assert renders == [0, 1, 2]
