"""Benchmark finding a misspelt word's neighbours: rapidfuzz over its letter's words, Whoosh's automaton.

    python benchmarks/typos.py [--pages 20000] [--words 300]

Indexes the search benchmark's seeded corpus (`benchmarks/_search_corpus.py`) with the Whoosh
engine, makes --words misspellings of its words (a letter dropped, doubled, changed, two
swapped) and finds each one's neighbours within two edits, sharing the first letter, the two
ways, in the same run:
- as the engine did before: Whoosh's Levenshtein automaton built for the word (cached per word
  by then, so built once: a new word's cost) and walked over each segment's term index;
- as it does now (`IndexVocabulary.near`): the words starting with the letter, read once per
  index version, compared in C by rapidfuzz.
Prints the time per new word each way and the ratio, the one-time cost of reading a letter's
words, the memory the letters' lists hold, and checks both ways find the same neighbours.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh.automata.lev import levenshtein_automaton  # noqa: E402
from whoosh.codec.base import Automata  # noqa: E402

from benchmarks._search_corpus import build_corpus  # noqa: E402
from search.result_cache import ResultCache  # noqa: E402
from search.typing_slips import swaps  # noqa: E402
from search.whoosh.engine import WhooshSearchEngine  # noqa: E402
from search.whoosh.query import IndexVocabulary  # noqa: E402


def automaton_near(vocabulary: IndexVocabulary, reader, word: str, maxdist: int) -> set[str]:  # noqa: ANN001
    """Return the neighbours the way the engine found them before this benchmark's change."""
    dfa = levenshtein_automaton(word, maxdist, prefix=1).to_dfa()
    found: set[str] = set()
    for leaf, _ in reader.leaf_readers():
        for field in vocabulary._exact:
            if field in leaf.indexed_field_names():
                for match in Automata.find_matches(dfa, leaf.cursor(field)):
                    if reader.doc_frequency(field, match):
                        found.add(match)
    return found | {w for w in swaps(word) if vocabulary.doc_frequency(w)}


def misspellings(words: list[str], count: int, rng: random.Random) -> list[str]:
    """Return `count` different slips of the words, each keeping its first letter."""
    made: dict[str, None] = {}
    while len(made) < count:
        word = rng.choice(words)
        at = rng.randrange(1, len(word) - 1)
        slip = rng.choice(
            (
                word[:at] + word[at + 1 :],
                word[:at] + word[at] + word[at:],
                word[:at] + rng.choice("aeiouknrst") + word[at + 1 :],
                word[:at] + word[at + 1] + word[at] + word[at + 2 :],
            )
        )
        if slip != word:
            made[slip] = None
    return list(made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--seed", type=int, default=27)
    args = parser.parse_args()
    corpus = build_corpus(args.pages)
    with tempfile.TemporaryDirectory(prefix="pustaka-typos-") as folder:
        with WhooshSearchEngine(Path(folder), limitmb=256) as engine:
            engine.rebuild(corpus.docs)
        with WhooshSearchEngine(Path(folder)) as engine:
            reader = engine._view().searcher.reader()
            vocabulary = IndexVocabulary(reader, False, ResultCache(20_000), "v")
            known = sorted(
                {
                    w.decode()
                    for f in vocabulary._exact
                    for w in reader.lexicon(f)
                    if w.isalpha() and len(w) >= 5
                }
            )
            slips = misspellings(known, args.words, random.Random(args.seed))
            started = time.perf_counter()
            letters = {slip[0] for slip in slips}
            for letter in letters:
                vocabulary.spellings(letter)
            reading = time.perf_counter() - started
            started = time.perf_counter()
            new = {slip: {w for w, df in vocabulary.near(slip, 2) if df} for slip in slips}
            new_seconds = time.perf_counter() - started
            started = time.perf_counter()
            old = {slip: automaton_near(vocabulary, reader, slip, 2) for slip in slips}
            old_seconds = time.perf_counter() - started
            held = sum(sys.getsizeof(w) for letter in letters for w in vocabulary.spellings(letter))
    differ = [slip for slip in slips if old[slip] != new[slip]]
    per_old, per_new = old_seconds * 1000 / len(slips), new_seconds * 1000 / len(slips)
    print(f"{corpus.pages:,} pages, {len(known):,} words of 5+ letters, {len(slips)} misspellings")
    print(f"neighbours within 2 edits, a new word: automaton {per_old:.3f} ms, rapidfuzz {per_new:.3f} ms")
    print(f"  ratio automaton/rapidfuzz: {per_old / per_new:.0f}x")
    print(
        f"reading the words of {len(letters)} letters once per index version: {reading * 1000:.1f} ms, "
        f"holding {held / 1e6:.1f} MB"
    )
    print(
        f"the same neighbours both ways: {'yes' if not differ else f'no, {len(differ)} differ: {differ[:5]}'}"
    )


if __name__ == "__main__":
    main()
