"""Who the month's consultations were about and with, computed with the test's own arithmetic."""

from __future__ import annotations

from collections import Counter

import catalog_data
from tests.functional.reports.month_records import CounterConsultation, OnlineConsultation

# Each controlled subject by every spelling the data gives it (names in both languages, aliases).
SUBJECT_NAMES = {
    " ".join(spelling.lower().split()): term.name
    for group in catalog_data.load_subjects()
    for term in group.terms
    for spelling in (term.name, term.name_en, *term.aliases)
}

Row = dict[str, object]


def consultation_topics(online: list[OnlineConsultation], counter: list[CounterConsultation]) -> list[Row]:
    """Return the month's 20 most asked topics, online and at the counter (a subject by its name)."""

    def key(topic: str) -> str:
        typed = " ".join(topic.lower().split())
        return SUBJECT_NAMES.get(typed, typed)

    by_web = Counter(key(c.topic) for c in online)
    by_visit = Counter(key(c.topic) for c in counter)
    ranked = sorted((by_web + by_visit).items(), key=lambda tc: (-tc[1], tc[0]))[:20]
    return [
        {"rank": n, "topic": t, "online": by_web[t], "walk_in": by_visit[t], "consultations": total}
        for n, (t, total) in enumerate(ranked, start=1)
    ]


def consultation_consultants(
    online: list[OnlineConsultation], counter: list[CounterConsultation]
) -> list[Row]:
    """Return each consultant's consultations, online (assigned) and at the counter (recorded), most first."""
    assigned = Counter(c.consultant for c in online if c.consultant)
    recorded = Counter(c.consultant for c in counter)
    people = sorted(set(assigned) | set(recorded), key=lambda p: (-(assigned[p] + recorded[p]), p.lower()))
    return [
        {
            "consultant": p,
            "online": assigned[p],
            "walk_in": recorded[p],
            "consultations": assigned[p] + recorded[p],
        }
        for p in people
    ]
