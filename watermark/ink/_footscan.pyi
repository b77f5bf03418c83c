"""Types of the compiled foot reader (`_footscan.c`): what `watermark.ink.content_foot` calls."""

from collections.abc import Callable, Sequence

def foot(
    data: bytes,
    resolver: Callable[[int, bytes], object],
    start: tuple[float, float, float, float, float, float],
    width: float,
    height: float,
    rows: int,
    cols: int,
    foot: int,
    annots: Sequence[tuple[float, float, float, float]],
) -> bytes | None: ...
def a85(data: bytes) -> bytes: ...
def pcg64(state: bytes, increment: bytes, count: int) -> tuple[bytes, bytes]: ...
