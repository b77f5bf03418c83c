"""A term's posting blocks and its statistics, encoded as Whoosh's W3 codec writes them.

`TermEncoder` turns one term's postings into the bytes of its blocks (document numbers as
deltas, weights and values as small as they go, each block pickled and compressed) and the
statistics its entry in the term table packs (`W3TermInfo`), remembering the blocks that
recur (a one-posting block is often the same in many terms and fields). The segment writer
(`search/whoosh/segment.py`) pools the postings and lays out the files; this holds only what
one term's bytes are.
"""

from __future__ import annotations

import pickle
import zlib
from array import array

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int
from whoosh.util.numeric import length_to_byte

Posting = tuple[int, float, bytes | None]  # document number, weight, encoded value

_KEPT = 20_000  # encoded terms and compressed blocks remembered (then forgotten all at once)
_SMALL_BLOCK = 64  # the pickled size of a one-posting block, about


class TermEncoder:
    """A field's terms as the W3 codec writes them: posting blocks, and statistics for the term table."""

    def __init__(self, fieldobj, lengths, codec, compressed: dict[bytes, bytes]) -> None:  # noqa: ANN001
        self._fixed = fieldobj.format.fixed_value_size()
        self._lengths = lengths
        self._blocklimit, self._level = codec._blocklimit, codec._compression
        self._compressed = compressed
        # Most terms are in one document: those with the same posting there (the same count, the
        # same page) have the same bytes. (Nine in ten such terms, hardly any longer ones.)
        self._single: dict[Posting, tuple[bytes, bytes]] = {}

    def encode(self, postings: list[Posting]) -> tuple[bytes, bytes]:
        """Return a term's blocks and its packed statistics (without where its blocks are)."""
        if len(postings) == 1:
            encoded = self._single.get(postings[0])
            if encoded is None:
                if len(self._single) >= _KEPT:
                    self._single.clear()
                encoded = self._single[postings[0]] = self._encode(postings)
            return encoded
        if any(postings[n][0] >= postings[n + 1][0] for n in range(len(postings) - 1)):
            postings = sorted(postings)  # added out of document order (merged readers)
        return self._encode(postings)

    def _encode(self, postings: list[Posting]) -> tuple[bytes, bytes]:
        """Return the blocks and packed statistics of postings in document order (`encode` keeps some)."""
        stats, blob, blocklimit = _TermStats(), bytearray(WHOOSH3_HEADER_MAGIC), self._blocklimit
        for first in range(0, len(postings), blocklimit):
            block = postings[first : first + blocklimit]
            data, header = stats.block(block, self._lengths, self._fixed, self._level)
            packed = self._compressed.get(data) if self._level else data
            if packed is None:
                packed = zlib.compress(data, self._level)
                if len(data) <= _SMALL_BLOCK:  # one posting's block: the same in several fields
                    if len(self._compressed) >= _KEPT:
                        self._compressed.clear()
                    self._compressed[data] = packed
            size = len(header) + len(packed)
            blob += pack_int(-size if first + blocklimit >= len(postings) else size)  # the last: negative
            blob += header
            blob += packed
        return bytes(blob), stats.to_bytes()


class _TermStats:
    """A term's statistics over its blocks, as Whoosh's `W3TermInfo` keeps them."""

    __slots__ = ("weight", "df", "minlength", "maxlength", "maxweight", "minid", "maxid")

    def __init__(self) -> None:
        # Whoosh's starting values, integers where it has them: a maximum weight of int 0 pickles so.
        self.weight: float = 0
        self.df = 0
        self.minlength: int | None = None
        self.maxlength = 0
        self.maxweight: float = 0
        self.minid: int | None = None
        self.maxid = 0

    def block(self, block: list[Posting], lengths, fixed: int | None, level: int) -> tuple[bytes, bytes]:  # noqa: ANN001
        """Return a block's pickled data (not yet compressed) and its header; count it in."""
        ids = [docnum for docnum, _, _ in block]
        weights = array("f", [weight for _, weight, _ in block])
        maxweight: float = 0
        for _, weight, _ in block:
            if weight > maxweight:
                maxweight = weight
        minlength, maxlength = _length_range(ids, lengths)
        # W3TermInfo.add_block
        self.weight += sum(weights)
        self.df += len(block)
        if self.minlength is None:
            self.minlength = minlength
        elif minlength is not None:  # (never None here: a field keeps lengths for all or none)
            self.minlength = min(self.minlength, minlength)
        self.maxlength = max(self.maxlength, maxlength)
        self.maxweight = max(self.maxweight, maxweight)
        if self.minid is None:
            self.minid = ids[0]
        self.maxid = ids[-1]
        # W3PostingsWriter._write_block: ids as deltas, weights and values as small as they go
        deltas = tuple(docnum - before for docnum, before in zip(ids, [0, *ids], strict=False))
        mini_weights = _mini_weights(weights)
        mini_values = _mini_values([vbytes for _, _, vbytes in block if vbytes], fixed)
        data = pickle.dumps((deltas, mini_weights, mini_values), 2)
        header = (len(ids), ids[-1], maxweight, level, length_to_byte(minlength), length_to_byte(maxlength))
        return data, pickle.dumps(header, 2)

    def to_bytes(self) -> bytes:
        """Return the term's statistics as `W3TermInfo.to_bytes` packs them (where its blocks are follows)."""
        minlength = 0 if self.minlength is None else length_to_byte(self.minlength)
        minid = 0xFFFFFFFF if self.minid is None else self.minid
        maxlength = length_to_byte(self.maxlength)
        return W3TermInfo._struct.pack(
            False, self.weight, self.df, minlength, maxlength, self.maxweight, minid, self.maxid
        )


def _length_range(ids: list[int], lengths: list[int | None] | None) -> tuple[int | None, int]:
    """Return the shortest and longest field length of a block's documents (None, 0: none kept)."""
    minlength, maxlength = None, 0
    if lengths is not None:
        for docnum in ids:
            length = lengths[docnum]
            if length:
                if minlength is None or length < minlength:
                    minlength = length
                if length > maxlength:
                    maxlength = length
    return minlength, maxlength


def _mini_weights(weights: array) -> float | tuple[float, ...] | None:
    """Return a block's weights as Whoosh stores them: None when all are 1, one when all are equal."""
    if all(weight == 1.0 for weight in weights):
        return None
    if all(weight == weights[0] for weight in weights):
        return weights[0]
    return tuple(weights)


def _mini_values(values: list[bytes], fixed: int | None) -> bytes | tuple[bytes, ...] | None:
    """Return a block's values as Whoosh stores them: joined when they have a fixed size."""
    if fixed is None or fixed < 0:
        return tuple(values)
    if fixed == 0:
        return None
    return b"".join(values)
