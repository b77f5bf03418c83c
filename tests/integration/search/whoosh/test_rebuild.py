"""A rebuild writes what indexing a publication at a time writes: terms, postings, lengths, stored fields."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import formats, writing
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search.engine import PageQuery, PageText, Query
from search.whoosh.documents import document_fields
from search.whoosh.engine import WhooshSearchEngine
from search.whoosh.schema import INDEX_NAME, ListedFrequency, ListedPositions, build_schema
from search.whoosh.segment import TermSegmentWriter

pytestmark = pytest.mark.integration

QUERIES = (
    "penduduk",
    "kependudukan",
    '"migrasi masuk"',
    "pendudk",
    "anggur",
    "tabel 7",
    "2023",
    "unemployed",
    "upah buruh",  # on a closed publication's pages too: staff find one more
)


def varied(library, times: int) -> list:
    """Return `times` copies of the library under new ids, each with a page of its own figures.

    Over 128 publications share words like "penduduk": their postings take several blocks.
    """
    docs = []
    for n in range(times):
        for doc in library:
            own = PageText(
                len(doc.pages) + 1, f"Tabel {n} nilai {n * 37}.{n:03d} kecamatan ke {n} tahun 20{n:02d}"
            )
            docs.append(replace(doc, publication_id=f"{doc.publication_id}-{n}", pages=(*doc.pages, own)))
    return docs


def segment_files(folder: Path) -> dict[str, bytes]:
    """Return the files of an index's one segment by their kind (the part after the segment's id)."""
    found = {}
    for path in folder.iterdir():
        name = path.name
        if name.startswith(f"{INDEX_NAME}_") and "." in name and not name.endswith(".toc"):
            found[name.split(".", 1)[1]] = path.read_bytes()
    return found


def written_by(writer_class, folder: Path, docs, earlier=(), **options) -> dict[str, bytes]:
    """Write docs into a new index by a writer class, merging `earlier` batches in; return its files."""
    folder.mkdir()
    ix = whoosh_index.create_in(folder, build_schema(), indexname=INDEX_NAME)
    for batch in earlier:  # earlier segments, which the writer below merges into its own
        with ix.writer() as writer:
            for doc in batch:
                writer.add_document(**document_fields(doc))
    writer = writer_class(ix, compound=False, **options)
    for doc in docs:
        writer.add_document(**document_fields(doc))
    writer.commit(mergetype=writing.OPTIMIZE)
    return segment_files(folder)


@pytest.mark.parametrize("limitmb", [128, 0.05], ids=["in memory", "in runs on disk"])
def test_a_segment_written_a_term_at_a_time_is_byte_for_byte_whooshs_own(tmp_path, library, limitmb):
    docs = varied(library, 25)

    own = written_by(SegmentWriter, tmp_path / "own", docs, limitmb=limitmb)
    by_term = written_by(TermSegmentWriter, tmp_path / "by-term", docs, limitmb=limitmb)

    assert {"trm", "pst", "_stored.col"} <= set(own)
    assert by_term == own


def test_a_segment_that_merges_older_ones_in_is_byte_for_byte_whooshs_own(tmp_path, library):
    docs = varied(library, 6)
    earlier = (docs[:10], docs[10:20])

    own = written_by(SegmentWriter, tmp_path / "own", docs[20:], earlier)
    by_term = written_by(TermSegmentWriter, tmp_path / "by-term", docs[20:], earlier)

    assert by_term == own


def contents(folder: Path) -> dict:
    """Return everything an index holds, by publication id rather than document number."""
    ix = whoosh_index.open_dir(folder, indexname=INDEX_NAME)
    with ix.reader() as reader:
        ids = {docnum: stored["publication_id"] for docnum, stored in reader.iter_docs()}
        stored = {ids[docnum]: fields for docnum, fields in reader.iter_docs()}
        fields = sorted(reader.indexed_field_names())
        # None or 0 for no length, as the document's segment happens to keep lengths for the field
        lengths = {(f, ids[d]): reader.doc_field_length(d, f) or 0 for f in fields for d in ids}
        postings = {}
        for field, text in reader.all_terms():
            matcher = reader.postings(field, text)
            found = {}
            while matcher.is_active():
                found[ids[matcher.id()]] = (matcher.weight(), matcher.value())
                matcher.next()
            postings[field, text] = (reader.doc_frequency(field, text), reader.frequency(field, text), found)
        return {
            "stored": stored,
            "lengths": lengths,
            "field lengths": {f: reader.field_length(f) for f in fields},
            "postings": postings,
        }


def answers(engine: WhooshSearchEngine) -> list:
    """Return what the engine answers to a fixed mix of searches, scores to six places."""
    found = []
    for text in QUERIES:
        for closed in (False, True):
            results = engine.search(Query(text, closed_text=closed))
            hits = [(h.publication_id, round(h.score, 6), h.pages, h.snippet_html) for h in results.hits]
            found.append((text, closed, results.total, hits, results.facets, results.suggestion))
    within = engine.search_pages(PageQuery("metro-2023-3", "penduduk"))
    found.append([(page.number, page.snippet_html) for page in within.pages])
    return found


def whooshs_own_schema():
    """Return the schema with Whoosh's own formats: every text analysed token by token, as Whoosh does."""
    schema = build_schema()
    for name in schema.names():
        field = schema[name]
        if isinstance(field.format, ListedPositions):
            field.format = formats.Positions(field_boost=field.format.field_boost)
        elif isinstance(field.format, ListedFrequency):
            field.format = formats.Frequency(field_boost=field.format.field_boost)
    return schema


def index_one_at_a_time(folder: Path, docs) -> WhooshSearchEngine:
    """Return an engine that indexed the docs the old way: Whoosh's analysis and writer, a commit each.

    No merges: Whoosh sums merged segments' field lengths as stored (rounded to a byte), fresh
    ones as counted, and BM25 reads the sum; a rebuild's segments are all fresh.
    """
    folder.mkdir()
    whoosh_index.create_in(folder, whooshs_own_schema(), indexname=INDEX_NAME)
    engine = WhooshSearchEngine(folder)
    for doc in docs:
        with engine._writing(merge=False) as (writer, pages):
            assert type(writer) is SegmentWriter
            writer.add_document(**document_fields(doc))
            pages.add(doc.publication_id, doc.pages)
    return engine


@pytest.mark.slow
@pytest.mark.parametrize("bulk_pages", [1, 1_000_000], ids=["a process per core", "this process"])
def test_a_rebuild_indexes_what_indexing_one_publication_at_a_time_indexes(tmp_path, library, bulk_pages):
    docs = varied(library, 25)
    docs[3] = replace(docs[3], pages_closed=True)  # its pages in the closed fields
    with (
        index_one_at_a_time(tmp_path / "one-by-one", docs) as one_by_one,
        WhooshSearchEngine(tmp_path / "rebuilt", bulk_pages=bulk_pages) as rebuilt,
    ):
        rebuilt.rebuild(docs)

        assert contents(tmp_path / "rebuilt") == contents(tmp_path / "one-by-one")
        assert answers(rebuilt) == answers(one_by_one)
