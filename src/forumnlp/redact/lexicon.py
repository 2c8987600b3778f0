"""Word lists for the redactor, loaded once from the YAML data files shipped with forumnlp.

The lists are data (``src/forumnlp/data/redact_*.yaml``): first names, surnames, the allow-list
of agency, service, codebook and place words, cue words and street words.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import yaml

from forumnlp.errors import ModelError
from forumnlp.yamlsafe import safe_load

DATA_FILES: tuple[str, ...] = (
    "redact_names.yaml", "redact_allow.yaml", "redact_rules.yaml", "redact_english_words.txt"
)


def fold(text: str) -> str:
    """Return ``text`` NFKC-normalised, case-folded, with curly apostrophes made straight."""
    return unicodedata.normalize("NFKC", text).replace("’", "'").casefold()


def _read(name: str) -> str:
    try:
        return resources.files("forumnlp").joinpath("data", name).read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - packaging error
        raise ModelError(f"forumnlp/data/{name}: cannot be read ({exc})") from exc


def _load(name: str) -> dict[str, object]:
    raw = _read(name)
    try:
        data = safe_load(raw)
    except yaml.YAMLError as exc:  # pragma: no cover - packaging error
        raise ModelError(f"forumnlp/data/{name}: cannot be loaded ({exc})") from exc
    if not isinstance(data, dict):  # pragma: no cover - packaging error
        raise ModelError(f"forumnlp/data/{name}: expected a mapping of lists")
    return data


def _strings(data: dict[str, object], key: str, source: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ModelError(f"forumnlp/data/{source}: {key!r} must be a list of strings")
    return [str(v) for v in value]


def _folded(values: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(v) for v in values)


@dataclass(frozen=True)
class Lexicon:
    """Folded word sets used by the detectors (see the YAML files for what each list means)."""

    first_names: frozenset[str]
    ambiguous_names: frozenset[str]
    word_names: frozenset[str]
    english: frozenset[str]
    surnames: frozenset[str]
    allow_terms: frozenset[str]
    allow_term_max_words: int
    acronyms: frozenset[str]
    places: frozenset[str]
    words: frozenset[str]
    titles_any_case: frozenset[str]
    titles_upper: frozenset[str]
    name_cues: frozenset[str]
    possessive_relations: frozenset[str]
    street_words: tuple[str, ...]
    street_words_lower: tuple[str, ...]
    age_nonperson_nouns: frozenset[str]
    person_verbs: frozenset[str]
    person_verbs_weak: frozenset[str]
    person_states: frozenset[str]
    org_words: frozenset[str]
    dob_cues: tuple[str, ...]
    nhs_cues: tuple[str, ...]
    chi_cues: tuple[str, ...]
    ni_cues: tuple[str, ...]

    def is_name_word(self, folded: str) -> bool:
        """Return True when ``folded`` is in the first-name or surname lists."""
        return folded in self.first_names or folded in self.surnames or (
            folded in self.ambiguous_names
        )

    def is_english(self, folded: str) -> bool:
        """Return True for an English word, also plurals ("thresholds") and derived forms
        ("contextual", "eating") of words in the list."""
        if folded in self.english or folded in self.words:
            return True
        if len(folded) > 4 and folded.endswith("s") and (
            folded[:-1] in self.english or (folded.endswith("es") and folded[:-2] in self.english)
        ):
            return True
        if _DERIVED.search(folded) is not None:
            return True
        # compounds of two English words: "timescales", "caseworker", "icebreaker"
        return 8 <= len(folded) <= 24 and folded.isalpha() and any(
            folded[:k] in self.english and not self.is_name_word(folded[k:]) and (
                folded[k:] in self.english
                or (folded.endswith("s") and folded[k:-1] in self.english and len(folded) - k > 4)
            )
            for k in range(3, len(folded) - 3)
            if k >= 4 or len(folded) - k >= 6
        )

    def is_unknown(self, folded: str) -> bool:
        """Return True for a word in no list: not English, not a name, acronym or place."""
        return not (
            self.is_english(folded) or folded in self.acronyms
            or folded in self.places or folded in self.allow_terms
        )

    def is_common(self, folded: str) -> bool:
        """Return True for common words, acronyms and places (never a name by themselves)."""
        return folded in self.words or folded in self.acronyms or folded in self.places


# Endings that mark a derived English word, practically never a name.
_DERIVED = re.compile(
    r"...(?:ing|ings|ness|ment|ments|tion|tions|sion|sions|ity|ities|ive|ives|ous|ism|isms"
    r"|ology|ologies|ship|ships|hood|ances|ences|ists|ical|ually|ional|ised|ized|ual|uals"
    r"|ises|izes|ising|izing|able|ible|less|ful|fully)$"
)
_WORD_SPLIT = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


def term_words(term: str) -> tuple[str, ...]:
    """Split a folded term into words the way the allow-list matcher does."""
    return tuple(_WORD_SPLIT.findall(fold(term)))


@functools.cache
def lexicon() -> Lexicon:
    """Return the shipped :class:`Lexicon` (loaded once per process)."""
    names = _load("redact_names.yaml")
    allow = _load("redact_allow.yaml")
    rules = _load("redact_rules.yaml")
    word_names = _folded(_strings(names, "ambiguous_first_names", "redact_names.yaml"))
    context = _folded(_strings(names, "context_first_names", "redact_names.yaml"))
    terms = [t for t in _strings(allow, "terms", "redact_allow.yaml") if t.strip()]
    places = _strings(allow, "places", "redact_allow.yaml")
    single_places = _folded(p for p in places if len(term_words(p)) == 1)
    all_first = _folded(_strings(names, "first_names", "redact_names.yaml"))
    ambiguous = word_names | context | (all_first & single_places)
    first = all_first - ambiguous
    english = frozenset(
        w.strip() for w in _read("redact_english_words.txt").splitlines()
        if w.strip() and not w.startswith("#")
    )
    multiword_places = [p for p in places if len(term_words(p)) > 1]
    all_terms = frozenset(" ".join(term_words(t)) for t in [*terms, *multiword_places])
    return Lexicon(
        first_names=first,
        ambiguous_names=ambiguous,
        word_names=word_names,
        english=english,
        surnames=_folded(_strings(names, "surnames", "redact_names.yaml")),
        allow_terms=all_terms,
        allow_term_max_words=max((len(t.split()) for t in all_terms), default=1),
        acronyms=_folded(_strings(allow, "acronyms", "redact_allow.yaml")),
        places=single_places,
        words=_folded(_strings(allow, "words", "redact_allow.yaml")),
        titles_any_case=_folded(_strings(rules, "titles_any_case", "redact_rules.yaml")),
        titles_upper=frozenset(_strings(rules, "titles_upper", "redact_rules.yaml")),
        name_cues=_folded(_strings(rules, "name_cues", "redact_rules.yaml")),
        possessive_relations=_folded(
            _strings(rules, "possessive_relations", "redact_rules.yaml")
        ),
        street_words=tuple(_strings(rules, "street_words", "redact_rules.yaml")),
        street_words_lower=tuple(_strings(rules, "street_words_lower", "redact_rules.yaml")),
        age_nonperson_nouns=_folded(_strings(rules, "age_nonperson_nouns", "redact_rules.yaml")),
        person_verbs=_folded(_strings(rules, "person_verbs", "redact_rules.yaml")),
        person_verbs_weak=_folded(_strings(rules, "person_verbs_weak", "redact_rules.yaml")),
        person_states=_folded(_strings(rules, "person_states", "redact_rules.yaml")),
        org_words=_folded(_strings(rules, "org_words", "redact_rules.yaml")),
        dob_cues=tuple(_strings(rules, "dob_cues", "redact_rules.yaml")),
        nhs_cues=tuple(_strings(rules, "nhs_cues", "redact_rules.yaml")),
        chi_cues=tuple(_strings(rules, "chi_cues", "redact_rules.yaml")),
        ni_cues=tuple(_strings(rules, "ni_cues", "redact_rules.yaml")),
    )
