"""The softcopy area."""
