"""The nine elements of the SKM survey (PermenPANRB 14/2017) with their standard wording.

Each element is asked as one question with four answers scored 1 (worst) to 4 (best).
Answers are stored by the element's code, never by its position on the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from library.i18n import N_
from library.models import ELEMENT_CODES


@dataclass(frozen=True)
class Element:
    """One element: its code, its short name, the question and the four answers (score 1 first)."""

    code: str
    name: str
    question: str
    answers: tuple[str, str, str, str]


ELEMENTS = (
    Element(
        "U1",
        N_("Requirements"),
        N_("How well do the service's requirements suit the kind of service?"),
        (N_("Not suitable"), N_("Less suitable"), N_("Suitable"), N_("Very suitable")),
    ),
    Element(
        "U2",
        N_("Systems, mechanisms and procedures"),
        N_("How easy is the service's procedure?"),
        (N_("Not easy"), N_("Less easy"), N_("Easy"), N_("Very easy")),
    ),
    Element(
        "U3",
        N_("Completion time"),
        N_("How fast was the service given?"),
        (N_("Not fast"), N_("Less fast"), N_("Fast"), N_("Very fast")),
    ),
    Element(
        "U4",
        N_("Cost or fee"),
        N_("How fair is the cost or fee of the service?"),
        (N_("Very expensive"), N_("Fairly expensive"), N_("Cheap"), N_("Free")),
    ),
    Element(
        "U5",
        N_("Products and specifications of the service"),
        N_("How well does what you received match what the service standard lists?"),
        (N_("Not suitable"), N_("Less suitable"), N_("Suitable"), N_("Very suitable")),
    ),
    Element(
        "U6",
        N_("Competence of the staff"),
        N_("How competent were the staff who served you?"),
        (N_("Not competent"), N_("Less competent"), N_("Competent"), N_("Very competent")),
    ),
    Element(
        "U7",
        N_("Conduct of the staff"),
        N_("How polite and friendly were the staff?"),
        (
            N_("Not polite and friendly"),
            N_("Less polite and friendly"),
            N_("Polite and friendly"),
            N_("Very polite and friendly"),
        ),
    ),
    Element(
        "U8",
        N_("Handling of complaints, suggestions and feedback"),
        N_("How are complaints from service users handled?"),
        (
            N_("Not available"),
            N_("Available but not working"),
            N_("Working, not at its best"),
            N_("Well managed"),
        ),
    ),
    Element(
        "U9",
        N_("Facilities and infrastructure"),
        N_("What is the quality of the facilities and infrastructure?"),
        (N_("Poor"), N_("Adequate"), N_("Good"), N_("Very good")),
    ),
)
assert tuple(e.code for e in ELEMENTS) == ELEMENT_CODES
BY_CODE = {element.code: element for element in ELEMENTS}
