"""The topics consultations are about: one list of suggestions for both channels.

A topic stays free text (a person's question rarely fits a fixed list), but the forms online,
at the counter and in the knowledge base suggest the same words: BPS's subjects first, then
the topics asked most often, in the spelling used most. The reports group topics by
`topic_key`, so "Kemiskinan" and "kemiskinan " count as one.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from catalog_data.records import SUBJECTS
from library.models import Consultation, KnowledgeEntry, WalkInConsultation
from library.uow import UnitOfWork

MOST_ASKED = 30  # topics asked before, after the subjects
READ_AT_MOST = 500  # distinct spellings read from each table, most used first


def topic_key(topic: str) -> str:
    """Return a topic as it is grouped: lower case, single spaces."""
    return " ".join(topic.casefold().split())


def suggested_topics(uow: UnitOfWork, most_asked: int = MOST_ASKED) -> list[str]:
    """Return the topics to suggest: the subjects, then the ones asked most, each once."""
    uses: Counter[str] = Counter()  # by key
    spellings: dict[str, Counter[str]] = {}
    for column in (Consultation.topic, WalkInConsultation.topic, KnowledgeEntry.topic):
        rows = uow.session.execute(
            select(column, func.count()).group_by(column).order_by(func.count().desc()).limit(READ_AT_MOST)
        )
        for topic, count in rows:
            spelled = " ".join(str(topic or "").split())
            if not spelled:
                continue
            key = topic_key(spelled)
            uses[key] += int(count)
            spellings.setdefault(key, Counter())[spelled] += int(count)
    subjects = {topic_key(s) for s in SUBJECTS}
    asked = sorted((k for k in uses if k not in subjects), key=lambda k: (-uses[k], k))[:most_asked]
    return [*SUBJECTS, *(_most_used(spellings[k]) for k in asked)]


def _most_used(spellings: Counter[str]) -> str:
    """Return the spelling used most (the first in order when tied)."""
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
