"""Library terminals: the registered devices, a visitor's terminal session on one, its ticket entry."""
