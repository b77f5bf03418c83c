"""What identifies the Whoosh index version a search reads, and a cheap test of whether it changed."""

from __future__ import annotations

import os
import time


def index_version(searcher) -> tuple:  # noqa: ANN001 (a Whoosh searcher: untyped)
    """Return what identifies the index version a Whoosh searcher reads.

    Its generation, and its segments' names: an index made anew in the same folder counts
    its generations from 0 again, but in segments of other (random) names.
    """
    segments = (sub.reader().segment() for sub, _ in searcher.leaf_searchers())
    names = (segment.segment_id() for segment in segments if segment is not None)
    return (searcher.reader().generation(), *names)


SETTLED_SECONDS = 2.0  # longer than any file system's timestamp tick


def folder_stamp(folder: str | os.PathLike[str]) -> int | None:
    """Return the folder's modification time if it settled, else None: a cheap "has it changed?".

    A new index version adds files to its folder (Whoosh writes a new table of contents), which
    changes the folder's time: while it stays the same, the version read is still the latest,
    and a stat is all it costs (listing the folder, as Whoosh does, costs a search page ~0.1 ms).
    A time of the last two seconds is not trusted: a change in the same clock tick as an earlier
    one may leave it as it was.
    """
    try:
        modified = os.stat(folder).st_mtime_ns
    except OSError:
        return None
    return modified if time.time() - modified / 1e9 > SETTLED_SECONDS else None
