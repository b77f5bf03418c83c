"""The month's searches: what visitors typed (mixed spelling, some personal data), and one by staff."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from flask import Flask

from library.catalogue.search_terms import do_count_search
from library.models import User

TERMS = ("inflasi", "kemiskinan", "penduduk", "ipm kota metro", "pdrb", "metro dalam angka", "upah", "ekspor")
PERSONAL = ("budi.santoso@example.id", "0812-3456-7890", "3171234567890123")  # never counted


def count_searches(
    app: Flask, rng: random.Random, day: dt.date, staff: User, office_code: str
) -> Counter[tuple[dt.date, str]]:
    """Count a day's searches: mixed spelling, words that are personal data, one by staff.

    Return the searches the report counts, by day and words as the report groups them.
    """
    typed = [rng.choices(TERMS, weights=(9, 7, 6, 5, 4, 3, 2, 1))[0] for _ in range(rng.randint(0, 6))]
    typed = [f"  {t.title()} " if rng.random() < 0.3 else t for t in typed]
    if rng.random() < 0.2:
        typed.append(rng.choice(PERSONAL))
    with app.extensions["pustaka"].uow() as uow:
        for n, words in enumerate(typed):  # each by another visitor
            do_count_search(uow, None, office_code, words, day, client=f"pengunjung-{n}")
        do_count_search(
            uow, staff, office_code, "uji coba petugas", day, client="petugas"
        )  # staff: not counted
        uow.commit()
    return Counter((day, " ".join(words.lower().split())) for words in typed if words not in PERSONAL)
