"""Controlled subjects: BPS's vocabulary in both languages, free-text variants merged into it.

A typed text is mapped to a subject by name or alias, folded, for the form, CSV batches and MARC
records alike (`vocabulary`: `map_subject`); the librarian's screen merges the variants in use,
previewed then confirmed, and adds or deactivates office subjects (`merging`: `check_merge`).
"""
