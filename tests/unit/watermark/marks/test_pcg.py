"""The stamp's draws without NumPy: the same numbers as NumPy's generator, draw for draw."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from watermark.ink import content_foot
from watermark.marks import dots, pcg, print_tile, tile_code
from watermark.marks.pcg import Generator

# Seeds as the codes make them: small fixed ones, and 256-bit HMACs (eight words of entropy,
# more than SeedSequence's pool of four).
SEEDS = [0, 1, 2**32, 2**64 + 5, 20250305, 20261125] + [
    int.from_bytes(hashlib.sha256(bytes([k])).digest(), "big") for k in range(6)
]


@pytest.fixture(params=["compiled", "python"])
def words(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Draw the words with the compiled PCG64 (`_footscan.pcg64`) or with Python's integers."""
    if request.param == "compiled":
        if not content_foot.available():
            pytest.skip("the compiled foot reader was not built")
        assert pcg.compiled(), "the foot reader was built before its generator: run scripts/bootstrap"
    else:
        monkeypatch.setattr(pcg, "_compiled", None)
    return str(request.param)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_draw_the_codes_make_is_numpys(seed: int, words: str) -> None:
    theirs, ours = np.random.default_rng(seed), Generator(seed)
    assert theirs.random(40).tolist() == ours.random(40)
    assert theirs.uniform(0.2, 0.8, size=(30, 2)).ravel().tolist() == ours.uniform(0.2, 0.8, 60)
    # Shuffles and bounded integers draw 32 bits at a time: the half a 64-bit draw leaves is
    # carried from one call to the next, as NumPy carries it.
    assert theirs.permutation(577).tolist() == ours.permutation(577)
    assert theirs.choice(np.array([-1, 1]), 101).tolist() == [(-1, 1)[k] for k in ours.integers(2, 101)]
    assert theirs.integers(0, 1000, 50).tolist() == ours.integers(1000, 50)
    assert theirs.integers(0, 2**32, 5, dtype=np.int64).tolist() == ours.integers(2**32, 5)
    assert theirs.integers(0, 1, 3).tolist() == ours.integers(1, 3)
    # Half the draws below 2**31 + 1 are rejected and drawn again, from the draws made ahead.
    assert theirs.integers(0, 2**31 + 1, 41).tolist() == ours.integers(2**31 + 1, 41)
    assert theirs.permutation(3).tolist() == ours.permutation(3)
    assert theirs.random(3).tolist() == ours.random(3)
    assert theirs.uniform(0.0, 1.0, 1000).tolist() == ours.uniform(0.0, 1.0, 1000)


def test_a_range_it_does_not_draw_like_numpy_is_refused() -> None:
    with pytest.raises(ValueError):
        Generator(-1)
    with pytest.raises(ValueError):
        Generator(7).integers(2**32 + 1, 1)


def test_the_codes_a_stamp_lays_are_the_ones_a_trace_rebuilds_with_numpy() -> None:
    secret = b"the office's secret"
    rng = np.random.default_rng(dots.seed(secret, b"fingerprint-layout"))
    columns, rows = dots.GRID
    cells = np.stack(np.meshgrid(np.arange(columns), np.arange(rows)), axis=-1).reshape(-1, 2)
    places = (cells + rng.uniform(0.2, 0.8, size=(dots.BITS, 2))) / np.array([columns, rows])
    assert np.array_equal(np.array(dots.layout(secret)[0]), places)
    low = np.arcsin(np.sqrt(dots.CUTOFF))
    chances = np.sin(rng.uniform(low, np.pi / 2 - low, size=dots.BITS)) ** 2
    # NumPy's sine may differ from the C library's in the last bit: the chances agree to that.
    assert np.allclose(dots.layout(secret)[1], chances, rtol=1e-15, atol=0)
    copy = np.random.default_rng(dots.seed(secret, b"fingerprint-copy:K7Q2M9WX3TPD"))
    assert dots.codeword(secret, "K7Q2M9WX3TPD") == (copy.random(dots.BITS) < chances).tolist()
    for spec in (tile_code.READER, print_tile.SPEC):
        layout = np.random.default_rng(spec.seed)
        order = layout.permutation(spec.cells**2)
        sync = layout.choice(np.array([-1, 1]), spec.cells**2)
        cells_of = tile_code.cell_layout(spec)
        assert [index for index, is_sync in enumerate(cells_of.is_sync) if is_sync] == sorted(
            order[: spec.cells**2 // 2].tolist()
        )
        assert list(cells_of.sync) == sync.tolist()
        assert list(cells_of.whitening) == layout.choice(np.array([-1, 1]), spec.cells**2).tolist()
