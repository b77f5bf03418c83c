"""A rate-1/2 convolutional code (constraint length 7, generators 133 and 171 octal), Viterbi decoded.

A tiled code's cells vote on each coded bit with a strength (the folded picture's mean over
them); the decoder takes those soft votes and returns the likeliest message. Against writing
each message bit into twice as many cells, it tolerates a few noisy cells more for the same
page area: a photo of a print is read where the plain repetition was not.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a stamp encodes without NumPy (`encoded`); decoding loads it
    import numpy as np
    import numpy.typing as npt

_MEMORY = 6  # the bits the encoder remembers; the message ends with as many zeros
_GENERATORS = (0o133, 0o171)
_STATES = 1 << _MEMORY


def coded_length(message_bits: int) -> int:
    """Return how many coded bits a message of `message_bits` becomes (its closing zeros included)."""
    return 2 * (message_bits + _MEMORY)


@lru_cache(maxsize=1)
def _trellis() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """Return, for each state and input bit, the next state and the two outputs as ±1."""
    import numpy as np

    following = np.zeros((_STATES, 2), dtype=np.int64)
    outputs = np.zeros((_STATES, 2, 2), dtype=np.int8)
    for state in range(_STATES):
        for bit in (0, 1):
            register = bit << _MEMORY | state
            following[state, bit] = register >> 1
            for k, generator in enumerate(_GENERATORS):
                outputs[state, bit, k] = 1 if bin(register & generator).count("1") % 2 else -1
    return following, outputs


def encoded(message: Sequence[bool]) -> list[bool]:
    """Return the coded bits of a message: each bit and the six before it, through both generators."""
    register, coded = 0, []
    for bit in [*message, *([False] * _MEMORY)]:
        register = (register >> 1) | (int(bit) << _MEMORY)
        coded += [bin(register & generator).count("1") % 2 == 1 for generator in _GENERATORS]
    return coded


def encode(message: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Return the coded bits of a message, as an array."""
    import numpy as np

    return np.array(encoded([bool(bit) for bit in message]), dtype=bool)


def decode(votes: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Return the likeliest message for soft votes on its coded bits (+: a 1, 0: not seen)."""
    import numpy as np

    following, outputs = _trellis()
    steps = votes.size // 2
    score = np.full(_STATES, -np.inf)
    score[0] = 0.0
    came_from = np.zeros((steps, _STATES), dtype=np.int64)
    # Each state is reached from two: the new bit is its highest, the one forgotten either value.
    arriving = np.arange(_STATES)
    bit = arriving >> (_MEMORY - 1)
    low = (arriving & (_STATES // 2 - 1)) << 1
    for step in range(steps):
        gain = outputs @ votes[2 * step : 2 * step + 2]  # (state, bit): how well a branch agrees
        from_even = score[low] + gain[low, bit]
        from_odd = score[low | 1] + gain[low | 1, bit]
        odd = from_odd > from_even
        origin = np.where(odd, low | 1, low)
        score = np.where(odd, from_odd, from_even)
        came_from[step] = origin * 2 + bit
    state, bits = 0, []  # the closing zeros bring the encoder back to state 0
    for step in range(steps - 1, -1, -1):
        branch = int(came_from[step, state])
        bits.append(branch & 1)
        state = branch >> 1
    return np.array(bits[::-1][: steps - _MEMORY], dtype=bool)
