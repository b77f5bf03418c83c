"""The catalogue area."""
