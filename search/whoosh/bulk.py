"""Whoosh's multi-process writer, made safe for a whole rebuild: nothing lost, nothing left hanging.

Whoosh's `MpWriter` farms documents out to one process per core, each writing a segment of
its own. As shipped it trusts its processes: one that dies (a bug, memory, a full disk) takes
its documents with it and the commit goes on without them; if every one dies, the writer
blocks for ever on its full job queue; and if the writer itself is killed, its processes
wait for work for ever, holding the index's write lock (a file lock they inherited).

`BulkWriter` checks its processes at each hand-over and before the commit (a process gone
wrong fails the rebuild: the old index stays), never blocks on the queue without looking at
them, and its processes end with the process that started them (Linux's parent-death signal,
or a look at their parent while they wait).
"""

from __future__ import annotations

import gc
import pickle
import queue

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

from search.engine import SearchError
from search.processes import die_with_parent
from search.whoosh.segment import TermSegmentWriter

HAND_OVER_SECONDS = 1.0  # how long a job waits for room on the queue before the processes are checked
MAX_PROCS = 4  # each process holds its own posting pool (limitmb): more cores are left to the rest


class BulkWriteFailed(SearchError):
    """A process writing part of the index ended before its part was written."""


class BulkWriter(MpWriter):
    """`MpWriter` that fails, instead of losing documents or blocking, when a process dies."""

    def __init__(self, ix, procs: int, batchsize: int = 8, **kwargs) -> None:  # noqa: ANN001 (a Whoosh index)
        # Each process writes a segment of its own (Whoosh's "multisegment"): no merge at the end.
        super().__init__(ix, procs=procs, batchsize=batchsize, multisegment=True, **kwargs)
        self.docbuffer: list[tuple[int, dict]] = []

    def _new_task(self) -> SubWriterTask:
        task = _EndingWithParent(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        # Whoosh's own, but the job is handed over by `_hand_over`, which never blocks blindly.
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as out:
            for item in self.docbuffer:
                pickle.dump(item, out, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._hand_over((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _hand_over(self, job: tuple[str, int] | None) -> None:
        while True:
            self.check()
            try:
                self.jobqueue.put(job, timeout=HAND_OVER_SECONDS)
                return
            except queue.Full:
                continue

    def check(self) -> None:
        """Raise BulkWriteFailed if a process ended with an error or was killed."""
        failed = [task.exitcode for task in self.tasks if task.exitcode not in (None, 0)]
        if failed:
            raise BulkWriteFailed(f"an indexing process ended with exit code {failed[0]}")

    def _commit(self, mergetype, optimize, merge) -> None:  # noqa: ANN001 (Whoosh's signature)
        # Whoosh's MpWriter._commit (multisegment), checking that every process wrote its part.
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._hand_over(None)  # no more work
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        for task in self.tasks:
            task.join()
        self.check()
        results = []
        for _ in self.tasks:  # each put its segment on the queue before it ended
            try:
                results.append(self.resultqueue.get(timeout=HAND_OVER_SECONDS))
            except queue.Empty:
                raise BulkWriteFailed("an indexing process ended without its segment") from None
        finalsegments += [segment for _, _, segment in results]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()

    def stop_tasks(self) -> None:
        """End the processes (after a failure), before the writer lets go of the index."""
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join()


class _EndingWithParent(SubWriterTask):
    """Whoosh's indexing process, ended when the process that started it ends, writing a term at a time."""

    def run(self) -> None:
        # Whoosh's SubWriterTask.run (multisegment), with a TermSegmentWriter.
        die_with_parent()
        # No cyclic garbage collection: the pool's millions of lists had the collector walk them
        # again and again (a fifth of the time), and indexing leaves almost no cycles behind (13
        # objects after 3,000 pages); the process ends when its segment is written.
        gc.disable()
        ix = self.storage.open_index(self.indexname)
        self.writer = TermSegmentWriter(ix, _lk=False, **self.kwargs)  # the parent holds the lock
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            self.writer.cancel()
            return
        segment = self.writer._finalize_segment()
        self.resultqueue.put((None, self.writer.pool.fieldnames, segment), timeout=5)
