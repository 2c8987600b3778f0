"""Readable labels, representative quotes and one-sentence statements for messages.

Labels are key phrases taken from the members' own words: word n-grams (up to 6 words, no
stop word at either edge, never across punctuation) scored by how many of the message's
distinctive terms they carry (class-based TF-IDF of stemmed words against the other messages)
and how many members use them; bigram collocations (NLTK's likelihood-ratio finder) add weight
to phrases built on strong word pairs. The label is the phrase's most frequent surface form,
so "CP supervision for health visitors" keeps its capitals.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from forumnlp.messages.cluster import stem_tokens, stop_words

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]|\d+(?:-\d+)?")
_LEADING_VERBS = {
    "stop": ("stop", "no more", "don't", "do not"),
    "start": ("start", "begin", "introduce", "we need", "need", "more"),
    "keep": ("keep", "continue", "keep doing"),
}
# A label is the practitioners' own short phrase: a topic ("adult mental health"), an action
# ("pilot the new chronology tool") or a fragment ("rushed at the end"). After a colon each of
# them reads as a quoted summary, where "asked for <label>" would often be ungrammatical.
VERB_PHRASES: Mapping[str, str] = {
    "start": "called for",
    "stop": "wanted an end to",
    "keep": "wanted to keep",
    "good_practice": "named as working well",
    "none": "said of the event",
}
MAX_NGRAM = 6
LABEL_ALPHA = 0.2


def _segments(text: str) -> list[list[str]]:
    """Word lists of the punctuation-free stretches of ``text`` (original case)."""
    parts = re.split(r"[,.;:!?()\[\]\"/\n–—]|\s-\s", text)
    return [_WORD.findall(p) for p in parts if p.strip()]


def _ngrams(text: str) -> set[tuple[str, ...]]:
    """Distinct candidate n-grams (lower case) of one text."""
    stops = stop_words()
    out: set[tuple[str, ...]] = set()
    for words in _segments(text):
        low = [w.lower() for w in words]
        for i in range(len(low)):
            if low[i] in stops or low[i].endswith("'s"):
                continue
            for j in range(i + 1, min(len(low), i + MAX_NGRAM) + 1):
                if low[j - 1] in stops or low[j - 1].endswith("'s"):
                    continue
                out.add(tuple(low[i:j]))
    return out


def class_term_weights(member_texts: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """c-TF-IDF of stemmed words per message: ``tf_c(t) * log(1 + A / f(t))``.

    Parameters
    ----------
    member_texts : sequence of sequence of str
        The texts of each message.

    Returns
    -------
    list of dict
        Stem -> weight, one dict per message.
    """
    tfs = [Counter(t for text in texts for t in stem_tokens(text)) for texts in member_texts]
    total = Counter()
    for tf in tfs:
        total.update(tf)
    avg = (sum(sum(tf.values()) for tf in tfs) / max(1, len(tfs))) or 1.0
    out = []
    for tf in tfs:
        size = sum(tf.values()) or 1
        out.append({t: (c / size) * math.log(1 + avg / total[t]) for t, c in tf.items()})
    return out


def _collocation_bonus(texts: Sequence[str]) -> dict[tuple[str, str], float]:
    """Likelihood-ratio scores of the strongest bigram collocations in ``texts`` (0..1)."""
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    stops = stop_words()
    docs = [[w.lower() for w in seg] + ["|"] for text in texts for seg in _segments(text)]
    finder = BigramCollocationFinder.from_documents(docs)
    finder.apply_word_filter(lambda w: w == "|" or w in stops)
    finder.apply_freq_filter(2)
    scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    if not scored:
        return {}
    top = scored[0][1] or 1.0
    return {pair: score / top for pair, score in scored[:20]}


def label_message(texts: Sequence[str], weights: Mapping[str, float]) -> str:
    """Return a readable key phrase for one message.

    Parameters
    ----------
    texts : sequence of str
        The member texts (a sample is enough).
    weights : mapping
        The message's c-TF-IDF weights (stem -> weight), see :func:`class_term_weights`.

    Returns
    -------
    str
        The label, e.g. ``"CP supervision for health visitors"``.
    """
    if not texts:
        return ""
    from forumnlp.messages.cluster import _stem as stem

    stops = stop_words()
    df: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        df.update(_ngrams(text))
    bonus = _collocation_bonus(texts)
    n = len(texts)
    min_df = 2 if n >= 4 else 1
    best: tuple[float, tuple[str, ...]] | None = None
    for gram, count in df.items():
        if count < min_df or (len(gram) > 1 and gram[-1].endswith("ing")):
            continue
        stems = {stem(w) for w in gram if w not in stops}
        term = sum(weights.get(s, 0.0) for s in stems)
        if term <= 0:
            continue
        pairs = sum(bonus.get((a, b), 0.0) for a, b in itertools.pairwise(gram))
        length = 1.0 if len(gram) <= 5 else 0.9
        score = term * (1.0 + 0.3 * pairs) * (count / n) ** LABEL_ALPHA * length
        key = (score, gram)
        if best is None or key[0] > best[0] or (key[0] == best[0] and gram < best[1]):
            best = key
    if best is None:
        return _shorten(texts[0])
    return _surface_form(texts, _extend_left(texts, _extend_right(texts, best[1], stops), stops))


def _occurrences(texts: Sequence[str], gram: tuple[str, ...]) -> Iterator[tuple[list[str], list[str], int]]:
    """Each place ``gram`` occurs in ``texts``: the words of its segment (as written and
    lower-cased) and the index where it starts."""
    k = len(gram)
    for text in texts:
        for words in _segments(text):
            low = [w.lower() for w in words]
            for i in range(len(low) - k + 1):
                if tuple(low[i:i + k]) == gram:
                    yield words, low, i


def _extend_right(texts: Sequence[str], gram: tuple[str, ...], stops: frozenset[str] | set[str],
                  share: float = 0.6, limit: int = MAX_NGRAM + 2) -> tuple[str, ...]:
    """Complete a phrase cut short: while most of its occurrences go on with the same word
    (or a stop word and then the same word), add it ("joint training for adult" ->
    "joint training for adult services")."""
    while len(gram) < limit:
        k = len(gram)
        nexts: Counter[tuple[str, ...]] = Counter()
        seen = 0
        for _words, low, i in _occurrences(texts, gram):
            seen += 1
            after = low[i + k:i + k + 2]
            if after and after[0] not in stops:
                nexts[(after[0],)] += 1
            elif len(after) == 2 and after[1] not in stops:
                nexts[tuple(after)] += 1
        if seen < 2 or not nexts:
            return gram
        tail, count = nexts.most_common(1)[0]
        if count < share * seen or len(gram) + len(tail) > limit:
            return gram
        gram = gram + tail
    return gram


def _extend_left(texts: Sequence[str], gram: tuple[str, ...], stops: frozenset[str] | set[str],
                 share: float = 0.6, limit: int = MAX_NGRAM + 2) -> tuple[str, ...]:
    """The same to the left: a content word, or a content word and a stop word
    ("patients about their children" -> "ask my patients about their children")."""
    def content(w: str) -> bool:
        return w not in stops and not w.endswith("'s")

    while len(gram) < limit:
        before: Counter[tuple[str, ...]] = Counter()
        seen = 0
        for _words, low, i in _occurrences(texts, gram):
            seen += 1
            if i and content(low[i - 1]):
                before[(low[i - 1],)] += 1
            elif i > 1 and content(low[i - 2]):
                before[(low[i - 2], low[i - 1])] += 1
        if seen < 2 or not before:
            return gram
        head, count = before.most_common(1)[0]
        if count < share * seen or len(gram) + len(head) > limit:
            return gram
        gram = head + gram
    return gram


def _surface_form(texts: Sequence[str], gram: tuple[str, ...]) -> str:
    """The most frequent original-case spelling of ``gram`` in ``texts``."""
    forms: Counter[str] = Counter()
    k = len(gram)
    for words, _low, i in _occurrences(texts, gram):
        forms[" ".join(words[i:i + k])] += 1
    if not forms:
        return " ".join(gram)
    # most frequent, then the one with fewer capitals at the start of a sentence
    form = sorted(forms.items(), key=lambda kv: (-kv[1], kv[0].lower(), kv[0]))[0][0]
    first = form.split(" ", 1)[0]
    if first[:1].isupper() and not first.isupper():
        form = form[0].lower() + form[1:]
    return form


def _shorten(text: str, words: int = 8) -> str:
    toks = text.split()
    return " ".join(toks[:words]) + (" ..." if len(toks) > words else "")


def pick_quotes(vectors: np.ndarray, texts: Sequence[str], *, k: int = 5,
                mmr_lambda: float = 0.5) -> list[int]:
    """Indices of representative quotes: typical (near the centroid) then diverse (MMR).

    The first quote is the member nearest the centroid; the rest are chosen by maximal
    marginal relevance: ``lambda * sim(centroid) - (1 - lambda) * max sim(chosen)``.
    Duplicate texts are skipped.

    Parameters
    ----------
    vectors : numpy.ndarray
        Unit-length vectors of the members.
    texts : sequence of str
        Member texts.
    k : int, default 5
        Number of quotes wanted.
    mmr_lambda : float, default 0.5
        Trade-off between typicality and diversity.

    Returns
    -------
    list of int
        Positions into ``texts``.
    """
    if not len(texts):
        return []
    cent = vectors.mean(axis=0)
    norm = np.linalg.norm(cent)
    cent = cent / norm if norm > 0 else cent
    rel = vectors @ cent
    order = sorted(range(len(texts)), key=lambda i: (-round(float(rel[i]), 6), i))
    chosen: list[int] = []
    seen: set[str] = set()
    candidates = []
    for i in order:
        key = " ".join(texts[i].lower().split())
        if key in seen:
            continue
        seen.add(key)
        candidates.append(i)
    if not candidates:
        return []
    chosen.append(candidates.pop(0))
    while candidates and len(chosen) < k:
        sims = vectors[candidates] @ vectors[chosen].T
        mmr = mmr_lambda * rel[candidates] - (1 - mmr_lambda) * sims.max(axis=1)
        pos = int(np.argmax(np.round(mmr, 6)))
        chosen.append(candidates.pop(pos))
    return chosen


def plural(name: str) -> str:
    """English plural of an attribute name ("session" -> "sessions", "agency" -> "agencies")."""
    word = name.replace("_", " ").strip()
    low = word.lower()
    if low.endswith(("s", "x", "ch", "sh")):
        return word + "es" if not low.endswith("s") else word
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _join(values: Sequence[str]) -> str:
    vals = [str(v) for v in values]
    if len(vals) <= 1:
        return "".join(vals)
    return ", ".join(vals[:-1]) + " and " + vals[-1]


def _label_for(frame: str, label: str) -> str:
    """The label as it reads after the frame's verb phrase (drops a repeated verb)."""
    low = label.lower()
    for lead in _LEADING_VERBS.get(frame, ()):
        if low.startswith(lead + " ") and len(low) > len(lead) + 3:
            return label[len(lead) + 1:]
    return label


def statement(frame: str, label: str, spreads: Sequence[tuple[str, list[str], int]],
              size: int) -> str:
    """One sentence summarising a message from its frame, label and spread.

    Parameters
    ----------
    frame : str
        Dominant frame.
    label : str
        The message label.
    spreads : sequence of (attribute, values, total)
        For each ``by`` attribute: the values the message was raised in and how many values
        the attribute has in the whole input.
    size : int
        Number of units in the message.

    Returns
    -------
    str
        E.g. "Practitioners in 5 of 6 sessions, from Health and Social work, called for: CP
        supervision for health visitors." Attributes not recorded for the message's comments
        are left out.
    """
    parts = []
    for attr, values, total in spreads:
        if not values:  # the attribute was not recorded for these comments
            continue
        noun = plural(attr) if total != 1 else attr.replace("_", " ")
        if not parts:
            parts.append(f"in {len(values)} of {total} {noun}")
        elif len(values) <= 3:
            parts.append(f"from {_join(values)}")
        else:
            parts.append(f"from {len(values)} of {total} {noun}")
    if not parts:
        who = f"Practitioners ({size} comments)"
    elif len(parts) == 1:
        who = f"Practitioners {parts[0]}"
    else:
        who = f"Practitioners {parts[0]}, {', '.join(parts[1:])},"
    text = _label_for(frame, label).strip() or "(no label)"
    sentence = f"{who} {VERB_PHRASES.get(frame, 'raised')}: {text}."
    return sentence
