"""Controlled subjects: BPS's vocabulary in both languages, free-text variants merged into it.

- `vocabulary`: loading the vocabulary (`load_missing_subjects`); a typed text mapped to a subject
  by name or alias, folded (`controlled_subject`, `map_subject`, `apply_subject`), for the form,
  CSV batches and MARC records alike; the names a form suggests (`subject_names`); the subject
  of every spelling (`subject_keys`), for reports grouping typed topics.
- `merging`: the librarian's screen: the list by group, the variants in use, a merge previewed
  then confirmed (`subject_overview`, `preview_merge`, `check_merge`), office subjects added
  and deactivated (`check_add_term`, `check_set_term_active`).

Other areas use only what this package exports.
"""

from library.subjects.merging import (
    GroupRow,
    PlannedChange,
    TermRow,
    Variant,
    check_add_term,
    check_merge,
    check_set_term_active,
    preview_merge,
    subject_overview,
)
from library.subjects.vocabulary import (
    Mapped,
    apply_subject,
    controlled_subject,
    english_name,
    free_text_count,
    load_missing_subjects,
    map_subject,
    subject_keys,
    subject_names,
)

__all__ = [
    "GroupRow",
    "Mapped",
    "PlannedChange",
    "TermRow",
    "Variant",
    "apply_subject",
    "check_add_term",
    "check_merge",
    "check_set_term_active",
    "controlled_subject",
    "english_name",
    "free_text_count",
    "load_missing_subjects",
    "map_subject",
    "preview_merge",
    "subject_keys",
    "subject_names",
    "subject_overview",
]
