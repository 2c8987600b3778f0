"""Redaction: detectors (input, expected) tables, placeholders, pseudonyms, DataFrame API."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from forumnlp.errors import InputError
from forumnlp.redact import PLACEHOLDER_RE, TYPES, Redactor, redact, redact_units, redaction_log
from forumnlp.redact.patterns import chi_date_ok, mod11_ok, national_phone, nino_prefix_ok


@pytest.fixture(scope="module")
def fast() -> Redactor:
    return Redactor(use_ner=False)


@pytest.fixture(scope="module")
def ner() -> Redactor:
    return Redactor(use_ner=True)


def found(redactor: Redactor, text: str) -> list[tuple[str, str]]:
    res = redactor.redact_text(text)
    return [(text[s.start : s.end], s.type) for s in res.spans]


# --- every type: (text, expected redacted value, type) -----------------------------------
POSITIVE = [
    # names
    ("Mrs Kerr did not come to the core group.", "Mrs Kerr", "PERSON"),
    ("Spoke to Mr. Ahmed about the referral.", "Mr. Ahmed", "PERSON"),
    ("Ms O'Neil was very helpful.", "Ms O'Neil", "PERSON"),
    ("Dr Patel shared the chronology.", "Dr Patel", "PERSON"),
    ("PC Stoddart attended the IRD.", "PC Stoddart", "PERSON"),
    ("DC Reid took the statement.", "DC Reid", "PERSON"),
    ("Sgt Brown phoned the HV.", "Sgt Brown", "PERSON"),
    ("Cllr Kowalczyk asked for figures.", "Cllr Kowalczyk", "PERSON"),
    ("The HV saw baby jack on Tuesday.", "jack", "PERSON"),
    ("mum kelly-ann was very anxious.", "kelly-ann", "PERSON"),
    ("A child called liam told the teacher.", "liam", "PERSON"),
    ("Jack's mum disclosed DA.", "Jack", "PERSON"),
    ("Kayden's mum disclosed DA.", "Kayden", "PERSON"),
    ("J.S. was discussed at the MAG.", "J.S.", "PERSON"),
    ("Jack Smith has missed three appointments.", "Jack Smith", "PERSON"),
    ("The Kerr family have moved.", "Kerr", "PERSON"),
    ("pupil Tiernan was excluded twice.", "Tiernan", "PERSON"),
    ("Ruby needs a named person.", "Ruby", "PERSON"),
    ("Ioana said nobody listens.", "Ioana", "PERSON"),
    ("We could not find Seonaid on the system.", "Seonaid", "PERSON"),
    ("Gran morven is caring for the twins.", "morven", "PERSON"),
    ("Pippa & Keith both go to the nursery.", "Pippa", "PERSON"),
    ("the Gordons moved again.", "Gordons", "PERSON"),
    # contact details
    ("Email jane.smith@example.com today.", "jane.smith@example.com", "EMAIL"),
    ("See https://www.facebook.com/jane.smith.1 for the post.",
     "https://www.facebook.com/jane.smith.1", "URL"),
    ("The leaflet is at www.example.org/leaflet.", "www.example.org/leaflet", "URL"),
    ("Ring 07700 900123 after 3pm.", "07700 900123", "PHONE"),
    ("Ring 07700900123 after 3pm.", "07700900123", "PHONE"),
    ("Ring 07700 900 123 after 3pm.", "07700 900 123", "PHONE"),
    ("Call 0141 496 0000 for duty.", "0141 496 0000", "PHONE"),
    ("Call +44 (0)131 496 0000 for duty.", "+44 (0)131 496 0000", "PHONE"),
    ("Call (0131) 496 0000 for duty.", "(0131) 496 0000", "PHONE"),
    ("Call +447700900123 now.", "+447700900123", "PHONE"),
    ("Call 0131-496-0000 now.", "0131-496-0000", "PHONE"),
    ("Postcode EH1 1AA is wrong.", "EH1 1AA", "POSTCODE"),
    ("Postcode G2 3AB is wrong.", "G2 3AB", "POSTCODE"),
    ("Postcode FK11AB is wrong.", "FK11AB", "POSTCODE"),
    ("They moved to 14 Dumbarton Road last week.", "14 Dumbarton Road", "ADDRESS"),
    ("Flat 2/1, 14 Dumbarton Road, Glasgow G11 6AA has damp.",
     "Flat 2/1, 14 Dumbarton Road, Glasgow G11 6AA", "ADDRESS"),
    ("She lives at 2/1 12 Kerr St in Falkirk.", "2/1 12 Kerr St", "ADDRESS"),
    ("Old address 12 main street, not known now.", "12 main street", "ADDRESS"),
    # dates of birth and ages
    ("Baby (dob 02/11/2019) was not brought.", "02/11/2019", "DOB"),
    ("DOB: 2 Nov 2019, lives with gran.", "2 Nov 2019", "DOB"),
    ("d.o.b. 2.11.19 on the form.", "2.11.19", "DOB"),
    ("He was born on 2nd November 2019.", "2nd November 2019", "DOB"),
    ("The dob on the form was 21.2.17 but wrong.", "21.2.17", "DOB"),
    ("A boy, aged 4, was found.", "aged 4", "AGE"),
    ("A 4 year old was left alone.", "4 year old", "AGE"),
    ("A 15-year-old girl was groomed.", "15-year-old", "AGE"),
    ("Seen with a 4yo at A&E.", "4yo", "AGE"),
    ("Jack (4) was in the car.", "(4)", "AGE"),
    ("The baby is 9 months old.", "9 months old", "AGE"),
    # numbers
    ("NHS number 943 476 5919 on the letter.", "943 476 5919", "NHS_NUMBER"),
    ("Number 9434765919 on the letter.", "9434765919", "NHS_NUMBER"),
    ("CHI 0211195678 was wrong.", "0211195678", "CHI_NUMBER"),
    ("The number 021119 5677 was wrong.", "021119 5677", "CHI_NUMBER"),
    ("NI AB 12 34 56 C on the letter.", "AB 12 34 56 C", "NI_NUMBER"),
    ("NI AB123456C on the letter.", "AB123456C", "NI_NUMBER"),
]


@pytest.mark.parametrize(("text", "value", "kind"), POSITIVE)
def test_detects_each_type(fast: Redactor, text: str, value: str, kind: str) -> None:
    assert (value, kind) in found(fast, text)


KEPT = [
    "Child A and Family B were discussed at the MAG with the HV, SW and Police Scotland.",
    "Mum and dad did not engage; gran is doing most of the parenting.",
    "The named person, the health visitor and the social worker met in Falkirk.",
    "NHS Lothian, CAMHS, Women's Aid, Barnardo's, Children 1st and Aberlour were there.",
    "GIRFEC, TAC, IAF, DA, MH and the toxic trio were on the agenda.",
    "Glasgow, Fife, Edinburgh and North locality all use the same chronology.",
    "Children aged 0-5 and young people aged 16-18 are on most registers.",
    "Nursery places for 3 year olds; services for under 5s; aged 5 and under.",
    "A 10 year old policy and the 27-30 month review.",
    "The forum is on 14 March at 9.30am; 42 people from 9 agencies came.",
    "Call 999 in an emergency; Childline is 0800 1111.",
    "The school at St Margaret's and St Mary's primary, near George Square.",
    "Level 2 training, Section 11, page 14, appendix 2.",
    "Info sharing between HV and school nurse is working well.",
    "KEEP ASKING WHO MINDS THE KIDS WHEN MUM AND DAD ARE USING",
    "Staff feel able to say 'I'm stuck' in supervision.",
    "The PC attended but the DC was off.",
    "Grant funding will end in May; we hope it will continue.",
]


@pytest.mark.parametrize("text", KEPT)
def test_keeps_agency_words_places_and_codebook_terms(fast: Redactor, ner: Redactor,
                                                       text: str) -> None:
    assert found(fast, text) == []
    assert found(ner, text) == []


@pytest.mark.parametrize(("digits", "ok"), [("9434765919", True), ("9434765918", False),
                                            ("4010232137", True), ("123", False)])
def test_mod11(digits: str, ok: bool) -> None:
    assert mod11_ok(digits) is ok


def test_checksum_is_required_without_a_cue(fast: Redactor) -> None:
    assert found(fast, "Reference 9434765918 on file.") == []  # bad check digit
    assert found(fast, "NHS no 9434765918 on file.") == [("9434765918", "NHS_NUMBER")]


def test_chi_date_and_ni_prefix() -> None:
    assert chi_date_ok("0211195678") and chi_date_ok("2902200000")
    assert not chi_date_ok("3202195678") and not chi_date_ok("0213195678")
    assert nino_prefix_ok("AB") and not nino_prefix_ok("QQ") and not nino_prefix_ok("GB")
    assert not nino_prefix_ok("DA") and not nino_prefix_ok("AO")


@pytest.mark.parametrize(("raw", "national"), [
    ("07700 900123", "07700900123"), ("+44 (0)131 496 0000", "01314960000"),
    ("+44 7700 900123", "07700900123"), ("0044 141 496 0000", "01414960000"),
    ("(0131) 496 0000", "01314960000"), ("0800 1111", None), ("999", None),
    ("02.11.2019", None),
])
def test_national_phone(raw: str, national: str | None) -> None:
    assert national_phone(raw) == national


# --- placeholders ----------------------------------------------------------------------
def test_same_name_same_number_within_a_run(fast: Redactor) -> None:
    r = Redactor(use_ner=False)
    a = r.redact_text("Mrs Kerr said Kerr's son was hungry.")
    b = r.redact_text("MRS KERR? No: kerr's neighbour, Mr Ahmed, phoned.")
    assert a.text == "[PERSON_1] said [PERSON_1]'s son was hungry."
    assert "[PERSON_2]" in b.text
    assert r.redact_text("Mrs Kerr again").text == "[PERSON_1] again"
    r.reset()
    assert r.redact_text("Mr Ahmed").text == "[PERSON_1]"


def test_first_name_after_full_name_shares_the_number() -> None:
    r = Redactor(use_ner=False)
    assert r.redact_text("Jack Smith missed school; Jack was hungry.").text == (
        "[PERSON_1] missed school; [PERSON_1] was hungry."
    )


def test_typed_numbering_and_counts(fast: Redactor) -> None:
    r = Redactor(use_ner=False)
    res = r.redact_text("Call 07700 900123 or 07700 900124, or 07700 900123 again.")
    assert res.text == "Call [PHONE_1] or [PHONE_2], or [PHONE_1] again."
    assert res.counts == {"PHONE": 3}
    assert [s.replacement for s in res.spans] == ["[PHONE_1]", "[PHONE_2]", "[PHONE_1]"]


def test_pseudonyms_are_keyed_and_stable_across_runs() -> None:
    text = "Mrs Kerr rang from 07700 900123."
    a = Redactor(use_ner=False, pseudonym_key="k1").redact_text(text).text
    b = Redactor(use_ner=False, pseudonym_key="k1").redact_text(text).text
    c = Redactor(use_ner=False, pseudonym_key="k2").redact_text(text).text
    assert a == b != c
    assert re.fullmatch(r"\[PERSON_[0-9a-f]{8}\] rang from \[PHONE_[0-9a-f]{8}\]\.", a)
    assert all(PLACEHOLDER_RE.fullmatch(p) for p in re.findall(r"\[[^\]]+\]", a))
    # "Kerr" and "Mrs Kerr" normalise to the same pseudonym
    r = Redactor(use_ner=False, pseudonym_key="k1")
    assert r.redact_text("Kerr's son").text.split("'")[0] == a.split()[0]


def test_spans_are_in_original_offsets(fast: Redactor) -> None:
    text = "Mrs Kerr (dob 02/11/2019) lives at 14 Dumbarton Road."
    res = fast.redact_text(text)
    assert [text[s.start : s.end] for s in res.spans] == [
        "Mrs Kerr", "02/11/2019", "14 Dumbarton Road"]
    rebuilt, pos = [], 0
    for s in res.spans:
        rebuilt += [text[pos : s.start], s.replacement]
        pos = s.end
    assert "".join([*rebuilt, text[pos:]]) == res.text


def test_types_and_allow_options() -> None:
    text = "Mrs Kerr rang the helpline on 0141 496 0000 from EH1 1AA."
    only_phone = Redactor(use_ner=False, types=["phone"]).redact_text(text)
    assert only_phone.counts == {"PHONE": 1} and "Mrs Kerr" in only_phone.text
    allowed = Redactor(use_ner=False, allow=["0141 496 0000", "Kerr"]).redact_text(text)
    assert "0141 496 0000" in allowed.text and "Kerr" in allowed.text
    assert allowed.counts == {"POSTCODE": 1}
    with pytest.raises(InputError, match="unknown redaction type"):
        Redactor(types=["SHOE_SIZE"])
    with pytest.raises(InputError, match="empty"):
        Redactor(pseudonym_key="")


def test_whole_address_is_one_span_and_beats_postcode(fast: Redactor) -> None:
    text = "At 2/1 14 Dumbarton Road, Glasgow G11 6AA the door was open."
    assert found(fast, text) == [("2/1 14 Dumbarton Road, Glasgow G11 6AA", "ADDRESS")]


def test_ner_finds_names_patterns_miss(ner: Redactor) -> None:
    text = "We met Ailbhe Geddes at the school gate."
    assert ("Ailbhe Geddes", "PERSON") in found(ner, text)


def test_empty_and_blank_texts(fast: Redactor) -> None:
    assert fast.redact_text("").text == ""
    assert fast.redact_texts(["", "   ", "\n"])[1].spans == []
    with pytest.raises(InputError):
        fast.redact_texts([12])  # type: ignore[list-item]


# --- DataFrame API -----------------------------------------------------------------------
def units_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "record_id": ["r1", "r1", "r2", "r3"],
        "unit_id": ["r1#1", "r1#2", "r2#1", "r3#1"],
        "start": [0, 20, 0, 0],
        "end": [19, 50, 30, 0],
        "text": ["Mrs Kerr phoned.", "Jack (4) is hungry, 07700 900123.", "Keep the MAG.", ""],
        "agency": ["police", "police", "health", "sw"],
    }, index=[10, 11, 12, 13])


def test_redact_dataframe_keeps_rows_offsets_and_attributes() -> None:
    units = units_frame()
    out = redact(units, use_ner=False)
    assert units["text"].iloc[0] == "Mrs Kerr phoned."  # input untouched
    assert out["text"].tolist() == [
        "[PERSON_1] phoned.", "[PERSON_2] [AGE_1] is hungry, [PHONE_1].", "Keep the MAG.", ""]
    assert out.index.tolist() == units.index.tolist()
    for col in ("record_id", "unit_id", "start", "end", "agency"):
        assert out[col].tolist() == units[col].tolist()
    log = redaction_log(out)
    assert log.columns.tolist()[:4] == ["record_id", "unit_id", "n_redacted", "types"]
    assert log["n_redacted"].tolist() == [1, 3, 0, 0]
    assert log.loc[1, "types"] == "PERSON:1;PHONE:1;AGE:1"
    assert set(TYPES) <= set(log.columns)
    values = ["Kerr", "Jack", "07700"]
    assert not any(v in str(cell) for v in values for cell in log.to_numpy().ravel())


def test_redact_units_returns_log_and_frames_concatenate() -> None:
    r = Redactor(use_ner=False)
    a, log_a = redact_units(units_frame(), redactor=r)
    b, _ = redact_units(units_frame(), redactor=r)
    assert a["text"].tolist() == b["text"].tolist()  # numbering continues across calls
    both = pd.concat([a, b])  # a DataFrame in attrs would make this raise
    assert len(both) == 8
    assert log_a["PERSON"].sum() == 2


def test_redact_several_columns_and_non_text_cells() -> None:
    df = pd.DataFrame({"q1": ["Ring 07700 900123", None], "q2": [7700900123, "Mrs Kerr"]})
    out = redact(df, text_column=["q1", "q2"], use_ner=False)
    assert out["q1"].tolist()[0] == "Ring [PHONE_1]" and out["q1"].isna().tolist()[1]
    assert out["q2"].tolist() == ["7700900123", "[PERSON_1]"]  # 10 digits, not a UK phone
    log = redaction_log(out)
    assert log["column"].tolist() == ["q1", "q1", "q2", "q2"]


def test_redact_errors() -> None:
    with pytest.raises(InputError, match="text column"):
        redact(pd.DataFrame({"x": ["a"]}), use_ner=False)
    with pytest.raises(InputError, match="DataFrame"):
        redact(["Mrs Kerr"])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not both"):
        redact(units_frame(), redactor=Redactor(use_ner=False), use_ner=False)
    with pytest.raises(InputError, match="no redaction log"):
        redaction_log(pd.DataFrame({"text": []}))


def test_redaction_log_in_attrs_is_shared_not_deep_copied() -> None:
    import copy

    import pandas as pd

    from forumnlp.redact import redact, redaction_log

    df = pd.DataFrame({"text": [f"Mrs Kerr phoned about case {i}" for i in range(2000)]})
    out = redact(df, use_ner=False)
    log = out.attrs["redaction_log"]
    assert len(log) == 2000 and log[0]["PERSON"] == 1
    assert out.head().attrs["redaction_log"] is log  # pandas' deep copy of attrs shares it
    assert copy.deepcopy(out.attrs)["redaction_log"] is log
    assert len(redaction_log(out)) == 2000
    assert len(pd.concat([out.head(2), out.tail(2)])) == 4
