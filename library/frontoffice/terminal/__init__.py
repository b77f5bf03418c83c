"""Library terminals: the registered devices, a visitor's reading session on one, its ticket entry."""
