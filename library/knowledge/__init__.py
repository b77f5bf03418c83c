"""The knowledge base: staff-written answers to common questions, searched with the library.

Consultants write an entry from scratch or from a closed consultation (its question and the
consultant's answer, the user left out), then publish it. Start at `entries` (`check_create_entry`,
`consultation_draft`) and `read_models`; the answers have their own small search index, fed by a
job after commit and shown above the publications (`indexing`: `search_answers`).
"""
