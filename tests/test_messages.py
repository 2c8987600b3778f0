"""Key messages on the planted corpus: recovery, spread, ranking, small data, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forumnlp.errors import InputError
from forumnlp.messages import KeyMessages, key_messages

PLANTED = Path(__file__).parent / "data" / "planted"
PLANTED_IDS = [f"P{i}" for i in range(1, 9)]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(PLANTED / name, dtype=str, keep_default_na=False)


def best_match(units: pd.DataFrame, gold: str) -> tuple[str, float]:
    """The message with the best F1 against the planted membership ``gold``."""
    g = units["gold_message"].eq(gold).to_numpy()
    best = ("", 0.0)
    for mid in sorted(set(units["message_id"]) - {""}):
        m = units["message_id"].eq(mid).to_numpy()
        tp = int((g & m).sum())
        f1 = 2 * tp / (g.sum() + m.sum()) if tp else 0.0
        if f1 > best[1]:
            best = (mid, f1)
    return best


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return _read("planted.csv")


@pytest.fixture(scope="module")
def result(planted: pd.DataFrame) -> KeyMessages:
    # default options: "auto" picks MiniLM at this size, the main recovery bar
    return key_messages(planted, by=["session", "agency"])


def test_corpus_shape(planted: pd.DataFrame) -> None:
    assert len(planted) >= 300
    assert planted["session"].nunique() == 6 and planted["agency"].nunique() == 6
    sizes = planted["gold_message"].value_counts()
    assert all(10 <= sizes[p] <= 45 for p in PLANTED_IDS)
    assert {planted[planted.gold_message == p].session.nunique() for p in PLANTED_IDS} >= {2, 6}
    assert (planted["frame"] == "none").sum() >= 30


def test_every_planted_message_recovered(planted: pd.DataFrame, result: KeyMessages) -> None:
    units = result.units
    matches = {p: best_match(units, p) for p in PLANTED_IDS}
    for p, (mid, f1) in matches.items():
        assert f1 >= 0.7, f"{p}: best F1 {f1:.2f} ({mid})"
    assert len({mid for mid, _ in matches.values()}) == 8  # 8 different messages
    ranks = result.messages.set_index("message_id")["rank"]
    for p, (mid, _) in matches.items():
        assert ranks[mid] <= 10, f"{p} -> {mid} ranked {ranks[mid]}"


def test_spread_equals_planted_spread(planted: pd.DataFrame, result: KeyMessages) -> None:
    msgs = result.messages.set_index("message_id")
    for p in PLANTED_IDS:
        mid, _ = best_match(result.units, p)
        planted_sessions = sorted(set(planted.loc[planted.gold_message == p, "session"]))
        assert json.loads(msgs.loc[mid, "session_values"]) == planted_sessions, p
        assert msgs.loc[mid, "n_session"] == len(planted_sessions)
        assert msgs.loc[mid, "spread"].startswith(f"session {len(planted_sessions)}/6")


def test_ranked_by_spread_then_size(result: KeyMessages) -> None:
    m = result.messages
    assert list(m["message_id"]) == [f"M{i:02d}" for i in range(1, len(m) + 1)]
    assert list(m["rank"]) == list(range(1, len(m) + 1))
    keys = list(zip(-m["score"], -m["size"], strict=True))
    assert keys == sorted(keys)


def test_feedback_and_blank_units_kept_apart(planted: pd.DataFrame, result: KeyMessages) -> None:
    units = result.units
    assert list(units.columns[:-1]) == list(planted.columns)  # all columns, order kept
    assert units["unit_id"].tolist() == planted["unit_id"].tolist()
    none = units["frame"].eq("none")
    assert not units.loc[none, "message_id"].str.startswith("M").any()
    assert units.loc[units["text"].eq(""), "message_id"].eq("").all()
    assert not result.messages["frame"].eq("none").any()
    assert len(result.feedback) >= 1 and result.feedback["message_id"].str.startswith("F").all()
    practice = units[~none & units["text"].ne("")]
    assert practice["message_id"].eq("").mean() < 0.10  # under 10% left without a message


def test_message_columns(result: KeyMessages) -> None:
    m = result.messages.set_index("message_id")
    mid, _ = best_match(result.units, "P1")
    row = m.loc[mid]
    assert "supervision" in row["label"].lower() and "health visitor" in row["label"].lower()
    assert "_" not in row["label"]
    assert row["frame"] == "start" and json.loads(row["frames"])["start"] >= 40
    assert row["themes"].split(";")[0] == "practice.supervision"
    quotes = json.loads(row["quotes"])
    assert 3 <= len(quotes) <= 5 and len(set(quotes)) == len(quotes)
    members = set(result.units.loc[result.units.message_id == mid, "text"])
    assert set(quotes) <= members
    assert len(json.loads(row["quote_ids"])) == len(quotes)
    assert row["statement"].startswith("Practitioners in 6 of 6 sessions, from ")
    assert "called for: " in row["statement"]
    stop_mid, _ = best_match(result.units, "P5")
    assert m.loc[stop_mid, "frame"] == "stop"
    assert "wanted an end to" in m.loc[stop_mid, "statement"]
    good_mid, _ = best_match(result.units, "P6")
    assert "named as working well: " in m.loc[good_mid, "statement"]


def test_html_repr_escapes(planted: pd.DataFrame) -> None:
    units = planted.copy()
    units.loc[units.gold_message == "P8", "text"] = (
        units.loc[units.gold_message == "P8", "text"] + " <script>alert(1)</script>")
    km = key_messages(units, by=["session"], embedding="static")
    html = km._repr_html_()
    assert "<table>" in html and "<script>" not in html and "&lt;script&gt;" in html


def test_small_single_session_subset() -> None:
    small = _read("planted_small.csv")
    assert len(small) == 40 and small["session"].nunique() == 1
    km = key_messages(small, by=["session"])
    for p in sorted(set(small.gold_message) - {"", "feedback"}):
        _mid, f1 = best_match(km.units, p)
        assert f1 >= 0.6, f"{p}: F1 {f1:.2f}"
    assert km.messages["statement"].str.startswith("Practitioners in 1 of 1 session ").all()


def test_deterministic_csv_bytes(planted: pd.DataFrame, tmp_path: Path) -> None:
    from forumnlp.io import write_table

    outs = []
    for i in range(2):
        km = key_messages(planted, by=["session", "agency"], embedding="static")
        write_table(km.messages, tmp_path / f"m{i}.csv")
        write_table(km.units, tmp_path / f"u{i}.csv")
        outs.append(((tmp_path / f"m{i}.csv").read_bytes(), (tmp_path / f"u{i}.csv").read_bytes()))
    assert outs[0] == outs[1]


def test_static_backend_also_recovers(planted: pd.DataFrame) -> None:
    km = key_messages(planted, by=["session"], embedding="static")
    for p in PLANTED_IDS:
        assert best_match(km.units, p)[1] >= 0.7, p


def test_max_messages_and_min_size(planted: pd.DataFrame) -> None:
    km = key_messages(planted, by=["session"], embedding="static", max_messages=5, min_size=5)
    assert len(km.messages) == 5 and (km.messages["size"] >= 5).all()
    kept = set(km.messages["message_id"])
    assert set(km.units["message_id"]) - {""} - kept <= {m for m in km.units["message_id"]
                                                         if m.startswith("F")}


def test_without_frame_or_by_columns() -> None:
    texts = ["Joint visits with police work well.", "Joint visits with the police are good.",
             "Police joint visits work well.", "Chronologies start too late.",
             "Chronologies are started late.", "Start chronologies earlier."]
    km = key_messages(pd.DataFrame({"text": texts}), embedding="static")
    assert len(km.messages) >= 1 and "spread" in km.messages.columns
    assert km.messages["statement"].str.startswith("Practitioners (").all()
    empty = key_messages(pd.DataFrame({"text": ["", " "]}), embedding="static")
    assert len(empty.messages) == 0 and empty.units["message_id"].eq("").all()


@pytest.mark.parametrize(("kwargs", "msg"), [
    ({"by": ["nope"]}, "nope"), ({"min_size": 1}, "min_size"),
    ({"embedding": "bert"}, "embedding"), ({"max_messages": 0}, "max_messages"),
])
def test_bad_options(kwargs: dict, msg: str) -> None:
    with pytest.raises(InputError, match=msg):
        key_messages(pd.DataFrame({"text": ["a"]}), **kwargs)


def test_missing_text_column() -> None:
    with pytest.raises(InputError, match="text"):
        key_messages(pd.DataFrame({"comment": ["a"]}))


def test_embed_backends_agree_in_shape() -> None:
    from forumnlp.messages.embed import embed_texts, load_static_model

    model = load_static_model()
    vecs = embed_texts(["Chronologies start too late.", ""], "static")
    assert vecs.shape == (2, model.dim) and vecs.dtype == np.float32
    assert np.isclose(np.linalg.norm(vecs[0]), 1.0) and not vecs[1].any()
    with pytest.raises(InputError):
        embed_texts(["x"], "word2vec")


def test_statement_reads_for_any_label_and_skips_attributes_not_recorded() -> None:
    from forumnlp.messages.label import statement

    s = statement("start", "pilot the new chronology tool", [("session", ["S1", "S2"], 6), ("agency", ["GP"], 10)], 5)
    assert s == "Practitioners in 2 of 6 sessions, from GP, called for: pilot the new chronology tool."
    s = statement("stop", "worker changes", [("session", [], 6), ("agency", [], 10)], 4)
    assert s == "Practitioners (4 comments) wanted an end to: worker changes."
    s = statement("good_practice", "joint visits", [("session", [], 6), ("agency", ["Police", "Health"], 10)], 7)
    assert s == "Practitioners in 2 of 10 agencies named as working well: joint visits."


def test_labels_complete_phrases_cut_short() -> None:
    from forumnlp.messages.cluster import stop_words
    from forumnlp.messages.label import _extend_left, _extend_right

    texts = ["Joint training for adult services please", "More joint training for adult services",
             "joint training for adult services and schools", "Ask my patients about their kids",
             "ask my patients about their kids at review"]
    stops = stop_words()
    assert _extend_right(texts, ("joint", "training", "adult"), stops) == ("joint", "training", "adult")
    assert _extend_right(texts, ("training", "for", "adult"), stops) == ("training", "for", "adult", "services")
    assert _extend_left(texts, ("patients", "about", "their", "kids"), stops) == (
        "ask", "my", "patients", "about", "their", "kids")
    assert _extend_right(["only once here"], ("only",), stops) == ("only",)  # one occurrence: kept
