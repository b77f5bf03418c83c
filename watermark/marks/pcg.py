"""NumPy's default random generator (`numpy.random.default_rng(seed)`), for the few draws a stamp makes.

The stamp's hidden codes take their layouts from NumPy's generator (PCG64 seeded through a
SeedSequence), and a trace rebuilds every earlier copy's code from the same draws, so the
draws may never change. Stamping needs only a few thousand of them, while importing NumPy
costs a first stamp (`python -m watermark stamp`) about 60 ms of CPU, a fifth of stamping a
500-page file. This module draws the same numbers in plain Python: `Generator(seed)` gives
what `numpy.random.default_rng(seed)` gives for `random`, `uniform`, `permutation` and
`integers` below 2**32 (tests compare them draw for draw with NumPy).

The algorithms are NumPy's (numpy/random/bit_generator.pyx, _pcg64.pyx, pcg64.h,
distributions.c): SeedSequence's hash mixing of the seed's 32-bit words into a pool of four,
four 64-bit words of state drawn from it, PCG64's 128-bit LCG with the XSL-RR output,
doubles from the top 53 bits, 32-bit draws taken from a 64-bit one low half first, Lemire's
bounded integers and the Fisher-Yates shuffle on masked draws. The words themselves come from
the compiled foot reader's `pcg64` where it is built (`watermark/ink/_footscan.c`, 0.1 ms for a
stamp's 8,000 words against 8 ms here), the same words in Python where it is not.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import cycle

_compiled: Callable[[bytes, bytes, int], tuple[bytes, bytes]] | None
try:
    from watermark.ink._footscan import pcg64 as _compiled
except ImportError:  # built without a compiler, or before it had the generator
    _compiled = None


def compiled() -> bool:
    """Tell whether the words come from the compiled PCG64 (`pustaka check` says when they do not)."""
    return _compiled is not None


_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_MASK128 = (1 << 128) - 1
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_POOL = 4
_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
_DOUBLE = 1.0 / 9007199254740992.0  # 2**-53


def _words(seed: int) -> list[int]:
    """Return a non-negative integer's 32-bit words, lowest first (SeedSequence's entropy)."""
    if seed < 0:
        raise ValueError("a seed must not be negative")
    words = [seed & _MASK32]
    seed >>= 32
    while seed:
        words.append(seed & _MASK32)
        seed >>= 32
    return words


def _pool(seed: int) -> list[int]:
    """Return SeedSequence's pool of four words mixed from the seed."""
    entropy = _words(seed)
    hash_const = _INIT_A

    def hashmix(value: int) -> int:
        nonlocal hash_const
        value ^= hash_const
        hash_const = (hash_const * _MULT_A) & _MASK32
        value = (value * hash_const) & _MASK32
        return value ^ (value >> 16)

    def mix(x: int, y: int) -> int:
        result = (_MIX_L * x - _MIX_R * y) & _MASK32
        return result ^ (result >> 16)

    pool = [hashmix(entropy[i] if i < len(entropy) else 0) for i in range(_POOL)]
    for source in range(_POOL):
        for target in range(_POOL):
            if source != target:
                pool[target] = mix(pool[target], hashmix(pool[source]))
    for extra in entropy[_POOL:]:
        for target in range(_POOL):
            pool[target] = mix(pool[target], hashmix(extra))
    return pool


def _state_words(seed: int) -> list[int]:
    """Return SeedSequence.generate_state(4, uint64) for the seed."""
    hash_const, halves = _INIT_B, []
    source = cycle(_pool(seed))
    for _ in range(8):
        value = next(source) ^ hash_const
        hash_const = (hash_const * _MULT_B) & _MASK32
        value = (value * hash_const) & _MASK32
        halves.append(value ^ (value >> 16))
    return [halves[i] | halves[i + 1] << 32 for i in range(0, 8, 2)]  # little-endian pairs


class Generator:
    """The draws of `numpy.random.default_rng(seed)` that the stamp's codes use."""

    __slots__ = ("_half", "_inc", "_state")

    def __init__(self, seed: int) -> None:
        words = _state_words(seed)
        initial, sequence = words[0] << 64 | words[1], words[2] << 64 | words[3]
        self._inc = (sequence << 1 | 1) & _MASK128
        # State 0 stepped once is the increment; the seed is added and the state stepped again.
        self._state = ((self._inc + initial) * _MULTIPLIER + self._inc) & _MASK128
        self._half: int | None = None  # the high half of a 64-bit draw a 32-bit one left

    def next64(self) -> int:
        """Return the next 64-bit word (PCG64: step, then XSL-RR of the new state)."""
        state = self._state = (self._state * _MULTIPLIER + self._inc) & _MASK128
        word, turn = ((state >> 64) ^ state) & _MASK64, state >> 122
        return ((word >> turn) | (word << (64 - turn))) & _MASK64

    def next32(self) -> int:
        """Return the next 32-bit word: a 64-bit draw's low half, then its high half."""
        if self._half is not None:
            half, self._half = self._half, None
            return half
        word = self.next64()
        self._half = word >> 32
        return word & _MASK32

    def random(self, count: int) -> list[float]:
        """Return `count` doubles in [0, 1), as `Generator.random(count)`: each a word's top 53 bits."""
        return [(word >> 11) * _DOUBLE for word in self._words(count)]

    def uniform(self, low: float, high: float, count: int) -> list[float]:
        """Return `count` doubles in [low, high), as `Generator.uniform(low, high, count)` (row-major)."""
        span = high - low
        return [low + span * ((word >> 11) * _DOUBLE) for word in self._words(count)]

    def _words(self, count: int) -> list[int]:
        """Return `count` next64 words, drawn in one go (a fingerprint's layout draws 6,144)."""
        if _compiled is not None and count >= 16:
            packed = self._state.to_bytes(16, "little"), self._inc.to_bytes(16, "little")
            words, after = _compiled(*packed, count)
            self._state = int.from_bytes(after, "little")
            return memoryview(words).cast("Q").tolist()
        state, inc, drawn = self._state, self._inc, []
        for _ in range(count):
            state = (state * _MULTIPLIER + inc) & _MASK128
            word, turn = ((state >> 64) ^ state) & _MASK64, state >> 122
            drawn.append(((word >> turn) | (word << (64 - turn))) & _MASK64)
        self._state = state
        return drawn

    def _halves(self, count: int) -> list[int]:
        """Return what `count` calls of `next32` would, drawn in one go."""
        halves = []
        if count and self._half is not None:
            halves.append(self._half)
            self._half = None
        wanted = count - len(halves)
        for word in self._words((wanted + 1) // 2):
            halves += (word & _MASK32, word >> 32)
        if wanted % 2:
            self._half = halves.pop()
        return halves

    def _taken(self, before: tuple[int, int | None], used: int) -> None:
        """Leave the generator as if only `used` of the 32-bit draws made since `before` had been."""
        self._state, self._half = before
        self._halves(used)

    def integers(self, high: int, count: int) -> list[int]:
        """Return `count` integers in [0, high), high <= 2**32, as `Generator.integers(0, high, count)`."""
        if not 0 < high <= 1 << 32:
            raise ValueError("only ranges of 1 to 2**32 values are drawn here")
        if high == 1:
            return [0] * count
        if high == 1 << 32:
            return [self.next32() for _ in range(count)]
        threshold = (_MASK32 - (high - 1)) % high  # Lemire: reject the low products below it
        before, halves, used = (self._state, self._half), self._halves(count), 0
        drawn = []
        for _ in range(count):
            if used == len(halves):  # rejections used up the draws made ahead
                halves += self._halves(count)
            product, used = halves[used] * high, used + 1
            if product & _MASK32 < high:
                while product & _MASK32 < threshold:
                    if used == len(halves):
                        halves += self._halves(count)
                    product, used = halves[used] * high, used + 1
            drawn.append(product >> 32)
        self._taken(before, used)
        return drawn

    def permutation(self, count: int) -> list[int]:
        """Return range(count) shuffled, as `Generator.permutation(count)`."""
        values = list(range(count))
        if count - 1 > _MASK32:  # NumPy draws 64-bit words for such a shuffle; a stamp never needs one
            raise ValueError("only up to 2**32 values are shuffled here")
        before, halves, used = (self._state, self._half), self._halves(2 * count), 0
        for last in range(count - 1, 0, -1):
            mask = (1 << last.bit_length()) - 1  # the smallest mask covering `last`
            while True:
                if used == len(halves):
                    halves += self._halves(count)
                pick, used = halves[used] & mask, used + 1
                if pick <= last:
                    break
            values[last], values[pick] = values[pick], values[last]
        self._taken(before, used)
        return values
