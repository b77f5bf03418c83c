"""Which Indonesian analysis finds the right publications: Sastrawi (Pustaka's) or PostgreSQL's `indonesian`.

    python benchmarks/postgres_analysis_compare.py             # the demo catalogue + the contract library
    python benchmarks/postgres_analysis_compare.py --verbose   # and every query's figures

The corpus: the demo catalogue's born-digital publications (their PDFs rendered as `pustaka
demo` renders them, the text of each page read back with PyMuPDF; the scanned ones would need
OCR and add nothing to the comparison) and the search contract's small library (which holds
the classic trap: grapes, "anggur", beside unemployment, "pengangguran").

The queries: 42 searches people make of BPS publications, each with the concepts a relevant
publication must hold. The judgement rule, fixed before any system runs: a publication is
relevant to a query when its text (title, alternative title, abstract, subject, pages) holds,
for every concept of the query, one of the concept's accepted forms as a whole word. The
accepted forms are the word and its derivations with the same meaning (penduduk, kependudukan,
berpenduduk; miskin, kemiskinan), never a word that only looks alike (pengangguran is not
anggur, grapes; kecamatan is not camat, its head; pendapatan, income, is not terdapat, "there
is"; perusahaan, companies, is not usaha in "lapangan usaha").

The systems, each matching a publication when it holds every query word after analysis and
ranking by `ts_rank` over the same text, so that only the analysis differs:
- `simple`: PostgreSQL's `simple` configuration (lower case, no stemming): the baseline;
- `indonesian`: PostgreSQL's `indonesian` configuration (Snowball's Indonesian stemmer);
- `sastrawi`: Pustaka's analysis (`search.analysis`: its stopwords and Sastrawi's stems), as
  lexemes in a tsvector;
and, for reference, Pustaka's PostgreSQL engine itself (`search.postgres.engine`: Sastrawi,
BM25 weights, typo tolerance), searching closed pages too.

Printed per system: mean precision (of all it matched), mean recall, mean hits@10 (relevant
publications in its first ten, over as many as could be there), how many queries matched
nothing, and each against the `simple` baseline. PostgreSQL runs in a schema of its own in
--database-url, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Connection, create_engine, text  # noqa: E402

import catalog_data  # noqa: E402
from search.analysis import TOKEN_PATTERN, is_english, stem_for, stem_indonesian, tokens  # noqa: E402
from search.engine import PageText, PublicationDoc, Query  # noqa: E402
from search.postgres.analysis import quote  # noqa: E402
from search.postgres.engine import PostgresSearchEngine  # noqa: E402
from tests.integration.search.library_docs import LIBRARY  # noqa: E402

DEFAULT_URL = os.environ.get("PUSTAKA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOP = 10

PENDUDUK = ("penduduk", "kependudukan", "berpenduduk")
KERJA = ("kerja", "bekerja", "pekerja", "pekerjaan")
# (query, concepts): a relevant publication holds one form of every concept.
QUERIES: list[tuple[str, list[tuple[str, ...]]]] = [
    ("pengangguran", [("pengangguran", "penganggur", "menganggur")]),
    ("tingkat pengangguran terbuka", [("tingkat",), ("pengangguran", "penganggur"), ("terbuka",)]),
    ("penduduk miskin", [PENDUDUK, ("miskin", "kemiskinan")]),
    ("kemiskinan", [("kemiskinan", "miskin")]),
    ("kependudukan", [PENDUDUK]),
    ("jumlah penduduk kecamatan", [("jumlah",), PENDUDUK, ("kecamatan",)]),
    ("kecamatan", [("kecamatan",)]),
    ("pendapatan daerah", [("pendapatan", "berpendapatan"), ("daerah",)]),
    ("pendapatan regional", [("pendapatan",), ("regional",)]),
    ("pertumbuhan ekonomi", [("pertumbuhan", "pertumbuhannya", "tumbuh"), ("ekonomi", "perekonomian")]),
    ("perekonomian", [("perekonomian", "ekonomi")]),
    ("inflasi", [("inflasi",)]),
    ("indeks harga konsumen", [("indeks",), ("harga",), ("konsumen",)]),
    ("pengeluaran per kapita", [("pengeluaran",), ("kapita",)]),
    ("pendidikan", [("pendidikan", "berpendidikan")]),
    ("sekolah", [("sekolah", "bersekolah", "persekolahan")]),
    ("perguruan tinggi", [("perguruan",), ("tinggi",)]),
    ("kesehatan", [("kesehatan", "sehat")]),
    ("puskesmas", [("puskesmas",)]),
    ("ketenagakerjaan", [("ketenagakerjaan",)]),
    ("angkatan kerja", [("angkatan",), KERJA]),
    ("penduduk bekerja", [PENDUDUK, KERJA]),
    ("pekerjaan", [KERJA]),
    ("pertanian", [("pertanian", "tani", "petani")]),
    ("produksi padi", [("produksi",), ("padi",)]),
    ("perikanan", [("perikanan", "ikan")]),
    ("perdagangan", [("perdagangan", "dagang", "pedagang")]),
    ("perumahan", [("perumahan", "rumah")]),
    ("rumah tangga", [("rumah",), ("tangga",)]),
    ("pariwisata", [("pariwisata", "wisata", "wisatawan")]),
    ("transportasi", [("transportasi",)]),
    ("keuangan pemerintah", [("keuangan",), ("pemerintah", "pemerintahan")]),
    ("pemerintahan", [("pemerintahan", "pemerintah")]),
    ("pembangunan manusia", [("pembangunan", "membangun"), ("manusia",)]),
    ("kesejahteraan rakyat", [("kesejahteraan", "sejahtera"), ("rakyat",)]),
    ("perusahaan", [("perusahaan",)]),
    ("industri pengolahan", [("industri",), ("pengolahan", "olahan", "mengolah")]),
    ("konsumsi makanan", [("konsumsi", "mengonsumsi"), ("makanan", "makan")]),
    ("kelurahan", [("kelurahan",)]),
    ("produksi anggur", [("produksi",), ("anggur",)]),
    ("partisipasi sekolah", [("partisipasi",), ("sekolah", "bersekolah")]),
    ("penduduk perempuan", [PENDUDUK, ("perempuan",)]),
]
# Words that look alike and mean different things, and derivations that mean the same.
TRAPS = (
    "pengangguran anggur kecamatan camat pendapatan terdapat kependudukan penduduk "
    "perumahan rumah perekonomian ekonomi kinerja kerja perusahaan usaha"
).split()
TABLE = """
CREATE TABLE analysis_doc (
    publication_id text PRIMARY KEY,
    simple tsvector NOT NULL,
    indonesian tsvector NOT NULL,
    indonesian_parser tsvector NOT NULL,
    sastrawi tsvector NOT NULL
)
"""
# Each system's configuration; `indonesian_parser` reads the raw text with PostgreSQL's own
# parser, the others read Pustaka's words (search.analysis.TOKEN_PATTERN) joined by spaces.
CONFIGS = {"simple": "simple", "indonesian": "indonesian", "indonesian_parser": "indonesian"}


def demo_corpus() -> list[PublicationDoc]:
    """Return the demo's born-digital publications with their pages' text, and the contract library."""
    import pymupdf

    docs = list(LIBRARY)
    for record in catalog_data.load_demo_catalogue():
        if record.scanned:
            continue
        with pymupdf.open(stream=catalog_data.render_demo_pdf(record), filetype="pdf") as pdf:
            pages = tuple(PageText(number, page.get_text()) for number, page in enumerate(pdf, start=1))
        docs.append(
            PublicationDoc(
                publication_id=record.key,
                title=record.title,
                fingerprint=record.key,
                abstract=record.abstract,
                subject=record.subject,
                language=record.language,
                access_level=record.access_level,
                pages=pages,
            )
        )
    return docs


def full_text(doc: PublicationDoc) -> str:
    """Return everything a publication says, as the judgements and every system read it."""
    return "\n".join(
        [doc.title, doc.alternative_title, doc.abstract, doc.subject, *(p.text for p in doc.pages)]
    )


def judged(docs: list[PublicationDoc]) -> dict[str, set[str]]:
    """Return each query's relevant publications, by the rule in this module's docstring."""
    words = {doc.publication_id: set(re.findall(r"\w+", full_text(doc).lower())) for doc in docs}
    return {
        query: {pid for pid, held in words.items() if all(held & set(forms) for forms in concepts)}
        for query, concepts in QUERIES
    }


def words_of(value: str) -> str:
    """Return the text's words as Pustaka's tokenizer finds them, joined by spaces."""
    return " ".join(TOKEN_PATTERN.findall(value.lower()))


def sastrawi_vector(value: str, language: str) -> str:
    """Return a tsvector's text of Pustaka's analysis of the text, each lexeme with its positions."""
    stem = stem_for(language)
    positions: dict[str, list[int]] = {}
    for index, (word, _, _) in enumerate(tokens(value), start=1):
        positions.setdefault(stem(word), []).append(min(index, 16383))
    return " ".join(f"{quote(s)}:{','.join(map(str, sorted(set(p))))}" for s, p in positions.items())


def load(conn: Connection, docs: list[PublicationDoc]) -> None:
    """Write each publication's text analysed each way."""
    conn.execute(text(TABLE))
    for doc in docs:
        config = "english" if is_english(doc.language) else "indonesian"
        body = full_text(doc)
        conn.execute(
            text(
                "INSERT INTO analysis_doc VALUES (:pid, to_tsvector('simple', :words), "
                f"to_tsvector('{config}', :words), to_tsvector('{config}', :body), "
                "CAST(:sastrawi AS tsvector))"
            ),
            {
                "pid": doc.publication_id,
                "words": words_of(body),
                "body": body,
                "sastrawi": sastrawi_vector(body, doc.language),
            },
        )


def ranked(conn: Connection, system: str, query: str) -> list[str]:
    """Return the publications holding every query word after the system's analysis, best first."""
    if system == "sastrawi":
        stems = dict.fromkeys(stem_indonesian(word) for word, _, _ in tokens(query))
        if not stems:
            return []
        tsquery = "CAST(:q AS tsquery)"
        value = " & ".join(quote(s) for s in stems)
    else:
        tsquery = f"plainto_tsquery('{CONFIGS[system]}', :q)"
        value = query if system == "indonesian_parser" else words_of(query)
    rows = conn.execute(
        text(
            f"SELECT publication_id FROM analysis_doc WHERE {system} @@ {tsquery} "
            f"ORDER BY ts_rank({system}, {tsquery}) DESC, publication_id"
        ),
        {"q": value},
    )
    return list(rows.scalars())


@dataclass
class Score:
    """One system's figures over the queries."""

    precision: list[float]
    recall: list[float]
    hits: list[float]
    empty: int = 0

    def add(self, found: list[str], relevant: set[str]) -> None:
        """Count one query's answer."""
        right = [pid for pid in found if pid in relevant]
        if found:
            self.precision.append(len(right) / len(found))
        else:
            self.empty += 1
        if relevant:
            self.recall.append(len(right) / len(relevant))
            self.hits.append(len([p for p in found[:TOP] if p in relevant]) / min(TOP, len(relevant)))

    def means(self) -> tuple[float, float, float]:
        """Return mean precision, recall and hits@10."""
        return tuple(sum(v) / len(v) if v else 0.0 for v in (self.precision, self.recall, self.hits))  # type: ignore[return-value]


def stems(args: argparse.Namespace) -> dict[str, str]:
    """Return what PostgreSQL's `indonesian` configuration makes of each trap word."""
    engine = create_engine(args.database_url)
    with engine.connect() as conn:
        found = {
            word: conn.scalar(text("SELECT to_tsvector('indonesian', :w)"), {"w": word}) for word in TRAPS
        }
    engine.dispose()
    return {word: str(vector).split(":")[0].strip("'") for word, vector in found.items()}


def main() -> None:
    """Build the corpus, judge the queries, run every system and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--verbose", action="store_true", help="print every query's figures")
    args = parser.parse_args()
    docs = demo_corpus()
    relevant = judged(docs)
    pages = sum(len(doc.pages) for doc in docs)
    judgements = sum(map(len, relevant.values()))
    print(f"{len(docs)} publications, {pages} pages; {len(QUERIES)} queries, {judgements} relevant pairs")
    schema = f"bench_analysis_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    systems = ("simple", "indonesian", "indonesian_parser", "sastrawi", "engine")
    scores = {name: Score([], [], []) for name in systems}
    try:
        database = create_engine(f"{args.database_url}?options=-csearch_path%3D{schema}")
        with database.begin() as conn:
            load(conn, docs)
        with PostgresSearchEngine(database) as engine, database.connect() as conn:
            engine.rebuild(docs)
            for query, _ in QUERIES:
                answers = {name: ranked(conn, name, query) for name in systems[:-1]}
                results = engine.search(Query(text=query, per_page=100, closed_text=True))
                answers["engine"] = [hit.publication_id for hit in results.hits]
                for name in systems:
                    scores[name].add(answers[name], relevant[query])
                if args.verbose:
                    shown = "  ".join(
                        f"{name} {len(answers[name])}/{len(set(answers[name]) & relevant[query])}"
                        for name in systems
                    )
                    print(f"  {query:32} relevant {len(relevant[query]):3}  {shown}  (matched/right)")
        database.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    print("\nstems: " + "  ".join(f"{word} {pg}|{stem_indonesian(word)}" for word, pg in stems(args).items()))
    print("        (PostgreSQL's indonesian | Sastrawi)")
    base = scores["simple"].means()
    print(f"\n{'system':18} {'precision':>9} {'recall':>7} {'hits@10':>8} {'no match':>8}   against simple")
    for name in systems:
        precision, recall, hits = scores[name].means()
        ratio = "  ".join(
            f"{label} x{value / b:.2f}" if b else f"{label} -"
            for label, value, b in zip(("P", "R", "H"), (precision, recall, hits), base, strict=True)
        )
        print(f"{name:18} {precision:9.3f} {recall:7.3f} {hits:8.3f} {scores[name].empty:8}   {ratio}")


if __name__ == "__main__":
    main()
