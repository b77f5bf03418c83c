"""A Whoosh segment written a term at a time: Whoosh's files, without its work per posting.

Whoosh's `SegmentWriter` hands every posting to a sorting pool as a tuple (pickled to runs on
disk when the pool fills), then takes them back one by one through its codec: a posting
writer, a block buffer and a term-info object per term, a few dozen Python calls for each
term and each posting. That was half the time of an index build.

`TermSegmentWriter` keeps each term's postings together (`TermPool`: a dict of lists, spilled
as sorted runs of whole terms when it fills) and writes each term's posting blocks and its
entry in the term table at once. The bytes are those Whoosh's W3 codec writes (a test
compares the segments' files); any other codec is left to Whoosh.
"""

from __future__ import annotations

import heapq
import pickle
import zlib
from array import array
from collections.abc import Iterable, Iterator
from hashlib import md5
from itertools import groupby
from operator import itemgetter

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths as HASH_ENTRY
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util import random_name
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

Posting = tuple[int, float, bytes | None]  # document number, weight, encoded value
Term = tuple[str, bytes, list[Posting]]  # field name, term, its postings in document order

TERM_BYTES = 300  # what a term costs the pool in memory besides its text (dict entry, list, ...)
POSTING_BYTES = 100  # what a posting costs besides its value (tuple, float, list slot)
RUN_BATCH = 1_000  # terms pickled together in a run file (the merge holds a batch of each run)
_KEPT = 20_000  # encoded terms and compressed blocks remembered (then forgotten all at once)
_SMALL_BLOCK = 64  # the pickled size of a one-posting block, about


class TermPool:
    """Postings grouped by field and term: in memory up to a limit, then also in sorted runs on disk."""

    def __init__(self, tempstore, limitmb: int) -> None:  # noqa: ANN001 (a Whoosh storage)
        self._tempstore = tempstore
        self._limit = limitmb * 1024 * 1024
        self._size = 0
        self._fields: dict[str, dict[bytes, list[Posting]]] = {}
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()  # Whoosh's pools name the fields they saw

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Add one posting, as Whoosh's pool takes it: (field, term, document, weight, value)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_terms(fieldname, docnum, [(tbytes, 0, weight, vbytes)], None)

    def add_terms(self, fieldname: str, docnum: int, items: Iterable[tuple], boost: float | None) -> int:
        """Add a document's postings in one field from `FieldType.index` items; return its length.

        Each weight is multiplied by the boost, as Whoosh's writer does (None: taken as it is).
        """
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        size, length = 0, 0
        for tbytes, freq, weight, vbytes in items:
            length += freq
            postings = terms.get(tbytes)
            posting = (docnum, weight if boost is None else weight * boost, vbytes)
            if postings is None:
                terms[tbytes] = [posting]
                size += TERM_BYTES + len(tbytes)
            else:
                postings.append(posting)
            size += POSTING_BYTES + (len(vbytes) if vbytes else 0)
        self._size += size
        if self._size > self._limit:
            self._save_run()
        return length

    def _sorted(self) -> Iterator[tuple[str, list[tuple[bytes, list[Posting]]]]]:
        """Yield each field's terms in memory in order, letting go of each field's once it is read."""
        fields, self._fields, self._size = self._fields, {}, 0
        for fieldname in sorted(fields):
            yield fieldname, sorted(fields.pop(fieldname).items())  # terms are unique: lists never compared

    def _save_run(self) -> None:
        name = f"{random_name()}.terms"
        with self._tempstore.create_file(name).raw_file() as out:
            for fieldname, terms in self._sorted():
                for first in range(0, len(terms), RUN_BATCH):
                    pickle.dump((fieldname, terms[first : first + RUN_BATCH]), out, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)

    def _read_run(self, name: str) -> Iterator[Term]:
        with self._tempstore.open_file(name).raw_file() as run:
            while True:
                try:
                    fieldname, terms = pickle.load(run)
                except EOFError:
                    break
                for tbytes, postings in terms:
                    yield fieldname, tbytes, postings
        self._tempstore.delete_file(name)

    def fields(self) -> Iterator[tuple[str, Iterable[tuple[bytes, list[Posting]]]]]:
        """Yield each field in order with its terms in order, each with all its postings."""
        if not self.runs:
            yield from self._sorted()
            return
        memory = ((f, tbytes, postings) for f, terms in self._sorted() for tbytes, postings in terms)
        sources = [self._read_run(name) for name in self.runs] + [memory]
        self.runs = []
        # Merged by key, earlier sources first on a tie: documents stay in order.
        merged = groupby(heapq.merge(*sources, key=itemgetter(0, 1)), key=itemgetter(0, 1))
        for fieldname, terms in groupby(merged, key=lambda group: group[0][0]):
            yield fieldname, ((key[1], [p for part in parts for p in part[2]]) for key, parts in terms)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """Yield every posting in Whoosh's order (field, term, document), as its pools do."""
        for fieldname, terms in self.fields():
            for tbytes, postings in terms:
                for docnum, weight, vbytes in sorted(postings):
                    yield fieldname, tbytes, docnum, weight, vbytes

    def cleanup(self) -> None:
        """Delete the run files (after a cancel) and forget the postings."""
        for name in self.runs:
            if self._tempstore.file_exists(name):
                self._tempstore.delete_file(name)
        self.runs, self._fields, self._size = [], {}, 0


class TermSegmentWriter(SegmentWriter):
    """Whoosh's `SegmentWriter`, pooling postings by term and writing each term at once."""

    def __init__(self, ix, limitmb: int = 128, **kwargs) -> None:  # noqa: ANN001 (a Whoosh index)
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, limitmb)
        # Spelling words and term vectors go through Whoosh's own code (no field here has them).
        self._own = not any(
            field.vector or field.separate_spelling() for field in self.schema if field.indexed
        )

    def add_document(self, **fields) -> None:
        """Add a document, as Whoosh does, its postings pooled a field at a time."""
        if not self._own:
            return super().add_document(**fields)
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    length = self.pool.add_terms(fieldname, docnum, field.index(value), boost)
                    if not field.scorable:
                        length = 0
                stored = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        fieldwriter = self.fieldwriter
        if type(fieldwriter) is W3FieldWriter and fieldwriter._codec._inlinelimit <= 1:
            write_terms(fieldwriter, self.schema, self.pool.fields(), lengths, self.docnum)
        else:
            fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        fieldwriter.close()
        if lengths:
            lengths.close()


def write_terms(fieldwriter: W3FieldWriter, schema, fields, lengths, doccount: int) -> None:  # noqa: ANN001
    """Write each field's terms, in order, through a W3 field writer, as its `add_postings` would."""
    codec = fieldwriter._codec
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    if not any(tindex.buckets):  # nothing added yet: buckets that keep their pairs in arrays
        tindex.buckets = [_HashBucket() for _ in tindex.buckets]
    hashfile, buckets, index = tindex.dbfile, tindex.buckets, tindex.index
    hashed_by_md5 = tindex.hashtype == 0
    postbase, hashbase = postfile.tell(), hashfile.tell()
    posts, entries = bytearray(), bytearray()
    compressed: dict[bytes, bytes] = {}  # small blocks' data and its compressed form, in every field
    key = b""
    for fieldname, terms in fields:
        fieldobj = schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        prefix = pack_ushort(fieldwriter._fieldid)
        encoder = _TermEncoder(fieldobj, _field_lengths(lengths, fieldname, doccount), codec, compressed)
        for tbytes, postings in terms:
            blob, stats = encoder.encode(postings)
            key = prefix + tbytes
            value = stats + pack_long(postbase + len(posts)) + pack_int(len(blob))
            posts += blob
            position = hashbase + len(entries)
            index.append(position)
            if hashed_by_md5:  # md5_hash's value, without its detour through hexadecimal
                hashed = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")
            else:
                hashed = tindex.hashfn(key)
            buckets[hashed & 255].append((hashed, position))
            entries += HASH_ENTRY.pack(len(key), len(value))
            entries += key
            entries += value
            if len(posts) > 1 << 20:
                postfile.write(posts)
                postbase, posts = postbase + len(posts), bytearray()
            if len(entries) > 1 << 20:
                hashfile.write(entries)
                hashbase, entries = hashbase + len(entries), bytearray()
        fieldwriter.finish_field()
    postfile.write(posts)
    hashfile.write(entries)
    if key:
        tindex.lastkey = key


class _HashBucket:
    """A bucket of the term table's hash: (hash, position) pairs, as Whoosh's lists of tuples hold them.

    In two arrays: 12 bytes a term instead of a tuple and two integers (over 100), for every term
    of the segment until it is written.
    """

    __slots__ = ("hashes", "positions")

    def __init__(self) -> None:
        self.hashes, self.positions = array("I"), array("q")

    def append(self, pair: tuple[int, int]) -> None:
        """Add a (hash, position) pair."""
        self.hashes.append(pair[0])
        self.positions.append(pair[1])

    def __len__(self) -> int:
        return len(self.hashes)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.hashes, self.positions, strict=True)


def _field_lengths(lengths, fieldname: str, doccount: int) -> list[int | None] | None:  # noqa: ANN001
    """Return each document's length in a field as Whoosh's writer reads it back (None: none kept)."""
    if lengths is None:
        return None
    return [lengths.doc_field_length(docnum, fieldname) for docnum in range(doccount)]


class _TermEncoder:
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
