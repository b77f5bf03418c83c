"""The knowledge base's answers as every engine indexes and finds them: one answer, one hit, the
fields' weights (the Whoosh index: `search.whoosh.answers`; PostgreSQL's: `search.postgres.answers`)."""

from __future__ import annotations

from dataclasses import dataclass

TEXT_FIELDS = {"title": 3.0, "topic": 2.0, "body": 1.0}  # a word in the question weighs most
MAX_ANSWER_HITS = 20


@dataclass(frozen=True)
class AnswerDoc:
    """What the index holds of one published answer."""

    answer_id: str
    title: str
    topic: str
    body: str


@dataclass(frozen=True)
class AnswerHit:
    """One answer found, best first."""

    answer_id: str
    score: float
