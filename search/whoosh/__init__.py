"""The Whoosh engine: the index on disk, its scoring, caches and bulk rebuild (the default)."""
