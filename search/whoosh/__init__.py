"""The Whoosh engine: the index on disk, its scoring, caches and bulk rebuild (the default).

Start at `engine` (`WhooshSearchEngine`): an index folder that one process writes and any process
reads, scored by reading Whoosh's posting blocks directly (BM25), with page texts kept beside it
for snippets.
"""
