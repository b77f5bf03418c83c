"""Typing slips: how far a typed word is from a known one.

A swap of neighbouring letters is the commonest slip, and counts as one here (Levenshtein's
distance counts it as two), so every engine looks swaps up directly.
"""

from __future__ import annotations


def max_edits(word: str) -> int:
    """Return how many typing slips a word of this length may contain."""
    return 1 if len(word) < 10 else 2


def edit_distance(a: str, b: str) -> int:
    """Return the number of typing slips between two words (a swap of neighbours is one)."""
    if len(a) == len(b) and a in swaps(b):
        return 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def swaps(word: str) -> set[str]:
    """Return the words made by swapping two neighbouring letters after the first."""
    # Swaps are the commonest slip, and Whoosh's Levenshtein automaton counts one as two
    # edits, so engines look these up directly.
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)} - {word}
