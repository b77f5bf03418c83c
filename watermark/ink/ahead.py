"""Pages measured ahead in forked processes, for a command someone waits on.

The engine's command line stamps a publication nobody measured before: every page must be
measured (about 0.3 ms of PDFium reading and drawing a page's foot) and stamped (0.15 ms). Forked
processes measure shares of the pages while this one measures its own share and stamps every
page, collecting the others' answers as it goes: its share is smaller, by what
stamping every page costs it (`split`), so that all finish together. A child answers in chunks
(`watermark.ink.forked`: what a child runs and sends), which this process drains whenever it
asks for a page, so a child never waits on a full pipe for long.

The command line starts them before it loads pikepdf or opens the document itself
(`measure_ahead`, `Ahead.start_early`, `watermark.ink.claiming`): each counts the pages with
PDFium and claims chunks of them from the back (`watermark.ink.claims`: no share is fixed, so a
process the scheduler starves of CPU holds up no other) and measures them at the sizes PDFium
reads, while this process opens the document, reads the pages' boxes and makes the stamp's
parts; then it takes them on (`Ahead.adopt`) if it counts the same pages, stamps the pages they
answered as they come in and, when none waits, claims the next page from the front that no
other did (`watermark.ink.pageinks.PageInks.in_turn`), and checks each answer's size against the
page's displayed box. So this process measures only when it has nothing measured to stamp.

Only a file on disk is shared so, and only a process running one thread forks (a fork copies
one thread: a lock another thread held would stay taken in the child). A child that fails ends
silently; the pages it did not answer are measured here when asked for. The library's copies
never fork: they run beside the web pages, which the other cores serve.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from watermark.ink.claims import Claims

if TYPE_CHECKING:  # NumPy and pikepdf: a command line forks these processes before it loads them
    from multiprocessing.connection import Connection

    from watermark.ink.room import Ink
    from watermark.pdf.pagebox import PageBox

SHARE_PAGES = 64  # pages to measure per process, at least: a fork and a document opened again
# cost about what measuring a few dozen pages does
MAX_PROCESSES = 8  # however many cores: each process opens the document again
STAMP_COST = 0.16  # stamping a page beside measuring one: 0.08 and 0.28 were no faster (benchmarks/stamp.py)
# What a child runs: measure (index, width, height) of a file, foot alone or not; answer in chunks.
Measurer = Callable[["Connection", str, list[tuple[int, float, float]], bool], None]
# What a child started early runs: as process `number` of `processes`, measure the pages of a file it claims.
ClaimMeasurer = Callable[["Connection", str, Claims, int, int], None]
Item = TypeVar("Item")


def measure_ahead(source: str | os.PathLike[str], processes: int, measurer: ClaimMeasurer) -> Ahead:
    """Start processes measuring a first stamp's pages of the file `source` now, before it is opened here.

    For the engine's command line, which stamps a publication nobody measured: the others run
    `measurer` (`watermark.ink.claiming.measure_claims_into`) while this process loads what it
    stamps with, opens the document and makes the stamp's parts. Hand them to `page_inks`
    (through `stamp_pdf`), and close them when done; none start for one process, a process
    running threads, or a source that is not a plain file.
    """
    measuring = Ahead()
    if processes >= 2 and may_fork() and os.path.isfile(source):
        measuring.start_early(os.fspath(source), processes, measurer)
    return measuring


def may_fork() -> bool:
    """Tell whether this process may fork: it can, and runs one thread (the child gets only that one)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def shares(missing: list[Item], processes: int) -> list[list[Item]]:
    """Split the pages to measure among at most `processes` (`split`), giving each SHARE_PAGES at least.

    One share (this process's, all the pages) when there are too few to share.
    """
    processes = min(processes, MAX_PROCESSES, len(missing) // SHARE_PAGES)
    return split(missing, processes) if processes >= 2 else [missing]


def split(missing: list[Item], processes: int) -> list[list[Item]]:
    """Split the pages to measure: this process's share first, then one per other process.

    This process also stamps every page, so its share is smaller by what that costs: with
    `processes` p and stamping at c of a measure, it measures n(1 - c(p - 1))/p pages, never
    fewer than none, and the others share the rest alike. Its share comes first, so it stamps
    its own pages while the others measure theirs.

    Others started early (`Ahead.start_early`) share alike: what they measure before this one
    begins is not counted in pages, for a page of a scan costs forty of text (a head start of
    about 0.15 s counted as 700 pages of text was 2 % quicker at 5,000 such pages, and made a
    scanned publication 1.4x slower, its one other process measuring every page).
    """
    own = max(0, round(len(missing) * (1 - STAMP_COST * (processes - 1)) / processes))
    rest = missing[own:]
    others = min(processes - 1, len(rest)) or 1
    size, larger = divmod(len(rest), others)  # the first `larger` shares take one page more
    parts, start = [missing[:own]], 0
    for number in range(others):
        end = start + size + (number < larger)
        parts.append(rest[start:end])
        start = end
    return [parts[0]] + [share for share in parts[1:] if share]


class _Child:
    """A forked process measuring a share of the pages, and how far its answers were read."""

    __slots__ = ("share", "process", "reader", "waiting", "answered", "failed", "claiming", "ended")

    def __init__(
        self,
        share: list[tuple[int, PageBox]] | None,  # None: started early, not yet taken on
        process: Any,
        reader: Connection,
        waiting: Any,  # a poll object on `reader`: one system call, where `reader.poll()` makes a dozen
    ) -> None:
        self.share, self.process, self.reader, self.waiting = share, process, reader, waiting
        self.answered = 0  # pages of the share answered so far
        self.failed = False
        self.claiming = False  # taken on from an early start: it answers the pages it claims, then ends
        self.ended = False  # a claiming process sent all it had to and closed its end

    def has_answer(self) -> bool:
        """Tell whether an answer (or the end of the pipe) waits to be read, without waiting."""
        return bool(self.waiting.poll(0))

    @property
    def answered_all(self) -> bool:
        return not self.claiming and self.share is not None and self.answered == len(self.share)

    @property
    def done(self) -> bool:
        return self.failed or self.ended or self.answered_all


class Ahead:
    """The processes measuring ahead, and the pages they still owe."""

    def __init__(self) -> None:
        self._children: list[_Child] = []
        self._owed: dict[int, _Child] = {}
        self._early = 0  # processes sharing the pages when the children were started early
        self._early_source = ""  # the file they measure
        self._claims: Claims | None = None  # who measures which page, once the early ones are taken on
        self._boxes: list[PageBox] = []  # the displayed boxes of the pages they claim
        self._got: set[int] = set()  # pages they claimed and answered

    @property
    def early(self) -> bool:
        """Tell whether processes started early wait to be taken on (`adopt`)."""
        return any(child.share is None for child in self._children)

    @property
    def running(self) -> bool:
        """Tell whether processes measure pages ahead (taken on, not all done)."""
        return any(child.share is not None and not child.done for child in self._children)

    def start(
        self, source: str, foot_only: bool, shares: list[list[tuple[int, PageBox]]], measurer: Measurer
    ) -> None:
        """Fork a process to measure each share; a share no process could be had for is measured here."""
        for share in shares:
            plain = [(i, box.width, box.height) for i, box in share]
            child = self._fork(measurer, (source, plain, foot_only), share)
            if child is None:
                return  # the pages are measured here when asked for
            self._owed.update((index, child) for index, _ in share)

    def start_early(self, source: str, processes: int, measurer: ClaimMeasurer) -> None:
        """Fork `processes` - 1 processes to measure a first stamp's pages, before they are known here.

        Child `number` counts the pages, answers the count, then claims chunks of the pages
        from the back (`Claims.take_chunk`) and answers each at the sizes it reads; `adopt`
        takes them on.
        """
        self._early, self._early_source = min(processes, MAX_PROCESSES), source
        self._claims = Claims()
        for number in range(1, self._early):
            if self._fork(measurer, (source, self._claims, number, self._early), None) is None:
                return

    def adopt(self, source: str, boxes: list[PageBox]) -> bool:
        """Take on the shares of the processes started early, for the file `source` of displayed `boxes`.

        They are taken on if they measure that file and each counted as many pages. If not (a
        repaired copy is stamped instead, PDFium cannot open the file or reads it otherwise than
        qpdf), all are ended and False returned: the pages are shared as though none had started.
        """
        early = [child for child in self._children if child.share is None]
        counts = []
        if source == self._early_source:
            for child in early:
                try:
                    counts.append(child.reader.recv())
                except Exception:  # noqa: BLE001 - EOF, a broken message: the process failed
                    break
        if not early or counts != [len(boxes)] * len(early):
            self.close()
            return False
        self._boxes = boxes
        for child in early:
            child.share, child.claiming = [], True
        return True

    def take(self, index: int) -> bool:
        """Tell whether page `index` is this process's to measure (or is answered): claim it if nobody did.

        False while another process owes it (`answers(index)` waits for it).
        """
        if self._claims is None or not self._boxes:
            return not self.owes(index)
        if index in self._got:  # answered: no lock to take (the pages others answered are most)
            return True
        if self._claims.take(index) == 0:
            return True
        return not self.owes(index)

    def _fork(self, measurer: Callable[..., None], args: tuple, share: list | None) -> _Child | None:
        """Fork a process running `measurer(writer, *args)`; None if no process could be had."""
        import multiprocessing  # loaded by what forks: a first stamp read from its content never does

        context = multiprocessing.get_context("fork")
        try:
            reader, writer = context.Pipe(duplex=False)
        except OSError:
            return None  # no descriptors left
        process = context.Process(target=measurer, args=(writer, *args), daemon=True)
        try:
            process.start()
        except OSError:  # a process limit, no memory
            reader.close()
            return None
        finally:
            writer.close()
        waiting = select.poll()
        waiting.register(reader.fileno(), select.POLLIN)
        child = _Child(share, process, reader, waiting)
        self._children.append(child)
        return child

    def owes(self, index: int) -> bool:
        """Tell whether page `index` is being measured by another process."""
        if self._claims is not None and self._boxes:
            number = self._claims.owner(index)
            if number == 0 or index in self._got or number > len(self._children):
                return False
            return not self._children[number - 1].done
        return index in self._owed

    def answers(self, index: int | None = None) -> Iterator[tuple[int, PageBox, float, float, Ink | None]]:
        """Yield what the processes have answered: all there is now, and, given `index`, until it is in.

        Each answer is a page's index, displayed box, the size it was measured at and its ink.
        A process that fails (it ends without answering) owes nothing more: its pages are
        measured here when asked for.
        """
        waited = self._owed.get(index) if index is not None else None  # the process owing `index`
        if self._claims is not None and self._boxes:
            yield from self._claimed(index)
            return
        for child in self._children:
            if child.share is None:
                continue  # started early, not taken on
            while not child.done and (child.has_answer() or (child is waited and index in self._owed)):
                pages = child.share[child.answered :]
                # Loaded with the first answer: a stamp whose feet are read here has none.
                from watermark.ink.answers import unpacked

                try:
                    chunk = child.reader.recv()
                    sized = [(width, height, unpacked(measured)) for width, height, measured in chunk]
                    sized = sized[: len(pages)]
                except Exception:  # noqa: BLE001 - EOF, a broken pipe or message: the process failed
                    sized = []
                # The whole chunk is taken in before any of it is handed on: a caller that stops
                # half-way leaves its other pages neither owed nor held, so they are measured here.
                child.failed = not sized
                child.answered += len(sized)
                for owed, _ in pages if child.failed else pages[: len(sized)]:
                    if self._owed.get(owed) is child:
                        del self._owed[owed]
                for (owed, box), (width, height, ink) in zip(pages, sized, strict=False):
                    yield owed, box, width, height, ink

    def _claimed(self, index: int | None) -> Iterator[tuple[int, PageBox, float, float, Ink | None]]:
        """Yield what the claiming processes answered: all there is, and, given `index`, until it is in."""
        from watermark.ink.answers import unpacked

        for child in self._children:
            while not child.done and (
                child.has_answer() or (index is not None and self._waits(child, index))
            ):
                try:
                    start, chunk = child.reader.recv()
                    sized = [(width, height, unpacked(measured)) for width, height, measured in chunk]
                except EOFError:  # it claimed nothing more and closed its end: all it claimed is in
                    child.ended = True
                    continue
                except Exception:  # noqa: BLE001 - a broken pipe or message: the process failed
                    child.failed = True
                    continue
                pages = range(start, min(start + len(sized), len(self._boxes)))
                self._got.update(pages)
                for owed, (width, height, ink) in zip(pages, sized, strict=False):
                    yield owed, self._boxes[owed], width, height, ink

    def _waits(self, child: _Child, index: int) -> bool:
        """Tell whether `child` owes page `index` still."""
        assert self._claims is not None
        number = self._claims.owner(index)
        return (
            0 < number <= len(self._children)
            and self._children[number - 1] is child
            and index not in self._got
        )

    def close(self) -> None:
        """End the processes: reaped if they answered everything, killed at once if not (interrupted)."""
        for child in self._children:
            child.reader.close()
            child.process.join(5 if child.answered_all or child.ended else 0)
            if child.process.is_alive():
                child.process.kill()
                child.process.join()
        self._children.clear()
        self._owed.clear()
        self._got.clear()
        self._boxes = []
        if self._claims is not None:
            self._claims.close()
            self._claims = None
