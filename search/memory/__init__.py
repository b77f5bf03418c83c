"""The search engine in memory: the same contract as Whoosh's and PostgreSQL's, for tests (`engine`)."""
