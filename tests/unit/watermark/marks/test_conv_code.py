"""The tiled code's convolutional code: what the decoder mends, and what it does not hide."""

from __future__ import annotations

import numpy as np

from watermark.marks.conv_code import coded_length, decode, encode


def test_a_message_comes_back_through_erased_and_wrongly_voted_coded_bits() -> None:
    rng = np.random.default_rng(28)
    message = rng.random(76) < 0.5
    coded = encode(message)
    assert coded.size == coded_length(76) == 164
    votes = np.where(coded, 1.0, -1.0)
    erased = rng.choice(coded.size, 20, replace=False)
    votes[erased] = 0.0  # cells the crop did not hold
    wrong = rng.choice(np.setdiff1d(np.arange(coded.size), erased), 6, replace=False)
    votes[wrong] *= -0.5  # cells noise turned the other way
    assert np.array_equal(decode(votes), message)
