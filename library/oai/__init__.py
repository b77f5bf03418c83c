"""The oai area."""
