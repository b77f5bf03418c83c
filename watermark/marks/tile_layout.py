"""Where a tiled code's sync and payload cells lie: fixed by a seed, the same for every tile, without NumPy.

`watermark.marks.tile_code` (the reader's picture code) and `watermark.marks.print_code` (the
delivered PDF's printed code) both cut a tile into cells, half of them a sync pattern and half
carrying bits, scattered by NumPy's generator from the spec's seed. A stamp lays the cells
without loading NumPy: `watermark.marks.pcg` draws what NumPy's generator draws.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from watermark.marks.pcg import Generator


class TileSpec(NamedTuple):
    """The shape of a tiled code: cells a side of its tile, bits it spells, and the seed of its layout."""

    cells: int
    bits: int
    seed: int


class CellLayout(NamedTuple):
    """Per cell, rows from the tile's top: is it sync, its sync sign, the bit it carries, its whitening."""

    is_sync: tuple[bool, ...]
    sync: tuple[int, ...]  # ±1
    bit_of: tuple[int, ...]  # -1 for a sync cell
    whitening: tuple[int, ...]  # ±1

    def signs(self, bits: list[int]) -> list[int]:
        """Return each cell's sign (±1) for payload `bits` (±1): the sync's, or its bit's whitened."""
        return [
            sync if is_sync else bits[bit] * white
            for is_sync, sync, bit, white in zip(
                self.is_sync, self.sync, self.bit_of, self.whitening, strict=True
            )
        ]


@lru_cache(maxsize=4)
def cell_layout(spec: TileSpec) -> CellLayout:
    """Return the layout of a spec's tile: half the cells sync, the rest the bits in turn, scattered."""
    count = spec.cells * spec.cells
    draws = Generator(spec.seed)
    order = draws.permutation(count)
    is_sync = [False] * count
    for cell in order[: count // 2]:
        is_sync[cell] = True
    sync = [(-1, 1)[k] for k in draws.integers(2, count)]
    bit_of = [-1] * count
    for index, cell in enumerate(order[count // 2 :]):
        bit_of[cell] = index % spec.bits
    whitening = [(-1, 1)[k] for k in draws.integers(2, count)]
    return CellLayout(tuple(is_sync), tuple(sync), tuple(bit_of), tuple(whitening))
