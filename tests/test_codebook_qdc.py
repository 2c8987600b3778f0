"""REFI-QDA codebook exchange: export valid against the standard's XSD, import, round trip."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from defusedxml.ElementTree import fromstring
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forumnlp.codebook import (
    QDC_NAMESPACE,
    Codebook,
    codebook_from_dict,
    codebook_table,
    export_codebook,
    export_qdc,
    import_qdc,
    load_codebook,
    read_qdc,
    to_qdc,
)
from forumnlp.codebook.qdc import code_guid, parse_description, slugify
from forumnlp.errors import InputError, ModelError

DATA = Path(__file__).parent / "data" / "qdc"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NS = "{" + QDC_NAMESPACE + "}"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(DATA / "Codebook.xsd"))


@pytest.fixture(scope="module")
def cb() -> Codebook:
    return load_codebook()


def _shape(cb: Codebook) -> tuple[Any, ...]:
    groups = tuple((g.id, g.label, g.cardinality, g.description) for g in cb.groups)
    codes = tuple((c.id, c.group, c.label, c.definition, c.use_when, c.do_not_use_when,
                   c.examples, c.counter_examples) for c in cb.codes)
    return cb.name, cb.version, groups, codes


def test_export_is_valid_against_the_refi_qda_schema(cb: Codebook, schema: xmlschema.XMLSchema,
                                                     tmp_path: Path) -> None:
    out = export_qdc(cb, tmp_path / "cb.qdc")
    schema.validate(str(out))
    root = fromstring(out.read_bytes())
    assert root.tag == NS + "CodeBook"
    groups = root.find(NS + "Codes").findall(NS + "Code")
    assert [g.get("name") for g in groups] == [g.label for g in cb.groups]
    assert {g.get("isCodable") for g in groups} == {"false"}
    nested = [c for g in groups for c in g.findall(NS + "Code")]
    assert [c.get("name") for c in nested] == [c.label for c in cb.codes]
    assert {c.get("isCodable") for c in nested} == {"true"}
    guids = [e.get("guid") for e in root.iter(NS + "Code")]
    assert all(GUID.match(g) for g in guids) and len(set(guids)) == len(guids) == 30
    desc = nested[0].find(NS + "Description").text
    assert desc.startswith(cb.codes[0].definition)
    assert "Use when: " in desc and "Do not use when: " in desc and desc.endswith("forumnlp: id=keep")


def test_export_is_byte_stable_and_guids_are_deterministic(cb: Codebook, tmp_path: Path) -> None:
    a = export_qdc(cb, tmp_path / "a.qdc").read_bytes()
    b = export_qdc(load_codebook(), tmp_path / "b.qdc").read_bytes()
    assert a == b == to_qdc(cb)
    assert code_guid("child_protection", "keep") == code_guid("child_protection", "keep")
    assert code_guid("child_protection", "keep") != code_guid("other", "keep")
    assert f'guid="{code_guid(cb.name, "risk.neglect")}"'.encode() in a


def test_round_trip_keeps_ids_labels_definitions_and_groups(cb: Codebook, tmp_path: Path) -> None:
    back = import_qdc(export_qdc(cb, tmp_path / "cb.qdc"))
    assert _shape(back) == _shape(cb)
    assert back.frame_group is not None and back.frame_group.id == "frame"
    assert all(not c.patterns for c in back)  # cues are forumnlp's own, not in the .qdc
    assert back.metadata["imported_from"] == "cb.qdc"
    # and the imported YAML itself is a valid codebook that exports identically
    out = tmp_path / "back.yaml"
    back.to_yaml(out)
    assert to_qdc(load_codebook(out)) == to_qdc(cb)


def test_another_tools_codebook_imports(schema: xmlschema.XMLSchema) -> None:
    path = DATA / "other_tool.qdc"
    schema.validate(str(path))
    cb = import_qdc(path)
    assert cb.name == "other_tool" and cb.version == "1.0.0"
    assert [(g.id, g.label, g.cardinality) for g in cb.groups] == [
        ("family_factors", "Family factors", "many"),
        ("systeme_services", "Système & services", "many"),
        ("codes", "Codes", "many"),
    ]
    assert cb.ids == (
        "family_factors.parental_issues",
        "family_factors.parental_issues.alcohol_drugs",
        "family_factors.parental_issues.alcohol_drugs.relapse",
        "family_factors.parental_issues.mental_health",
        "family_factors.strengths",
        "family_factors.strengths_2",
        "systeme_services.waiting_lists",
        "systeme_services.inter_agency.joint_visits",
        "memo_worthy",
    )
    relapse = cb.code("family_factors.parental_issues.alcohol_drugs.relapse")
    assert relapse.label == "Relapse" and relapse.definition.startswith("A return to use")
    mh = cb.code("family_factors.parental_issues.mental_health")
    assert mh.definition == "Mental health"  # no free text: the name stands in
    assert mh.use_when == "a parent's mental ill-health is discussed."
    assert mh.do_not_use_when == "it is the child's own mental health."
    assert cb.groups[0].description == "Things about the family that raise or lower concern."
    assert cb.metadata["sets"] == {"Toxic trio": ["family_factors.parental_issues.alcohol_drugs",
                                                  "family_factors.parental_issues.mental_health"]}
    assert cb.metadata["origin"] == "ExampleQDA 2024 (Build 112)"
    assert import_qdc(path, name="mine", version="2").name == "mine"


def test_flat_codebook_without_namespace_and_project_wrapper() -> None:
    flat = ('<CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000001" name="A" '
            'isCodable="true"/><Code guid="00000000-0000-0000-0000-000000000002" name="B" '
            'isCodable="1"><Description>Bee.</Description></Code></Codes></CodeBook>')
    cb = read_qdc(flat)
    assert [(c.id, c.group, c.definition) for c in cb] == [("a", "codes", "A"), ("b", "codes", "Bee.")]
    project = ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
               '<Code guid="00000000-0000-0000-0000-000000000003" name="Top" isCodable="false">'
               '<Code guid="00000000-0000-0000-0000-000000000004" name="Leaf" isCodable="true"/>'
               '</Code></Codes></CodeBook></Project>')
    assert read_qdc(project).ids == ("top.leaf",)


@pytest.mark.parametrize(
    ("xml", "fragment"),
    [
        ("<CodeBook><Codes>", "not well-formed XML at line 1"),
        ("<Codes/>", "root element is 'Codes'"),
        ("<CodeBook><Codes/></CodeBook>", "has no codes"),
        ("<Project/>", "no CodeBook"),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook>&a;</CodeBook>',
         "refused unsafe XML"),
    ],
)
def test_bad_qdc_is_refused(xml: str, fragment: str) -> None:
    with pytest.raises(ModelError, match=re.escape(fragment)):
        read_qdc(xml, where="x.qdc")


def test_import_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        import_qdc(tmp_path / "none.qdc")


def test_parse_description_and_slugify() -> None:
    parsed = parse_description("Def line one.\r\nline two.\r\n\r\nUse when: a\r\nb\r\n\r\n"
                               "Examples:\r\n- one\r\n- two\r\n\r\nforumnlp: id=x.y\r\n")
    assert parsed["definition"] == "Def line one.\nline two."
    assert parsed["use_when"] == "a\nb"
    assert parsed["examples"] == ["one", "two"]
    assert parsed["marker"] == {"id": "x.y"}
    assert slugify("  Multi-Agency  Working (MAG) ") == "multi_agency_working_mag"
    assert slugify("Système & Café") == "systeme_cafe"
    assert slugify("!!!") == ""


def test_csv_and_yaml_export(cb: Codebook, tmp_path: Path) -> None:
    from forumnlp.io import read_table

    table = codebook_table(cb)
    assert list(table["id"]) == list(cb.ids)
    out = export_codebook(cb, tmp_path / "cb.csv")
    back = read_table(out)
    assert list(back["id"]) == list(cb.ids)
    assert back.loc[back["id"] == "practice.training", "patterns"].item().startswith("lemma: training")
    y = export_codebook(cb, tmp_path / "cb.txt", "yaml")
    assert load_codebook(y) == cb
    with pytest.raises(InputError, match="cannot tell the format"):
        export_codebook(cb, tmp_path / "cb.txt")
    with pytest.raises(InputError, match="unknown codebook format"):
        export_codebook(cb, tmp_path / "cb.qdc", "nvivo")


_words = st.text(alphabet=string.ascii_letters + string.digits + " ,.'()&-é", min_size=1, max_size=30)
_text = _words.map(lambda s: " ".join(s.split())).filter(
    lambda s: bool(s) and not re.match(r"(?i)(use when|do not use when|examples|counter-examples|forumnlp)\s*:", s)
)
_ident = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@st.composite
def codebooks(draw: st.DrawFn) -> dict[str, Any]:
    group_ids = draw(st.lists(_ident, min_size=1, max_size=3, unique=True))
    groups = [{"id": g, "label": draw(_text), "cardinality": draw(st.sampled_from(["one", "many"]))}
              for g in group_ids]
    codes = []
    for g in group_ids:
        for cid in draw(st.lists(_ident, min_size=1, max_size=4, unique=True)):
            code: dict[str, Any] = {"id": f"{g}.{cid}", "group": g, "label": draw(_text),
                                    "definition": draw(_text)}
            if draw(st.booleans()):
                code["use_when"] = draw(_text)
                code["examples"] = draw(st.lists(_text, max_size=3))
            codes.append(code)
    return {"name": draw(_ident), "version": "1.0", "groups": groups, "codes": codes}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codebooks())
def test_any_codebook_round_trips_through_qdc_and_yaml(data: dict[str, Any]) -> None:
    cb = codebook_from_dict(data)
    assert _shape(read_qdc(to_qdc(cb))) == _shape(cb)
    assert codebook_from_dict(cb.to_dict()) == cb
