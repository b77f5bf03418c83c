"""The order a first stamp asks for its pages' ink in: those other processes measured first, as they come."""

from __future__ import annotations

from collections.abc import Iterator

from watermark.ink.pageinks import PageInks
from watermark.ink.room import Ink
from watermark.pdf.pagebox import PageBox

BOX = PageBox(595.0, 842.0, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))


class Others:
    """Processes measuring ahead, answering the pages of `turns` one list per time they are asked."""

    def __init__(self, turns: list[list[int]], running: bool = True) -> None:
        self.turns = turns
        self.running = running

    def answers(self, index: int | None = None) -> Iterator[tuple[int, PageBox, float, float, Ink | None]]:
        for page in self.turns.pop(0) if self.turns else []:
            yield page, BOX, BOX.width, BOX.height, Ink.everywhere(BOX.width, BOX.height)

    def close(self) -> None:
        pass


def test_pages_answered_by_others_come_first_and_this_process_goes_on_from_the_front() -> None:
    inks = PageInks(b"", measuring=Others([[9, 8], [], [5]]))  # type: ignore[arg-type]
    assert list(inks.in_turn(list(range(10)))) == [9, 8, 0, 5, 1, 2, 3, 4, 6, 7]


def test_a_page_chosen_twice_is_turned_to_at_each_place_once() -> None:
    inks = PageInks(b"", measuring=Others([[3]]))  # type: ignore[arg-type]
    assert list(inks.in_turn([3, 1, 3])) == [0, 2, 1]


def test_without_others_the_pages_come_in_their_order() -> None:
    inks = PageInks(b"", measuring=Others([[2]], running=False))  # type: ignore[arg-type]
    assert list(inks.in_turn([4, 2, 0])) == [0, 1, 2]
