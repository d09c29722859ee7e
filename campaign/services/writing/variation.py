"""How much of a letter is the writer's own, and how alike letters are: word shingles and their Jaccard similarity.

A shingle is a run of SHINGLE_WORDS consecutive words (lower-cased, punctuation dropped). Two letters are nearly
identical when the Jaccard similarity of their shingle sets (shared shingles / all shingles) reaches NEAR_IDENTICAL.
The measure is exact, not a MinHash estimate: letters are compared only with letters to the same recipient, a few
hundred at most, so exact sets are fast enough, give the same answer every time and are easy to test; a MinHash
library (datasketch) would add NumPy and SciPy for an estimate of the same number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SHINGLE_WORDS = 3
NEAR_IDENTICAL = 0.8
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, without punctuation."""
    return [word.casefold() for word in _WORD.findall(text or "")]


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[tuple[str, ...]]:
    """The set of runs of `size` consecutive words; a text shorter than that is one shingle of all its words."""
    items = words(text)
    if len(items) < size:
        return frozenset({tuple(items)}) if items else frozenset()
    return frozenset(tuple(items[i : i + size]) for i in range(len(items) - size + 1))


def jaccard(first: frozenset, second: frozenset) -> float:
    """Shared shingles over all shingles (1.0 identical, 0.0 nothing in common; two empty texts are identical)."""
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def own_share(letter_text: str, campaign_texts: Iterable[str], size: int = SHINGLE_WORDS) -> float:
    """The share (0–1) of the letter's words that are not part of a run of `size` words found in the campaign's texts.

    A writer who copies an argument paragraph into their own paragraph gets no credit for it; a writer who changes
    every few words does.
    """
    items = words(letter_text)
    if not items:
        return 0.0
    known: set[tuple[str, ...]] = set()
    for text in campaign_texts:
        known |= shingles(text, size)
    covered = [False] * len(items)
    for start in range(len(items) - size + 1):
        if tuple(items[start : start + size]) in known:
            for index in range(start, start + size):
                covered[index] = True
    return round(covered.count(False) / len(items), 3)


def similar_count(letter_text: str, others: Iterable[str], threshold: float = NEAR_IDENTICAL) -> int:
    """How many of `others` are nearly identical to the letter (Jaccard of shingles at least `threshold`)."""
    mine = shingles(letter_text)
    return sum(1 for other in others if jaccard(mine, shingles(other)) >= threshold)


@dataclass(frozen=True)
class Cluster:
    """Letters that are nearly identical to each other (linked by chains of near-identical pairs)."""

    ids: tuple[int, ...]
    sample: str


def clusters(letters: Sequence[tuple[int, str]], threshold: float = NEAR_IDENTICAL) -> list[Cluster]:
    """Groups of two or more nearly identical letters among (id, text) pairs, largest first."""
    sets = [shingles(text) for _id, text in letters]
    parent = list(range(len(letters)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i in range(len(letters)):
        for j in range(i + 1, len(letters)):
            if root(i) != root(j) and jaccard(sets[i], sets[j]) >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for index in range(len(letters)):
        groups.setdefault(root(index), []).append(index)
    found = [
        Cluster(ids=tuple(letters[i][0] for i in members), sample=letters[members[0]][1][:200])
        for members in groups.values()
        if len(members) > 1
    ]
    return sorted(found, key=lambda cluster: (-len(cluster.ids), cluster.ids))
