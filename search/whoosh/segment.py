"""A Whoosh segment written a term at a time: Whoosh's files, without its work per posting.

Whoosh's `SegmentWriter` hands every posting to a sorting pool as a tuple (pickled to runs on
disk when the pool fills), then takes them back one by one through its codec: a posting
writer, a block buffer and a term-info object per term, a few dozen Python calls for each
term and each posting. That was half the time of an index build.

`TermSegmentWriter` keeps each term's postings together (`TermPool`: a dict of lists, spilled
as sorted runs of whole terms when it fills) and writes each term's posting blocks and its
entry in the term table at once (a term's bytes are encoded in `search/whoosh/posting_blocks.py`).
The bytes are those Whoosh's W3 codec writes (a test compares the segments' files); any other
codec is left to Whoosh.
"""

from __future__ import annotations

import heapq
import pickle
from array import array
from collections.abc import Iterable, Iterator
from hashlib import md5
from itertools import groupby
from operator import itemgetter

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.filedb.filetables import _lengths as HASH_ENTRY
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from search.whoosh.posting_blocks import Posting, TermEncoder

Term = tuple[str, bytes, list[Posting]]  # field name, term, its postings in document order

TERM_BYTES = 300  # what a term costs the pool in memory besides its text (dict entry, list, ...)
POSTING_BYTES = 100  # what a posting costs besides its value (tuple, float, list slot)
RUN_BATCH = 1_000  # terms pickled together in a run file (the merge holds a batch of each run)


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
        encoder = TermEncoder(fieldobj, _field_lengths(lengths, fieldname, doccount), codec, compressed)
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
