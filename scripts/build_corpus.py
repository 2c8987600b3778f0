"""Merge the hand-written corpus parts into corpora/labelled/units.csv with a fixed split.

The split is a stable rule: a hash of the unit's normalised text (forumnlp.tag.model.
stable_split) puts 70% in train, 15% in dev and 15% in test. The test rows never change
between runs and are never used for choosing anything.

Usage: python scripts/build_corpus.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from forumnlp.codebook import load_codebook  # noqa: E402
from forumnlp.tag.model import stable_split  # noqa: E402

PARTS = ROOT / "corpora" / "labelled" / "parts"
OUT = ROOT / "corpora" / "labelled" / "units.csv"
COLUMNS = ["unit_id", "text", "frame", "themes", "setting", "context", "agency", "event", "session", "part", "split"]


def _table(counts: pd.Series, name: str) -> str:
    lines = [f"| {name} | units |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in counts.items()]
    return "\n".join(lines)


def write_stats(df: pd.DataFrame, cb: object) -> None:
    """Write corpora/labelled/STATS.md: label counts by split, setting and agency."""
    codes = pd.Series([c for v in df["themes"] for c in v.split(";") if c]).value_counts()
    codes = codes.reindex([c.id for c in cb.theme_codes]).fillna(0).astype(int)  # type: ignore[attr-defined]
    by_split = pd.crosstab(df["frame"], df["split"])
    parts = [
        "# Corpus statistics (written by scripts/build_corpus.py)",
        "",
        f"{len(df)} units; {int((df['themes'] == '').sum())} with no theme code.",
        "",
        "## Frames by split",
        "",
        "| frame | " + " | ".join(by_split.columns) + " |",
        "|---|" + "---|" * len(by_split.columns),
        *[f"| {f} | " + " | ".join(str(v) for v in row) + " |" for f, row in by_split.iterrows()],
        "",
        "## Theme codes (positive units)",
        "",
        _table(codes, "code"),
        "",
        "## Settings",
        "",
        _table(df["setting"].value_counts(), "setting"),
        "",
        "## Agencies",
        "",
        _table(df["agency"].value_counts(), "agency"),
        "",
    ]
    (OUT.parent / "STATS.md").write_text("\n".join(parts), encoding="utf-8")


def main() -> int:
    cb = load_codebook()
    frames = {c.id for c in cb.frame_codes}
    themes = {c.id for c in cb.theme_codes}
    frames_in = []
    for path in sorted(PARTS.glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df["part"] = path.stem
        frames_in.append(df)
    df = pd.concat(frames_in, ignore_index=True)
    df["text"] = df["text"].str.strip()
    df = df[df["text"] != ""]
    dup = df["text"].str.lower().duplicated(keep="first")
    if dup.any():
        print(f"dropping {int(dup.sum())} duplicate texts", file=sys.stderr)
        df = df[~dup]
    bad_frames = sorted(set(df["frame"]) - frames)
    if bad_frames:
        raise SystemExit(f"unknown frames: {bad_frames}")
    norm = []
    for v in df["themes"]:
        codes = sorted({c.strip() for c in v.split(";") if c.strip()}, key=cb.position)
        unknown = [c for c in codes if c not in themes]
        if unknown:
            raise SystemExit(f"unknown theme codes: {unknown}")
        norm.append(";".join(codes))
    df["themes"] = norm
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    df["split"] = [stable_split(t) for t in df["text"]]
    df = df.reset_index(drop=True)
    df["unit_id"] = [f"L{i + 1:05d}" for i in range(len(df))]
    df[COLUMNS].to_csv(OUT, index=False)
    write_stats(df, cb)
    print(f"{len(df)} units -> {OUT.relative_to(ROOT)}")
    print(df["split"].value_counts().to_string())
    print(df["frame"].value_counts().to_string())
    counts = pd.Series([c for v in df["themes"] for c in v.split(";") if c]).value_counts()
    print(counts.reindex([c.id for c in cb.theme_codes]).fillna(0).astype(int).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
