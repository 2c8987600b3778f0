"""The rule matcher's tokens, lemmas and pattern semantics (forumnlp.tag.lexicon / matcher)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumnlp.errors import ModelError
from forumnlp.tag.lexicon import inflections, lemma_candidates, lower_view, norm_value, tokenize
from forumnlp.tag.matcher import Matcher, Spec, required_substrings


def spans(matcher: Matcher, text: str) -> list[tuple[int, str]]:
    return [(r, text[s:e]) for r, s, e, _ in matcher.match(text)]


# -- tokens -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "norms"),
    [
        ("Don't stop the MAGs", ["do", "not", "stop", "the", "mags"]),
        ("dont stop", ["do", "not", "stop"]),
        ("Don\u2019t stop", ["do", "not", "stop"]),
        ("We can't", ["we", "can", "not"]),
        ("won't", ["will", "not"]),
        ("I'll phone", ["i", "will", "phone"]),
        ("I'm going to", ["i", "am", "going", "to"]),
        ("it'd be great", ["it", "would", "be", "great"]),
        ("the child's views", ["the", "child", "'s", "views"]),
        ("multi-agency", ["multi", "agency"]),
        ("multi \u2013 agency", ["multi", "agency"]),
        ("SW/HV", ["sw", "/", "hv"]),
        ("n/a", ["n", "/", "a"]),
        ("cannot", ["can", "not"]),
        ("o'clock", ["o'clock"]),
    ],
)
def test_tokenize_norms(text: str, norms: list[str]) -> None:
    assert tokenize(text).norms == norms


def test_token_offsets_point_into_the_original_text() -> None:
    text = "Don't  STOP the\tMAGs \u2013 we'll see"
    toks = tokenize(text)
    assert [text[s:e] for s, e in zip(toks.starts, toks.ends, strict=True)] == [
        "Do", "n't", "STOP", "the", "MAGs", "we", "'ll", "see"]


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("Keep MAGs. Stop forms", ["keep", "stop"]),
        ("- Be more analytical\n- ensure SW attend", ["be", "ensure"]),
        ("1) keep it 2) drop it", ["1", "keep"]),
        ("Ideas: invite adult services; share plans", ["ideas", "invite", "share"]),
        ("a) listen b) record", ["a", "listen"]),
    ],
)
def test_sentence_starts(text: str, starts: list[str]) -> None:
    toks = tokenize(text)
    assert [n for n, s in zip(toks.norms, toks.sent_starts, strict=True) if s] == starts


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_lower_view_keeps_length_and_tokens_stay_in_bounds(text: str) -> None:
    low = lower_view(text)
    assert len(low) == len(text)
    toks = tokenize(text)
    for s, e in zip(toks.starts, toks.ends, strict=True):
        assert 0 <= s < e <= len(text)
    assert len(toks.norms) == len(toks.sent_starts) == len(toks.starts)


def test_norm_value_of_clitics_and_contractions() -> None:
    assert norm_value("'s") == "'s"
    assert norm_value("\u2019s") == "'s"
    assert norm_value("n't") == "not"
    assert norm_value("dont") == ("do", "not")
    assert norm_value("HV") == "hv"


# -- lemmas -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lemma", "forms", "not_forms"),
    [
        ("visit", {"visit", "visits", "visited", "visiting"}, set()),
        ("chronology", {"chronologies"}, set()),
        ("share", {"shares", "shared", "sharing"}, {"shareing"}),
        ("stop", {"stopped", "stopping", "stops"}, set()),
        ("refer", {"referred", "referring", "referral"} - {"referral"}, set()),
        ("carry", {"carries", "carried", "carrying"}, set()),
        ("family", {"families"}, set()),
        ("child", {"children"}, set()),
        ("be", {"is", "are", "was", "were", "been", "being"}, {"bed", "bes"}),
        ("have", {"has", "had", "having"}, {"haved"}),
        ("keep", {"kept", "keeps", "keeping"}, set()),
        ("organise", {"organize", "organised", "organized", "organising"}, set()),
        ("analyse", {"analyze", "analysed"}, set()),
        ("not", {"not"}, {"noted", "nots"}),
    ],
)
def test_inflections(lemma: str, forms: set[str], not_forms: set[str]) -> None:
    got = inflections(lemma)
    assert forms <= got
    assert not (not_forms & got)


@given(st.sampled_from([
    "visit", "share", "stop", "refer", "carry", "family", "child", "keep", "organise", "meet",
    "lie", "see", "analysis", "chronology", "worry", "plan", "escalate", "agency", "be", "go",
]))
def test_every_inflection_leads_back_to_its_lemma(lemma: str) -> None:
    for form in inflections(lemma):
        assert lemma in lemma_candidates(form), form


# -- patterns -----------------------------------------------------------------------------------
def test_phrase_matches_whole_tokens_and_reports_exact_spans() -> None:
    m = Matcher([Spec("phrase", "joint visits"), Spec("phrase", "multi-agency"), Spec("phrase", "don't stop")])
    text = "Dont stop the multi agency joint visits; jointvisits no"
    assert spans(m, text) == [(2, "Dont stop"), (1, "multi agency"), (0, "joint visits")]
    assert spans(m, "Don't stop") == [(2, "Don't stop")]
    assert spans(m, "Do not stop") == [(2, "Do not stop")]


def test_lemma_matches_inflections_of_every_word() -> None:
    m = Matcher([Spec("lemma", "joint visit"), Spec("lemma", "chronology")])
    text = "Chronologies were late; joint visits help; a joint visiting rota"
    assert spans(m, text) == [(1, "Chronologies"), (0, "joint visits"), (0, "joint visiting")]


def test_token_attributes_and_operators() -> None:
    specs = [
        Spec("tokens", [{"ORTH": "MAG"}]),  # case-sensitive
        Spec("tokens", [{"LOWER": {"IN": ["hv", "sw"]}}, {"LOWER": "visits"}]),
        Spec("tokens", [{"LOWER": "not"}, {"LOWER": "brought", "OP": "?"}, {"LOWER": "to"}]),
        Spec("tokens", [{"LEMMA": "see"}, {"OP": "*"}, {"LOWER": "alone"}]),
        Spec("tokens", [{"IS_DIGIT": True}, {"LOWER": {"IN": ["weeks", "wks"]}}]),
        Spec("tokens", [{"LOWER": "keep"}, {"LOWER": "in", "OP": "!"}]),
        Spec("tokens", [{"IS_SENT_START": True, "LOWER": {"REGEX": "^[a-z]{3,}ing$", "NOT_IN": ["training"]}}]),
        Spec("tokens", [{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]),
        Spec("tokens", [{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "{2}"}, {"LOWER": "z"}]),
        Spec("tokens", [{"LENGTH": {">=": 9}, "IS_TITLE": True}]),
    ]
    m = Matcher(specs)
    assert spans(m, "MAG and mag") == [(0, "MAG")]
    assert spans(m, "SW visits and HV visits") == [(1, "SW visits"), (1, "HV visits")]
    assert spans(m, "was not brought to clinic, not to school") == [(2, "not brought to"), (2, "not to")]
    assert spans(m, "see the child on their own alone") == [(3, "see the child on their own alone")]
    assert spans(m, "every 6 weeks or 8 wks") == [(4, "6 weeks"), (4, "8 wks")]
    assert spans(m, "keep in mind; keep it") == [(5, "keep it")]
    assert spans(m, "Closing cases. Training is good. Rushing") == [(6, "Closing"), (6, "Rushing")]
    assert spans(m, "very very good") == [(7, "very very good")]
    assert spans(m, "a b c z") == [(8, "a b c z")]
    assert spans(m, "Safeguarding and safeguarding") == [(6, "Safeguarding"), (9, "Safeguarding")]


def test_regex_spans_use_named_groups() -> None:
    m = Matcher([Spec("regex", r"(?P<neg>never|not)\s+(?:\w+\s+)?(?P<verb>seen)"), Spec("regex", r"\bchrono\w*")])
    text = "Child not really seen; CHRONOLOGY missing"
    (_, s0, e0, sp0), (_, s1, e1, sp1) = m.match(text)
    assert text[s0:e0] == "not really seen"
    assert [text[a:b] for a, b in sp0] == ["not", "seen"]
    assert text[s1:e1] == "CHRONOLOGY" and sp1 == ((s1, e1),)


def test_anchored_spec_matches_only_at_a_sentence_start() -> None:
    m = Matcher([Spec("phrase", "more", anchor=True)])
    assert spans(m, "More joint visits. We want more. - more HVs") == [(0, "More"), (0, "more")]


def test_per_rule_overlaps_keep_the_longest_match() -> None:
    m = Matcher([Spec("tokens", [{"LOWER": "very", "OP": "?"}, {"LOWER": "good"}])])
    assert spans(m, "very good") == [(0, "very good")]


def test_empty_patterns_and_bad_operators_are_refused() -> None:
    with pytest.raises(ModelError):
        Matcher([Spec("tokens", [{"LOWER": "a", "OP": "?"}])])
    with pytest.raises(ModelError):
        Matcher([Spec("phrase", "  ")])
    with pytest.raises(ModelError):
        Matcher([Spec("tokens", [{"LOWER": "a", "OP": "%"}])])
    with pytest.raises(ModelError):
        Matcher([Spec("regex", "(")])


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\bm(?:ul|lu)ti[- ]?agenc(?:y|ies)\b", ("agenc",)),
        (r"\b(?:keep|continue)\W*$", ("keep", "continue")),
        (r"^\W*(?:n\W?a|none)\W*$", None),
        (r"\bDNA'?d\b", ("dna",)),
    ],
)
def test_required_substrings(pattern: str, needs: tuple[str, ...] | None) -> None:
    assert required_substrings(pattern) == needs


def test_regex_prefilter_does_not_change_results() -> None:
    m = Matcher([Spec("regex", r"\bmulti[- ]?agenc(?:y|ies)\b")])
    assert spans(m, "MULTIAGENCY meetings and multi-agencies") == [(0, "MULTIAGENCY"), (0, "multi-agencies")]
    assert spans(m, "no match here") == []


def test_agrees_with_spacy_matcher_on_phrase_and_token_patterns() -> None:
    """Where spaCy's own Matcher finds a LOWER-pattern match, ours finds the same span."""
    spacy = pytest.importorskip("spacy")
    from spacy.matcher import Matcher as SpacyMatcher

    patterns = [
        [{"LOWER": "joint"}, {"LOWER": "visits"}],
        [{"LOWER": {"IN": ["hv", "sw", "gp"]}}],
        [{"LOWER": "child"}, {"LOWER": "'s"}, {"LOWER": "views"}],
        [{"LOWER": "not"}, {"LOWER": "brought"}],
        [{"LOWER": "case"}, {"LOWER": {"IN": ["conference", "conferences"]}}],
        [{"LOWER": "named"}, {"LOWER": "person", "OP": "?"}],
        [{"IS_DIGIT": True}, {"LOWER": "weeks"}],
    ]
    texts = [
        "Joint visits with the HV and SW every 6 weeks",
        "The child's views were not brought to case conferences",
        "GP and named person; named persons; Named Person",
        "Was not brought policy - case conference in 8 weeks (GP, HV).",
    ]
    nlp = spacy.blank("en")
    ref = SpacyMatcher(nlp.vocab)
    for i, p in enumerate(patterns):
        ref.add(str(i), [p])
    ours = Matcher([Spec("tokens", p) for p in patterns])
    for text in texts:
        doc = nlp(text)
        theirs = {(int(nlp.vocab.strings[k]), doc[s:e].start_char, doc[s:e].end_char) for k, s, e in ref(doc)}
        mine = {(r, s, e) for r, s, e, _ in ours.match(text)}
        longest = {t for t in theirs if not any(o[0] == t[0] and o[1] <= t[1] and t[2] <= o[2] and o != t for o in theirs)}
        assert longest <= mine, (text, longest - mine)
