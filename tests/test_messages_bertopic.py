"""The opt-in BERTopic path: guided fit, offline, and a safetensors save (slow: imports + numba)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forumnlp.messages import KeyMessages, key_messages

PLANTED = Path(__file__).parent / "data" / "planted"


@pytest.mark.slow
def test_bertopic_path_guided_and_saved(tmp_path: Path) -> None:
    from forumnlp.codebook import default_codebook_path

    units = pd.read_csv(PLANTED / "planted.csv", dtype=str, keep_default_na=False)
    km = key_messages(units, by=["session"], embedding="static", method="bertopic",
                      codebook=default_codebook_path())
    assert km.config["method"] == "bertopic" and km.topic_model is not None
    assert len(km.messages) >= 5
    practice = km.units[km.units.frame.ne("none") & km.units.text.ne("")]
    assert practice["message_id"].eq("").mean() < 0.10
    folder = km.save(tmp_path / "km")
    saved = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert "bertopic/topics.json" in saved and "bertopic/ctfidf.safetensors" in saved
    assert not [f for f in saved if f.endswith((".pkl", ".pickle", ".joblib", ".bin"))]
    again = KeyMessages.load(folder)
    assert again.messages["message_id"].tolist() == km.messages["message_id"].tolist()
