"""The codebook model and the packaged default codebook (its ids are a fixed contract)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from forumnlp.codebook import (
    Codebook,
    codebook_from_dict,
    default_codebook_path,
    load_codebook,
    validate_codebook,
)
from forumnlp.errors import InputError, ModelError
from forumnlp.schema import FRAMES

# (id, label, definition) exactly as in the codebook specification.
SPEC: list[tuple[str, str, str]] = [
    ("keep", "Keep doing", "An existing practice that participants value and want to continue."),
    ("stop", "Stop doing", "A current practice that participants see as harmful, unhelpful or risky and want to end."),
    ("start", "Start doing", "A new practice, or a change or increase in an existing one, that participants want: needs, recommendations, personal commitments."),
    ("good_practice", "Good practice", "A description of what is working well now, an achievement or strength, without a call to act."),
    ("none", "No frame", "The unit is not a statement about practice."),
    ("risk.substance_misuse", "Parental substance misuse", "Parents' or carers' use of alcohol or drugs, and addiction services for them."),
    ("risk.domestic_abuse", "Domestic abuse", "Abuse or violence between adults in the household, coercive control, its impact on the child."),
    ("risk.mental_health", "Parental mental health", "Parents' or carers' mental ill-health, and adult mental health services for them."),
    ("risk.neglect", "Neglect", "Neglect of the child's needs, especially long-standing, chronic neglect."),
    ("risk.cumulative", "Cumulative and escalating risk", "The combined or cumulative effect of several risk factors, or risk building up over time."),
    ("finding.parent_focus", "Parents' needs over the child", "Attention drawn to the parents' needs and issues at the cost of the child's welfare; accepting parents' explanations; over-optimism about their capacity to change."),
    ("finding.challenge", "Challenge and curiosity", "Reluctance, or the need, to challenge parents; professional curiosity; non-engagement, hostility or disguised compliance of families."),
    ("finding.child_voice", "The child seen and heard", "Whether children are seen, listened to and their views captured and recorded."),
    ("finding.risk_recognition", "Recognising risk", "Warning signs or escalating risk missed; thresholds for intervention; confusion over the status of a referral (in need vs at risk)."),
    ("finding.roles", "Roles and responsibilities", "Confusion over, or understanding of, each agency's role; over-reliance on social work."),
    ("finding.powerlessness", "Professional powerlessness", "Professionals feeling powerless, stuck, overwhelmed or unsupported in a case."),
    ("practice.multiagency", "Multi-agency working", "Joint working across agencies: multi-agency meetings (MAGs, TAC, case conferences), joint visits, informal contact with colleagues in other agencies."),
    ("practice.information_sharing", "Information sharing", "Sharing or not sharing information between agencies and services, including police concern reports."),
    ("practice.training", "Training", "Single- or multi-agency training and learning events, and time to attend them."),
    ("practice.chronologies", "Chronologies and records", "Chronologies of significant events, their analysis, and record keeping."),
    ("practice.assessment", "Quality of assessment", "Analytical rather than descriptive assessment, risk assessment tools (e.g. a resilience matrix), attachment and resilience."),
    ("practice.supervision", "Supervision", "Child protection supervision and support for staff."),
    ("practice.paperwork", "Paperwork and workload", "Forms and paperwork (e.g. integrated assessment frameworks), the time they take, workload."),
    ("practice.adult_services", "Adult services", "Engaging adult services (adult mental health, addictions, criminal justice) with children's services and child protection."),
    ("practice.early_intervention", "Early intervention", "Early intervention and prevention, the national GIRFEC approach, named person, a shared language across services."),
    ("practice.service_access", "Access to services", "Access to and discharge from services: discharge for non-attendance, children not brought to appointments, waiting lists."),
]
# Frame use-when / do-not-use-when from the specification (ours may add detail after them).
FRAME_SPEC = {
    "keep": ('The unit names a current activity or arrangement positively, as something to carry on ("Multi-agency training", "Keep having informal chats with colleagues").',
             "It describes a result or achievement rather than a practice to continue (→ good_practice), or asks for more of something not done now (→ start)."),
    "stop": ('The unit names a practice critically, often as a gerund ("Closing cases when families miss appointments", "Relying on one agency").',
             'It only describes a problem outside anyone\'s practice ("The room was cold" → none).'),
    "start": ('Imperatives and obligations ("Be more analytical", "We need to...", "I will...", "There should be..."), requests for more of something.',
              "The unit only praises something already in place (→ keep / good_practice)."),
    "good_practice": ('Statements of what is the case and is good ("Joint visits are now the norm", "Information was shared promptly").',
                      "The unit asks for the practice to continue as an action (→ keep). The border between keep and good_practice is soft: both are positive about current practice; keep is an action to carry on, good_practice an observation."),
    "none": ('Event feedback ("Very informative session"), logistics, attendance, facts.', ""),
}


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def cb() -> Codebook:
    return load_codebook()


def test_default_codebook_is_valid_without_warnings() -> None:
    path = default_codebook_path()
    assert path.name == "child_protection.yaml" and path.is_file()
    assert validate_codebook(path) == []


def test_default_codebook_has_the_fixed_ids_labels_and_definitions(cb: Codebook) -> None:
    assert cb.name == "child_protection"
    assert cb.version == "1.0.0"
    assert [(c.id, c.label, _norm(c.definition)) for c in cb] == SPEC
    assert [g.id for g in cb.groups] == ["frame", "risk", "finding", "practice"]
    for code in cb:
        assert code.group == (code.id.split(".")[0] if "." in code.id else "frame")


def test_frame_codes_follow_the_specification(cb: Codebook) -> None:
    assert tuple(c.id for c in cb.frame_codes) == FRAMES
    assert cb.frame_group is not None and cb.frame_group.cardinality == "one"
    for code in cb.frame_codes:
        use_when, do_not = FRAME_SPEC[code.id]
        assert _norm(code.use_when).startswith(use_when)
        assert _norm(code.do_not_use_when).startswith(do_not)


def test_every_code_is_documented_with_examples(cb: Codebook) -> None:
    for code in cb:
        assert 5 <= len(code.examples) <= 10, code.id
        assert len(set(code.examples)) == len(code.examples), code.id
        assert code.use_when and code.do_not_use_when, code.id
    examples = [e for c in cb for e in c.examples]
    assert len(examples) == len(set(examples))


def test_theme_codes_have_rich_cues_and_frames_light_ones(cb: Codebook) -> None:
    for code in cb.theme_codes:
        assert len(code.patterns) >= 20, (code.id, len(code.patterns))
    for code in cb.frame_codes:
        assert 5 <= len(code.patterns) < 40, code.id
    names = [p.name for c in cb for p in (*c.patterns, *c.negative_patterns)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("code_id", "cue"),
    [
        ("practice.chronologies", "chronolgies"),
        ("practice.chronologies", "chronolgy"),
        ("practice.supervision", "superviison"),
        ("practice.multiagency", "multi agency"),
        ("practice.multiagency", "multiagency"),
        ("practice.multiagency", "mutli-agency"),
        ("practice.multiagency", "team around the child"),
        ("practice.early_intervention", "named person"),
        ("practice.early_intervention", "girfec"),
        ("practice.assessment", "resilience matrix"),
        ("practice.assessment", "my world triangle"),
        ("finding.challenge", "disguised compliance"),
        ("finding.challenge", "professional curiosity"),
        ("finding.challenge", "respectful uncertainty"),
        ("finding.parent_focus", "start again syndrome"),
        ("finding.parent_focus", "rule of optimism"),
        ("finding.child_voice", "voice of the child"),
        ("risk.cumulative", "toxic trio"),
        ("practice.service_access", "was not brought"),
        ("practice.paperwork", "integrated assessment framework"),
    ],
)
def test_named_cues_are_in_the_codebook(cb: Codebook, code_id: str, cue: str) -> None:
    texts = []
    for p in cb.code(code_id).patterns:
        if p.kind in ("phrase", "lemma"):
            texts.append(p.value)
        elif p.kind == "tokens":
            for tok in p.value:
                for v in tok.values():
                    texts.extend(v.get("IN", []) if isinstance(v, dict) else [str(v)])
    assert cue in texts


def test_abbreviations_are_cued(cb: Codebook) -> None:
    wanted = {
        "practice.multiagency": {"MAG", "TAC", "CPCC", "ICPCC", "IRD", "HV", "SW", "SN"},
        "practice.paperwork": {"IAF"},
        "practice.early_intervention": {"GIRFEC"},
        "risk.domestic_abuse": {"DA"},
        "risk.mental_health": {"MH", "AMH"},
        "practice.adult_services": {"AMH", "ADP", "CJSW"},
        "practice.information_sharing": {"CPR", "VPD"},
        "practice.service_access": {"DNA", "wnb"},
    }
    for code_id, abbrevs in wanted.items():
        found: set[str] = set()
        for p in cb.code(code_id).patterns:
            if p.kind == "tokens":
                for tok in p.value:
                    for v in tok.values():
                        found.update(v.get("IN", []) if isinstance(v, dict) else [str(v)])
        assert abbrevs <= found, (code_id, abbrevs - found)


def test_lookups(cb: Codebook) -> None:
    assert cb.code("risk.neglect").label == "Neglect"
    assert cb.group_of("risk.neglect").id == "risk"
    assert cb.codes_in("risk")[0].id == "risk.substance_misuse"
    assert len(cb.theme_codes) == 21 and all(c.group != "frame" for c in cb.theme_codes)
    assert [g.id for g in cb.theme_groups] == ["risk", "finding", "practice"]
    assert "risk.neglect" in cb and "risk.nope" not in cb
    assert cb.sort_ids(["practice.training", "keep", "risk.neglect", "keep"]) == [
        "keep", "risk.neglect", "practice.training"]
    with pytest.raises(KeyError, match=r"risk\.nope"):
        cb.code("risk.nope")
    with pytest.raises(KeyError):
        cb.codes_in("nope")


def test_pattern_names_and_options(cb: Codebook) -> None:
    pats = {p.name: p for p in cb.code("practice.chronologies").patterns}
    assert "practice.chronologies/lemma:chronology" in pats
    regex = next(p for p in pats.values() if p.kind == "regex")
    assert regex.note
    weak = next(p for p in cb.code("practice.chronologies").patterns if p.value == "history")
    assert weak.weight == 0.5
    neg = cb.code("practice.training").negative_patterns
    assert neg[0].name == "practice.training/not-phrase:toilet training"
    assert neg[0].scope == "match"


def test_to_dict_and_yaml_round_trip(cb: Codebook, tmp_path: Path) -> None:
    again = codebook_from_dict(cb.to_dict())
    assert again == cb
    out = tmp_path / "copy.yaml"
    text = cb.to_yaml(out)
    assert out.read_text(encoding="utf-8") == text
    assert load_codebook(out) == cb
    assert "{LOWER: " in text  # token patterns stay in compact flow style
    assert yaml.safe_load(text)["codes"][0]["id"] == "keep"


def test_a_codebook_of_themes_only_works(tmp_path: Path) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text(
        "name: themes\nversion: '0.1'\ngroups:\n  - id: topic\n    label: Topics\n"
        "codes:\n  - id: housing\n    group: topic\n    label: Housing\n"
        "    definition: Where families live.\n    patterns:\n      - lemma: house\n",
        encoding="utf-8",
    )
    cb = load_codebook(path)
    assert cb.frame_group is None and cb.frame_codes == ()
    assert [c.id for c in cb.theme_codes] == ["housing"]
    assert cb.groups[0].cardinality == "many"


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_codebook(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="folder"):
        load_codebook(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: '1'\ngroups: []\ncodes: []\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"2 errors.*groups.*codes"):
        load_codebook(bad)


def test_token_patterns_are_accepted_by_spacy_matcher(cb: Codebook) -> None:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab, validate=True)
    count = 0
    for code in cb:
        for p in (*code.patterns, *code.negative_patterns):
            if p.kind == "tokens":
                matcher.add(p.name, [[dict(t) for t in p.value]])
                count += 1
            elif p.kind in ("phrase", "lemma"):
                assert len(nlp.make_doc(p.value)) >= 1
    assert count > 40
