"""The report at scale: 10,000 synthetic evaluation-form comments (generated, not stored)."""

from __future__ import annotations

import csv
import random
import time
from pathlib import Path

import pytest

from forumnlp.cli import run

QUESTIONS = ("What went well?", "What could be improved?", "What will you do differently?",
             "Key messages for the committee", "Any other comments")
AGENCIES = ("social work", "health visiting", "school nursing", "GP", "midwifery",
            "adult mental health", "addictions", "education", "police", "third sector")
LOCALITIES = ("North", "South", "East", "West", "Central")
PRACTICE = (
    "We need {more} CP supervision for {who}",
    "Start a chronology as soon as there is a worry about {what}",
    "Stop discharging children who are not brought to {where}",
    "Keep the joint visits with {who}, they work",
    "Adult mental health staff should come to case conferences about {what}",
    "Information sharing with {who} is much better now",
    "More multi-agency training on {what}, open to the third sector",
    "Invite addictions workers to every core group where {what} is an issue",
    "Stop relying on social work to hold the whole plan for {what}",
    "Ask adult patients about their children, especially with {what}",
)
FEEDBACK = ("Really useful day, thank you", "The room was too hot", "Excellent speakers",
            "Too many slides, not enough discussion", "Lunch was late", "Very well organised",
            "Hard to hear at the back", "Good to meet colleagues from {who}")
FILL = {
    "more": ("more", "regular", "protected", "proper"),
    "who": ("health visitors", "school nurses", "the police", "GPs", "midwives", "schools"),
    "what": ("domestic abuse", "parental drinking", "mum's mental health", "neglect",
             "drug use at home", "the toxic trio"),
    "where": ("clinic", "the dentist", "outpatients", "speech therapy"),
}


def synthetic_forms(path: Path, n: int, seed: int = 7) -> Path:
    """Write ``n`` evaluation-form answers (long format, like the sample's CSV) to ``path``."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["response_id", "event", "session", "date", "locality", "agency", "question",
                    "answer"])
        for i in range(n):
            form = i // len(QUESTIONS)
            session = form % 20
            q = QUESTIONS[i % len(QUESTIONS)]
            pool = FEEDBACK if q in QUESTIONS[:2] and rng.random() < 0.6 else PRACTICE
            text = rng.choice(pool).format(**{k: rng.choice(v) for k, v in FILL.items()})
            if rng.random() < 0.1:
                text = ""
            w.writerow([f"R{form:05d}", "Synthetic forum", f"S{session + 1:02d}",
                        f"2026-{1 + session // 4:02d}-{1 + 7 * (session % 4):02d}",
                        LOCALITIES[session % 5], rng.choice(AGENCIES), q, text])
    return path


@pytest.mark.slow
@pytest.mark.parametrize("ext", ["html", "docx", "xlsx"])
def test_report_of_10000_comments(tmp_path: Path, ext: str) -> None:
    forms = synthetic_forms(tmp_path / "forms.csv", 10_000)
    out = tmp_path / f"report.{ext}"
    t0 = time.perf_counter()
    assert run(["report", str(forms), "-o", str(out), "--text-column", "answer",
                "--by", "session", "--by", "agency"]) == 0
    seconds = time.perf_counter() - t0
    assert out.stat().st_size > 10_000
    assert seconds < 600, f"{ext}: {seconds:.0f} s"
