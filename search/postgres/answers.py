"""The knowledge base's answers searched in PostgreSQL, behind the same interface as Whoosh's.

One row per published answer in `fts_answer`: its question, topic and answer as tsvectors of
the same words and Indonesian stems as the Whoosh answers index (`search.whoosh.answers`: no
stopwords, Sastrawi stems), each lexeme with its positions so that a word said twice weighs
more. A search matches any of the typed words' stems and ranks by `ts_rank` in each field,
weighted as Whoosh weighs them (question 3, topic 2, answer 1). The answers are a few hundred
short texts: a scan of the table answers in well under a millisecond, so it has no GIN index.
Every host reads the same rows, and the job worker writes them after the entry's commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, create_engine, text

from search.analysis import stem_indonesian, tokens
from search.answers import MAX_ANSWER_HITS, TEXT_FIELDS, AnswerDoc, AnswerHit
from search.postgres.analysis import quote

ANSWER_DDL = """
CREATE TABLE IF NOT EXISTS fts_answer (
    answer_id text COLLATE "C" PRIMARY KEY,
    title tsvector NOT NULL,
    topic tsvector NOT NULL,
    body tsvector NOT NULL
)
"""
MAX_POSITION = 16383  # PostgreSQL's highest lexeme position: later words count there
_UPSERT = text(
    "INSERT INTO fts_answer (answer_id, title, topic, body) VALUES (:answer_id, CAST(:title AS tsvector), "
    "CAST(:topic AS tsvector), CAST(:body AS tsvector)) ON CONFLICT (answer_id) DO UPDATE SET "
    "title = EXCLUDED.title, topic = EXCLUDED.topic, body = EXCLUDED.body"
)
_SCORE = " + ".join(
    f"{boost} * ts_rank({name}, CAST(:query AS tsquery), 1)" for name, boost in TEXT_FIELDS.items()
)
_SEARCH = text(
    f"SELECT answer_id, {_SCORE} AS score FROM fts_answer "
    f"WHERE ({' || '.join(TEXT_FIELDS)}) @@ CAST(:query AS tsquery) "
    "ORDER BY score DESC, answer_id LIMIT :limit"
)


def create_answer_table(conn: Connection) -> None:
    """Create the answers' table if it is missing."""
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('pustaka fts tables'))"))
    conn.execute(text(ANSWER_DDL))


def answer_vector(value: str) -> str:
    """Return a tsvector's text of the words' stems, each with the positions it holds."""
    positions: dict[str, list[int]] = {}
    for index, (word, _, _) in enumerate(tokens(value), start=1):
        positions.setdefault(stem_indonesian(word), []).append(min(index, MAX_POSITION))
    return " ".join(
        f"{quote(stem)}:{','.join(str(p) for p in sorted(set(found)))}" for stem, found in positions.items()
    )


class PostgresAnswerIndex:
    """Index published answers in a PostgreSQL table and find the ones whose words match a search."""

    def __init__(self, database: Engine | str, *, create: bool = True) -> None:
        """Open the answers' table in `database`; `create=False`: the migrations made it."""
        self._owned = isinstance(database, str)  # an engine given is the caller's to dispose of
        self._engine = create_engine(database) if isinstance(database, str) else database
        if create:
            with self._engine.begin() as conn:
                create_answer_table(conn)

    def index(self, docs: Iterable[AnswerDoc]) -> None:
        """Add the answers, replacing any already indexed with the same id."""
        rows = [
            {"answer_id": doc.answer_id, **{name: answer_vector(getattr(doc, name)) for name in TEXT_FIELDS}}
            for doc in docs
        ]
        if rows:
            with self._engine.begin() as conn:
                conn.execute(_UPSERT, rows)

    def delete(self, answer_ids: Iterable[str]) -> None:
        """Remove the answers; unknown ids are ignored."""
        with self._engine.begin() as conn:
            delete = text("DELETE FROM fts_answer WHERE answer_id = ANY(:ids)")
            conn.execute(delete, {"ids": list(answer_ids)})

    def clear(self) -> None:
        """Remove every answer (DELETE: searches see the old rows until the rebuild commits)."""
        with self._engine.begin() as conn:
            conn.execute(text("DELETE FROM fts_answer"))

    def ids(self) -> set[str]:
        """Return the ids of every indexed answer."""
        with self._engine.connect() as conn:
            return set(conn.scalars(text("SELECT answer_id FROM fts_answer")))

    def search(self, text_typed: str, limit: int = 5) -> list[AnswerHit]:
        """Return the answers holding any of the words (stems), best first."""
        stems = dict.fromkeys(stem_indonesian(word) for word, _, _ in tokens(text_typed[:500]))
        if not stems or limit < 1:
            return []
        query = " | ".join(quote(stem) for stem in stems)
        # One statement: autocommit spares it a BEGIN and a ROLLBACK, two round trips.
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            rows = conn.execute(_SEARCH, {"query": query, "limit": min(limit, MAX_ANSWER_HITS)})
            return [AnswerHit(answer_id, float(score)) for answer_id, score in rows]

    def close(self) -> None:
        """Let go of the database connections, if this index opened them (it was given a URL)."""
        if self._owned:
            self._engine.dispose()
