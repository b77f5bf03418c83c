"""Controlled subjects: BPS's vocabulary in both languages, free-text variants merged into it.

- `vocabulary`: loading the vocabulary (`load_missing_subjects`); a typed text mapped to a subject
  by name or alias, folded (`controlled_subject`, `map_subject`, `apply_subject`), for the form,
  CSV batches and MARC records alike; the names a form suggests (`subject_names`); the subject
  of every spelling (`subject_keys`), for reports grouping typed topics.
- `merging`: the librarian's screen: the list by group, the variants in use, a merge previewed
  then confirmed (`subject_overview`, `preview_merge`, `check_merge`), office subjects added
  and deactivated (`check_add_term`, `check_set_term_active`).
"""
