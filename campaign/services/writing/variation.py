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


def near_identical(letters: Sequence[tuple[int, str]], threshold: float = NEAR_IDENTICAL) -> dict[int, set[int]]:
    """For each (id, text) pair, the ids of the other letters nearly identical to it (Jaccard at least `threshold`)."""
    sets = [shingles(text) for _id, text in letters]
    partners: dict[int, set[int]] = {letter_id: set() for letter_id, _text in letters}
    for i in range(len(letters)):
        for j in range(i + 1, len(letters)):
            if jaccard(sets[i], sets[j]) >= threshold:
                partners[letters[i][0]].add(letters[j][0])
                partners[letters[j][0]].add(letters[i][0])
    return partners


def clusters(
    letters: Sequence[tuple[int, str]],
    threshold: float = NEAR_IDENTICAL,
    partners: dict[int, set[int]] | None = None,
) -> list[Cluster]:
    """Groups of two or more nearly identical letters among (id, text) pairs, largest first; `partners` is
    near_identical(letters) when the caller has it already (the groups are its chains)."""
    partners = near_identical(letters, threshold) if partners is None else partners
    texts = dict(letters)
    parent = {letter_id: letter_id for letter_id in texts}

    def root(letter_id: int) -> int:
        while parent[letter_id] != letter_id:
            parent[letter_id] = parent[parent[letter_id]]
            letter_id = parent[letter_id]
        return letter_id

    for letter_id, others in partners.items():
        for other in others:
            parent[root(other)] = root(letter_id)
    groups: dict[int, list[int]] = {}
    for letter_id, _text in letters:
        groups.setdefault(root(letter_id), []).append(letter_id)
    found = [
        Cluster(ids=tuple(members), sample=texts[members[0]][:200]) for members in groups.values() if len(members) > 1
    ]
    return sorted(found, key=lambda cluster: (-len(cluster.ids), cluster.ids))
