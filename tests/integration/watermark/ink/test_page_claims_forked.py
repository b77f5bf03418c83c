"""A first stamp's pages claimed by forked processes as they go: every page answered once, whoever is slow."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection

import pytest

from tests.integration.watermark.ink.test_page_inks_measuring import first_stamp_cells, mixed  # noqa: F401
from watermark.ink import ahead
from watermark.ink import claiming as starting
from watermark.ink.claims import Claims

PAGES = 2000


def claiming(answer: Connection, claims: Claims, number: int) -> None:
    """In a forked process: claim chunks from the back until none is left, answering each claimed."""
    claims.begin(PAGES)
    while chunk := claims.take_chunk(number, 7):
        answer.send((chunk.start, chunk.stop))
    answer.close()
    os._exit(0)


def test_processes_claiming_at_once_with_this_one_take_every_page_once() -> None:
    context = multiprocessing.get_context("fork")
    claims = Claims()
    readers, children = [], []
    for number in (1, 2, 3):
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=claiming, args=(writer, claims, number), daemon=True)
        child.start()
        writer.close()
        readers.append((number, reader))
        children.append(child)
    mine = [index for index in range(PAGES) if claims.take(index) == 0]  # racing the others
    owners = dict.fromkeys(mine, 0)
    for number, reader in readers:
        while True:
            try:
                start, stop = reader.recv()
            except EOFError:
                break
            for index in range(start, stop):
                assert index not in owners
                owners[index] = number
                assert claims.owner(index) == number
    for child in children:
        child.join()
    claims.close()
    assert sorted(owners) == list(range(PAGES))
    assert mine == list(range(len(mine)))


def test_pages_claimed_by_a_process_that_ends_without_answering_are_measured_here(
    mixed,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alone = first_stamp_cells(mixed)

    def vanishing(answer: Connection, source: str, claims: Claims, number: int, processes: int) -> None:
        claims.begin(12)
        claims.take_chunk(number, 5)  # the last five pages
        answer.send(12)  # counted, then gone without a word
        os._exit(1)

    monkeypatch.setattr(ahead, "SHARE_PAGES", 1)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    monkeypatch.setattr(starting, "measure_claims_into", vanishing)
    measuring = starting.measure_ahead(mixed, 2)
    try:
        early = first_stamp_cells(mixed, 2, measuring)
    finally:
        measuring.close()
    assert early[1:] == alone[1:]
