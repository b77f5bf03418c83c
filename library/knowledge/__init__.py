"""The knowledge base: staff-written answers to common questions, searched with the library.

- `entries`: consultants write an entry from scratch or from a closed consultation (its
  question and the consultant's answer, the user left out), edit it, publish and unpublish it
  (`check_create_entry`, `check_edit_entry`, `check_publish`, `consultation_draft`).
- `read_models`: the desk's list, one entry for staff, a published entry for everyone, the
  latest published ones (`list_entries`, `staff_entry`, `public_entry`, `latest_published`).
- `indexing`: the answers' own small search index, fed by a job after commit, and the
  search that shows published answers above the publications (`do_index_answers`,
  `do_reindex_answers`, `check_answers`, `search_answers`).
"""
