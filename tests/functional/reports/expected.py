"""The report's figures computed from what the month generated, with the test's own arithmetic.

Rows are plain values as the JSON gives them: codes for named things ("library", "online",
"U1", "A", "review"), numbers, ISO dates, None where there is nothing to measure. The
IKM follows PermenPANRB 14/2017 step by step: each element's mean, 25 x their mean, half up.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from library.models import DeliveryChannel
from tests.functional.reports.expected_consultants import consultation_consultants, consultation_topics
from tests.functional.reports.expected_visitors import visitors
from tests.functional.reports.month import CALENDAR, FIRST, LAST, NOW, TARGETS, WIB, WORKING_DAYS, Month
from tests.functional.reports.month_consultations import REFERRALS

Row = dict[str, object]
CENT = Decimal("0.01")


def in_month(day: dt.date) -> bool:
    """Tell whether an office day is in November 2026."""
    return FIRST <= day <= LAST


def local_day(moment: dt.datetime) -> dt.date:
    """Return the WIB day of a moment."""
    return moment.astimezone(WIB).date()


def nearest_rank(values: list[float], percent: int) -> float | None:
    """Return the nearest-rank percentile, one decimal."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[math.ceil(percent * len(ordered) / 100) - 1], 1)


def median(values: list[float]) -> float | None:
    """Return the median, one decimal."""
    return round(statistics.median(values), 1) if values else None


def percent(part: int, whole: int) -> float | None:
    """Return a share in percent, one decimal."""
    return round(100 * part / whole, 1) if whole else None


def expected(month: Month) -> dict[str, list[Row]]:
    """Return every table of the report by its key."""
    tables: dict[str, list[Row]] = {}
    tables.update(walk_in(month))
    tables.update(visitors(month))
    tables["appointments"] = []  # nobody booked in the lived month (test_appointments.py counts bookings)
    tables.update(online(month))
    tables.update(copies(month))
    tables.update(searches(month))
    # Nobody opened a publication's page in the lived month (tests/functional/usage counts usage).
    none_used = dict.fromkeys(("views", "reads", "pages", "downloads", "requests", "sessions"), 0)
    tables.update(usage_totals=[{"publications": 0, **none_used}], usage_offices=[], usage_collections=[])
    tables.update(usage_publications=[])
    tables.update(satisfaction(month))
    tables.update(consultation(month, tables["ikm"]))
    tables.update(complaints(month))
    return tables


def walk_in(month: Month) -> dict[str, list[Row]]:
    """Return the walk-in tables."""
    rows, breaches = [], []
    for service, target in TARGETS.items():
        tickets = [w for w in month.walk_ins if w.service == service and in_month(w.day)]
        served = [w for w in tickets if w.served is not None]
        waits = [(w.served - w.clock_start).total_seconds() / 60 for w in served]  # type: ignore[operator]
        late = [w for w, wait in zip(served, waits, strict=True) if wait > target]
        rows.append(
            {
                "service": service,
                "target_minutes": target,
                "visits": len(tickets),
                "served": len(served),
                "within_target": len(served) - len(late),
                "within_target_percent": percent(len(served) - len(late), len(served)),
                "not_served": len(tickets) - len(served),
                "transferred": 0,  # the month transfers nobody (test_walk_in_reconciles does)
                "median_wait_minutes": median(waits),
                "p90_wait_minutes": nearest_rank(waits, 90),
                "breaches": len(late),
            }
        )
        breaches += [
            {
                "day": w.day.isoformat(),
                "service": service,
                "ticket": w.code,
                "waited_minutes": round((w.served - w.clock_start).total_seconds() / 60, 1),  # type: ignore[operator]
                "reason": w.reason or None,
            }
            for w in late
        ]
    breaches.sort(key=lambda b: (b["day"], b["ticket"]))  # type: ignore[return-value]
    # The month declares no priority visitor (their figures: tests/integration/.../test_priority_report.py).
    nobody = {"visits": 0, "served": 0, "within_target": 0, "within_target_percent": None, "not_served": 0}
    none = {"transferred": 0, "median_wait_minutes": None, "p90_wait_minutes": None, "breaches": 0}
    priority = [{"service": s, "target_minutes": t, **nobody, **none} for s, t in TARGETS.items()]
    return {"walk_in": rows, "walk_in_priority": priority, "walk_in_breaches": breaches}


def online(month: Month) -> dict[str, list[Row]]:
    """Return the softcopy request tables."""
    made = sorted((r for r in month.requests if in_month(local_day(r.submitted))), key=lambda r: r.submitted)
    answered = [r for r in made if r.answered is not None]
    hours = [(r.answered - r.submitted).total_seconds() / 3600 for r in answered]  # type: ignore[operator]
    within = [r for r in answered if r.answered <= r.due]  # type: ignore[operator]
    late = [r for r in made if (r.answered is None and r.due < NOW) or (r.answered and r.answered > r.due)]
    row = {
        "service": "library",
        "target_working_days": WORKING_DAYS,
        "requests": len(made),
        "at_terminal": sum(r.at_terminal for r in made),
        "answered": len(answered),
        "within_target": len(within),
        "within_target_percent": percent(len(within), len(answered)),
        "open": len(made) - len(answered),
        "median_hours": median(hours),
        "p90_hours": nearest_rank(hours, 90),
        "breaches": len(late),
    }
    breaches: list[Row] = [
        {
            "submitted": local_day(r.submitted).isoformat(),
            "number": r.number,
            "due": local_day(r.due).isoformat(),
            "answered_on": local_day(r.answered).isoformat() if r.answered else None,
            "status": r.status.value,
            "reason": r.reason,
        }
        for r in late
    ]
    return {"online": [row], "online_breaches": breaches}


def copies(month: Month) -> dict[str, list[Row]]:
    """Return the copy and download tables."""
    made = [c for c in month.copies if in_month(local_day(c.at))]
    channels: list[Row] = [
        {
            "channel": channel.value,
            "copies": sum(1 for c in made if c.channel is channel),
            "pages": sum(c.pages for c in made if c.channel is channel),
        }
        for channel in DeliveryChannel
    ]
    downloads = [(number, pid) for number, pid, when in month.downloads if in_month(local_day(when))]
    copied: Counter[tuple[int | None, str]] = Counter(
        (c.publication_id, "" if c.publication_id else c.title) for c in made
    )
    fetched: Counter[tuple[int | None, str]] = Counter((pid, "") for _, pid in downloads)
    keys = set(copied) | set(fetched)

    def title(key: tuple[int | None, str]) -> str:
        return month.titles[key[0]] if key[0] is not None else key[1]

    ranked = sorted(keys, key=lambda k: (-copied[k], -fetched[k], title(k).casefold(), k[0] or 0))[:10]
    top: list[Row] = [
        {"rank": n, "publication": title(k), "copies": copied[k], "downloads": fetched[k]}
        for n, k in enumerate(ranked, start=1)
    ]
    return {
        "copies_by_channel": channels,
        "downloads": [
            {"downloads": len(downloads), "copies_downloaded": len({number for number, _ in downloads})}
        ],
        "top_publications": top,
    }


def searches(month: Month) -> dict[str, list[Row]]:
    """Return the search tables."""
    counted: Counter[str] = Counter()
    for (day, term), count in month.searches.items():
        if in_month(day):
            counted[term] += count
    top = sorted(counted.items(), key=lambda tc: (-tc[1], tc[0]))[:10]
    return {
        "search_totals": [{"searches": sum(counted.values()), "terms": len(counted)}],
        "search_terms": [{"rank": n, "term": t, "searches": c} for n, (t, c) in enumerate(top, start=1)],
    }


def satisfaction(month: Month) -> dict[str, list[Row]]:
    """Return the IKM tables: all services, then each."""
    answers = [(service, scores) for service, day, scores in month.surveys if in_month(day)]
    tables: dict[str, list[Row]] = {"ikm": []}
    for service in ("all", "library", "consultation"):
        chosen = [scores for s, scores in answers if service in ("all", s)]
        means = (
            [Fraction(sum(s[f"U{n}"] for s in chosen), len(chosen)) for n in range(1, 10)] if chosen else []
        )
        value = None
        if means:
            exact = 25 * sum(means, Fraction(0)) / 9
            value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(CENT, ROUND_HALF_UP)
        population = sum(
            1 for s, when in month.invited if service in ("all", s) and in_month(local_day(when))
        )
        minimum = krejcie_morgan(population)
        tables["ikm"].append(
            {
                "service": service,
                "responses": len(chosen),
                "flagged": 0,  # each day's visitors of a service declare names of their own
                "set_aside_rule": 0,
                "set_aside_staff": 0,
                "population": population,
                "minimum_sample": minimum,
                "sample": None if not population else "enough" if len(chosen) >= minimum else "too_small",
                "ikm": float(value) if value else None,
                "grade": grade(value),
            }
        )
        tables[f"ikm_elements_{service}"] = [
            {
                "element": f"U{n}",
                "answered": len(chosen),
                "nrr": float((Decimal(m.numerator) / Decimal(m.denominator)).quantize(CENT, ROUND_HALF_UP)),
            }
            for n, m in enumerate(means, start=1)
        ]
    return hide_small_groups(tables)


def consultation_closures(month: Month) -> Row:
    """Return how many online consultations closed in the month: by the consultant, the user, the silence."""
    closures = Counter(
        c.closed[0] for c in month.online_consultations if c.closed and in_month(local_day(c.closed[1]))
    )
    return {
        "closed_by_consultant": closures["closed"],
        "closed_by_user": closures["closed_by_user"],
        "closed_automatically": closures["closed_silent"],
    }


def consultation(month: Month, ikm: list[Row]) -> dict[str, list[Row]]:
    """Return the consultation tables: channels, times, topics, consultants, referrals, the IKM row."""
    online = [c for c in month.online_consultations if in_month(local_day(c.opened))]
    counter = [c for c in month.counter_consultations if in_month(c.day)]
    clarified = [(c.first_reply - c.opened).total_seconds() / 3600 for c in online if c.first_reply]
    answered = [(c.answered - c.opened).total_seconds() / 3600 for c in online if c.answered]
    measured = [c for c in online if c.due and (c.answered or c.due < NOW)]
    within = [c for c in measured if c.answered and c.due and c.answered <= c.due]
    times = {
        "consultations": len(online),
        "clarified": len(clarified),
        "median_hours_to_clarification": median(clarified),
        "answered": len(answered),
        "median_hours_to_answer": median(answered),
        "measured": len(measured),
        "within_target": len(within),
        "within_target_percent": percent(len(within), len(measured)),
        **consultation_closures(month),
    }
    referred = Counter(c.referral for c in counter)
    return {
        "consultation_channels": [
            *(
                {"consultation_channel": c, "consultations": sum(1 for o in online if o.channel == c)}
                for c in ("web", "email", "whatsapp", "phone", "social")
            ),
            {"consultation_channel": "walk_in", "consultations": len(counter)},
        ],
        "consultation_times": [times],
        "consultation_topics": consultation_topics(online, counter),
        "consultation_consultants": consultation_consultants(online, counter),
        "consultation_referrals": [
            {"referral": r, "walk_ins": referred[r]} for r in dict.fromkeys(("none", *REFERRALS))
        ],
        "consultation_ikm": [dict(row) for row in ikm if row["service"] == "consultation"],
    }


def krejcie_morgan(population: int) -> int:
    """Return the Krejcie-Morgan sample of a population: X2 N P(1-P) / (d2 (N-1) + X2 P(1-P)), rounded."""
    if not population:
        return 0
    spread = Fraction(3841, 1000) / 4
    size = spread * population / (Fraction(1, 400) * (population - 1) + spread)
    return min(population, int(size + Fraction(1, 2)))


def hide_small_groups(tables: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """Take the scores out of groups of fewer than 5 answers, and out of "all" if it would give them away."""
    counts = {row["service"]: row["responses"] for row in tables["ikm"]}
    small = {s for s, n in counts.items() if s != "all" and n < 5}
    if 0 < sum(counts[s] for s in small) < 5 or counts["all"] < 5:
        small.add("all")
    for row in tables["ikm"]:
        if row["service"] in small:
            row.update(ikm=None, grade=None)
    return {k: [] if k.removeprefix("ikm_elements_") in small else rows for k, rows in tables.items()}


def grade(value: Decimal | None) -> str | None:
    """Return the grade band of an IKM."""
    if value is None:
        return None
    if value >= Decimal("88.31"):
        return "A"
    if value >= Decimal("76.61"):
        return "B"
    return "C" if value >= Decimal("65.00") else "D"


COMPLAINT_TARGET = 5  # working days: no standard in the seeds names one


def complaints(month: Month) -> dict[str, list[Row]]:
    """Return the complaint tables: by status, by element, and the time to answer."""
    received = [c for c in month.complaints if in_month(local_day(c.received))]
    statuses = Counter(c.status.value for c in received)
    elements = Counter(c.element or "none" for c in received)
    answered = [c for c in received if c.answered is not None]
    hours = [(c.answered - c.received).total_seconds() / 3600 for c in answered]  # type: ignore[operator]
    within = 0
    for c in answered:
        # Five working days on: the same time of day, weekends and holidays skipped.
        local = c.received.astimezone(WIB)
        day, when = local.date(), local.time()
        if not CALENDAR.is_working_day(day):
            day, when = CALENDAR.next_working_day(day), dt.time(8)
        for _ in range(COMPLAINT_TARGET):
            day = CALENDAR.next_working_day(day)
        within += c.answered <= dt.datetime.combine(day, when, WIB)  # type: ignore[operator]
    return {
        "complaints_by_status": [
            {"complaint_status": s, "complaints": statuses[s]}
            for s in ("new", "in_progress", "answered", "closed")
        ],
        "complaints_by_element": [
            {"skm_element": e, "complaints": elements[e]}
            for e in [*(f"U{n}" for n in range(1, 10)), "none"]
            if received
        ],
        "complaints_answers": [
            {
                "received": len(received),
                "answered": len(answered),
                "target_working_days": COMPLAINT_TARGET,
                "within_target": within,
                "within_target_percent": percent(within, len(answered)),
                "median_hours": median(hours),
                "open": len(received) - len(answered),
            }
        ],
    }
