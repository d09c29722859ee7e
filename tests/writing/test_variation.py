"""The variation measure: word shingles, Jaccard similarity, the share of own words, clusters."""

from __future__ import annotations

from campaign.services.writing.variation import clusters, jaccard, own_share, shingles, similar_count

ARGUMENT = "Die Kommunen tragen die Kosten der Unterbringung und bleiben darauf sitzen."


def test_identical_and_unrelated_texts():
    assert jaccard(shingles(ARGUMENT), shingles(ARGUMENT.upper() + "!")) == 1.0
    assert jaccard(shingles(ARGUMENT), shingles("Ganz andere Worte über ein anderes Thema hier.")) == 0.0
    assert jaccard(shingles(""), shingles("")) == 1.0


def test_one_changed_word_is_still_nearly_identical_and_a_rewrite_is_not():
    longer = ARGUMENT + (
        " Das Land muss die Kosten übernehmen, und zwar vollständig und dauerhaft, ab sofort. Beratungsstellen"
        " brauchen feste Stellen statt Projekte, die jedes Jahr neu beantragt werden müssen. Wer Schutz sucht,"
        " hat Anspruch auf ein faires Verfahren, auf eine Unterkunft und auf eine Beratung, die unabhängig ist."
    )
    changed = longer.replace("vollständig", "komplett")
    assert similar_count(changed, [longer]) == 1
    rewritten = "Meine Stadt zahlt für die Unterkünfte, und das Land lässt sie damit allein. Das muss aufhören."
    assert similar_count(rewritten, [longer]) == 0


def test_own_share_counts_only_words_not_copied_from_the_arguments():
    assert own_share(ARGUMENT, [ARGUMENT]) == 0.0
    own = "Ich sehe das jeden Tag in Kalk."
    share = own_share(ARGUMENT + "\n\n" + own, [ARGUMENT])
    assert share == round(len(own.split()) / (len(ARGUMENT.split()) + len(own.split())), 3)
    # Copying the argument into the "own" paragraph earns nothing.
    assert own_share(ARGUMENT + "\n\n" + ARGUMENT, [ARGUMENT]) == 0.0
    assert own_share("", [ARGUMENT]) == 0.0
    assert own_share("Ğüłß é — ganz eigene Worte", []) == 1.0


def test_clusters_group_chains_of_near_identical_letters():
    base = ARGUMENT + " Bitte stimmen Sie gegen diesen Teil des Antrags auf dem Parteitag im März."
    letters = [
        (1, base),
        (2, base + " Danke."),
        (3, "Etwas völlig anderes, das ich selbst geschrieben habe."),
        (4, base),
    ]
    found = clusters(letters)
    assert [cluster.ids for cluster in found] == [(1, 2, 4)]
    assert clusters([(1, base)]) == []
