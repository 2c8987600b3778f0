"""Realistic synthetic practitioner comments for benchmarks and scale tests.

Comments are built from phrase banks that combine: a frame (keep / stop / start / good
practice / event feedback), a practice topic of the default codebook, optional qualifiers
(an agency, a locality, a parental risk factor, a reason), and the surface variation real
forum write-ups show (lower-case openings, missing full stops, capitals, abbreviations,
bullet lists, "1) ... 2) ..." inline lists). A few comments carry personal details (names,
phones, e-mails, addresses, ages) so that redaction has work to do. Each row has the
attributes ``session``, ``agency`` and ``locality`` (and optionally a forum ``question``).

Everything is seeded: the same ``(n, seed)`` gives the same table, byte for byte, in any
process. Lengths follow what practitioners write on flip charts and forms: about 5 to 40
words, median about 14; about 45% of comments have more than one sentence, about 7% are
lists and about 3% carry personal details.

Usage::

    python benchmarks/synth.py 10000 -o comments.csv [--seed 0] [--question]
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

COLUMNS = ("id", "session", "agency", "locality", "comment")

EVENTS = ("Falkirk forum", "Stirling forum", "Clackmannanshire forum", "Practitioner day")
TIMES = ("morning", "afternoon")
AGENCIES = ("Social work", "Police", "Health", "Education", "Third sector", "Housing",
            "Adult services", "Children's reporter", "Early years")
LOCALITIES = ("Falkirk", "Stirling", "Alloa", "Grangemouth", "Denny", "Bo'ness",
              "Dunblane", "Tillicoultry")
QUESTIONS = {
    "keep": "What should we keep doing?",
    "stop": "What should we stop doing?",
    "start": "What should we start doing?",
    "good_practice": "What are we doing well now?",
    "none": "Any other comments",
}

# practice topic -> (noun phrases, "good" gerund phrases, "bad" gerund phrases)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "multiagency": (
        ("multi-agency meetings", "joint visits", "team around the child meetings",
         "core group meetings", "case conferences", "the MAG meetings",
         "informal contact with colleagues in other agencies"),
        ("having informal chats with colleagues", "doing joint visits with health",
         "holding core groups on time", "meeting face to face with other agencies",
         "inviting the school to case conferences"),
        ("relying on social work to do everything", "holding meetings without the right people",
         "cancelling core groups at short notice", "working in silos"),
    ),
    "information_sharing": (
        ("information sharing between agencies", "police concern reports",
         "early sharing of information", "the information sharing protocol"),
        ("sharing information early", "phoning the health visitor when there is a worry",
         "passing on police concern reports quickly"),
        ("waiting for consent before sharing a concern", "sitting on information",
         "sending reports that arrive weeks late"),
    ),
    "training": (
        ("multi-agency training", "joint training days", "protected time for training",
         "refresher training on thresholds", "learning events like this one"),
        ("attending joint training", "going to multi-agency learning events",
         "training new staff together"),
        ("cancelling training when teams are busy", "doing training only online"),
    ),
    "chronologies": (
        ("chronologies", "single-agency chronologies", "good record keeping",
         "the integrated chronology"),
        ("updating chronologies after every event", "analysing the chronology together",
         "recording significant events"),
        ("copying chronologies without analysis", "keeping separate chronologies that never meet"),
    ),
    "assessment": (
        ("analytical assessments", "the resilience matrix", "risk assessment tools",
         "assessment of attachment", "the national risk framework"),
        ("using the resilience matrix", "being more analytical in assessments",
         "looking at attachment and resilience"),
        ("writing descriptive rather than analytical assessments",
         "repeating assessments that are already done"),
    ),
    "supervision": (
        ("child protection supervision", "reflective supervision", "peer support",
         "support for staff after difficult cases"),
        ("taking cases to supervision", "having regular reflective supervision",
         "supporting each other after home visits"),
        ("skipping supervision when caseloads are high",),
    ),
    "paperwork": (
        ("paperwork", "the IAF forms", "duplicate recording", "the new referral form"),
        ("keeping forms short",),
        ("duplicating paperwork", "filling in the same form three times",
         "spending more time on forms than with families"),
    ),
    "adult_services": (
        ("adult mental health services", "addiction services", "criminal justice social work",
         "adult services at child protection meetings"),
        ("involving adult services early", "inviting addiction workers to core groups"),
        ("leaving adult services out of child protection work",
         "treating the parent's recovery as the only plan"),
    ),
    "early_intervention": (
        ("early intervention", "the named person role", "GIRFEC", "a shared language across services",
         "family support at an early stage"),
        ("offering help early", "using the wellbeing indicators",
         "working with families before things reach crisis"),
        ("waiting for a crisis before acting", "closing cases too early"),
    ),
    "service_access": (
        ("waiting lists", "access to CAMHS", "drop-in clinics", "outreach appointments"),
        ("following up children not brought to appointments", "offering home appointments"),
        ("closing cases when families miss appointments", "discharging children for non-attendance",
         "sending letters that families never read"),
    ),
    "child_voice": (
        ("the child's views", "direct work with children", "seeing the child on their own"),
        ("seeing the child on their own", "recording what the child says",
         "asking children what they think"),
        ("writing reports without ever meeting the child", "focusing on the parents' needs"),
    ),
    "challenge": (
        ("professional curiosity", "challenge between agencies", "respectful challenge"),
        ("challenging parents when things don't add up", "asking the difficult questions",
         "checking what parents tell us"),
        ("accepting parents' explanations at face value", "being over-optimistic about change"),
    ),
}
RISKS = ("parental substance misuse", "domestic abuse", "parents with mental health problems",
         "long-term neglect", "several risk factors together", "alcohol misuse",
         "coercive control", "chronic neglect")
REASONS = ("so nothing gets missed", "because it builds trust", "as it saves time",
           "so the child stays at the centre", "because families notice the difference",
           "which makes a real difference", "otherwise risk escalates")
# (singular, plural) predicates
GOOD_PREDICATES = (("works really well", "work really well"),
                   ("is much better now", "are much better now"),
                   ("has improved a lot", "have improved a lot"),
                   ("is now the norm", "are now the norm"),
                   ("is working well", "are working well"),
                   ("has made a real difference", "have made a real difference"),
                   ("is valued by everyone", "are valued by everyone"))
ADJECTIVES = ("analytical", "curious", "child-centred", "joined up", "consistent", "confident")
GROUPS = ("teenagers", "babies", "young carers", "children on the register",
          "looked after children", "kinship carers", "families new to the area", "fathers",
          "disabled children", "the under-fives", "children in temporary accommodation")
SITUATIONS = ("caseloads are high", "a family moves area", "risk is escalating",
              "a child is not brought to clinic", "parents disengage", "a case is transferred",
              "there is a new partner in the house", "the school raises a concern",
              "a referral comes in late on a Friday", "the family speaks little English")
LEADS = ("We felt that ", "Our table agreed: ", "I think ", "For us, ", "In our area, ",
         "From a health perspective, ", "Really important - ", "Group 3: ", "Key point: ",
         "Agreed by all: ", "Practitioners said ", "Honestly, ", "As a team ")
ENDS = (" across the area", " for all agencies", " please", " in every case", " as a priority",
        " (agreed by the whole table)", " - this came up a lot", " at the weekly huddle",
        " from day one", " every time", " (see the review)", " in practice")
FEEDBACK = (
    "Very informative session", "Really useful day", "The room was too cold",
    "Lunch was good", "Good speakers", "The venue was hard to find",
    "Thanks to the organisers", "Too much to fit into one afternoon",
    "Would like the slides sent out", "Great to meet colleagues from other areas",
    "The case study was very powerful", "Not enough time for discussion",
    "More breaks please", "Excellent presentation on the review findings",
)
INTENSIFIERS = ("Very ", "Really ", "Extremely ", "Quite ", "", "So ")
FEEDBACK_ADJ = ("informative", "useful", "helpful", "interesting", "thought-provoking",
                "well organised", "relevant", "worthwhile", "practical", "engaging")
FEEDBACK_THINGS = ("session", "day", "presentation", "workshop", "discussion", "case study",
                   "input from the speakers", "event", "table discussion", "morning")
FIRST_NAMES = ("Jane", "Ahmed", "Lorna", "David", "Mhairi", "Tom", "Priya", "Callum", "Fiona")
SURNAMES = ("Smith", "Khan", "Kerr", "MacDonald", "Patel", "Brown", "Campbell", "Wilson")
STREETS = ("High Street", "Main Street", "Church Road", "Station Road", "Kerse Lane")
POSTCODES = ("FK1 1AA", "FK8 2QT", "FK10 1EX", "FK2 9BB", "FK7 7LT")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _plural(noun: str) -> bool:
    head = noun.split(" with ")[0].split(" like ")[0].split(" at ")[0].split(" after ")[0]
    last = head.split()[-1]
    return last.endswith("s") and not last.endswith(("ss", "is", "us", "IAF"))


class CommentMaker:
    """Draw comments from the phrase banks with one seeded random generator.

    Parameters
    ----------
    seed : int
        Seed of the generator; the same seed gives the same sequence of comments.
    """

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.topics = list(TOPICS)

    def _topic(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return TOPICS[self.rng.choice(self.topics)]

    def _qualifier(self) -> str:
        r = self.rng.random()
        c = self.rng.choice
        if r < 0.15:
            return ""
        if r < 0.45:
            q = f" with {c(AGENCIES).lower()}"
        elif r < 0.52:
            q = f" in {c(LOCALITIES)}"
        elif r < 0.64:
            q = f" where there is {c(RISKS)}"
        elif r < 0.74:
            q = f" especially for {c(GROUPS)}"
        elif r < 0.86:
            q = f" when {c(SITUATIONS)}"
        else:
            q = f" {c(REASONS)}"
        if self.rng.random() < 0.4:
            q += c((f" in {c(LOCALITIES)}", f" with {c(AGENCIES).lower()}",
                    f" especially for {c(GROUPS)}", f" {c(REASONS)}"))
        return q

    def sentence(self, frame: str) -> str:
        """One sentence (or flip-chart phrase) in ``frame``."""
        c = self.rng.choice
        nouns, good, bad = self._topic()
        q = self._qualifier()
        if frame == "keep":
            t = c(("Keep {g}{q}", "Continue {g}{q}", "Keep {n}{q}", "{N}{q}",
                   "Carry on with {n}{q}", "{N} should continue{q}", "Keep doing {n}"))
        elif frame == "stop":
            t = c(("Stop {b}{q}", "{B}{q}", "We should stop {b}", "No more {b}{q}",
                   "{B} has to end", "Less {b}"))
        elif frame == "start":
            t = c(("We need more {n}{q}", "There should be {n}{q}", "Start {g}{q}",
                   "Be more {a} in assessments", "I will start {g}", "More {n}{q}",
                   "Need to get better at {g}", "Would like {n} in every area",
                   "We must make time for {n}{q}", "Everyone should be {g}{q}"))
        elif frame == "good_practice":
            t = c(("{N} {p}{q}", "{N} {p}", "Information was shared promptly{q}",
                   "Staff are {g} now", "{A} {p} in our area"))
        else:
            if self.rng.random() < 0.5:
                text = c(FEEDBACK)
            else:
                text = f"{c(INTENSIFIERS)}{c(FEEDBACK_ADJ)} {c(FEEDBACK_THINGS)}"
            return text + (c(ENDS) if self.rng.random() < 0.3 else "")
        noun = c(nouns) if "{N}" in t else c(AGENCIES)
        pred = c(GOOD_PREDICATES)[1 if _plural(noun) and "{N}" in t else 0]
        text = t.format(
            g=c(good), b=c(bad), B=_cap(c(bad)), n=c(nouns), N=_cap(noun), q=q,
            a=c(ADJECTIVES), p=pred, A=noun,
        )
        if self.rng.random() < 0.3:
            text += c(ENDS)
        if self.rng.random() < 0.2:
            lead = c(LEADS)
            keep_case = text.split(" ", 1)[0].isupper() or text.startswith(("I ", "GIRFEC", "CAMHS"))
            text = lead + (text if keep_case else text[:1].lower() + text[1:])
        return text

    def personal(self) -> str:
        """A sentence with personal details (for the redactor)."""
        c = self.rng.choice
        rng = self.rng
        name = f"{c(FIRST_NAMES)} {c(SURNAMES)}"
        phone = f"07700 900{rng.randint(100, 999)}"
        return c((
            f"I discussed this with {name} on {phone}",
            f"Contact {name} ({name.split()[0].lower()}.{name.split()[1].lower()}@example.org) for the slides",
            f"The family at {rng.randint(1, 99)} {c(STREETS)}, {c(LOCALITIES)} {c(POSTCODES)} waited months",
            f"Mrs {c(SURNAMES)} said her son, aged {rng.randint(2, 15)}, was never seen",
            f"Dr {c(SURNAMES)} from the GP practice shared it straight away",
            f"{name} was brilliant at the core group",
        ))

    def _finish(self, s: str) -> str:
        r = self.rng.random()
        if r < 0.78:
            return s + "."
        if r < 0.85:
            return s + "!"
        return s

    def _style(self, s: str) -> str:
        r = self.rng.random()
        if r < 0.10:
            return s[:1].lower() + s[1:]
        if r < 0.12:
            return s.upper()
        return s

    def comment(self) -> tuple[str, str]:
        """One comment and its main frame."""
        rng = self.rng
        frame = rng.choices(("keep", "stop", "start", "good_practice", "none"),
                            weights=(20, 15, 35, 15, 15))[0]
        r = rng.random()
        if r < 0.07:  # a list
            items = [self.sentence(frame) for _ in range(rng.randint(2, 4))]
            if rng.random() < 0.6:
                text = "\n".join(f"{rng.choice(('-', '*', '•'))} {i}" for i in items)
            else:
                text = " ".join(f"{k}) {i}" for k, i in enumerate(items, 1))
            return text, frame
        n = 1 if r < 0.52 else (2 if r < 0.85 else 3)
        parts = [self.sentence(frame)]
        while len(parts) < n:
            other = frame if rng.random() < 0.6 else rng.choice(("keep", "stop", "start",
                                                                   "good_practice", "none"))
            s = self.sentence(other)
            if s not in parts:
                parts.append(s)
        if rng.random() < 0.03:
            parts.insert(rng.randint(0, len(parts)), self.personal())
        text = " ".join(self._finish(self._style(p)) if k < len(parts) - 1 else
                        self._style(p) + rng.choice((".", ".", "", "!"))
                        for k, p in enumerate(parts))
        return text, frame

    def row(self, i: int, question: bool = False) -> dict[str, str]:
        """Row ``i`` (0-based) of the table."""
        rng = self.rng
        text, frame = self.comment()
        row = {
            "id": f"C{i + 1:07d}",
            "session": f"{rng.choice(EVENTS)} {rng.choice(TIMES)}",
            "agency": rng.choice(AGENCIES),
            "locality": rng.choice(LOCALITIES),
        }
        if question:
            row["question"] = QUESTIONS[frame] if rng.random() < 0.85 else rng.choice(
                list(QUESTIONS.values()))
        row["comment"] = text
        return row


def iter_comments(n: int, seed: int = 0, *, question: bool = False,
                  chunksize: int = 50_000) -> Iterator[pd.DataFrame]:
    """Yield the ``n`` synthetic comments as DataFrames of at most ``chunksize`` rows.

    Parameters
    ----------
    n : int
        Number of comments.
    seed : int
        Random seed; the chunking does not change the rows.
    question : bool
        Add a forum ``question`` column (mostly the question the comment answers).
    chunksize : int
        Rows per chunk.

    Yields
    ------
    pandas.DataFrame
        Columns ``id``, ``session``, ``agency``, ``locality``, [``question``,] ``comment``.
    """
    maker = CommentMaker(seed)
    for begin in range(0, n, chunksize):
        rows = [maker.row(i, question) for i in range(begin, min(n, begin + chunksize))]
        yield pd.DataFrame(rows, dtype=object)


def make_comments(n: int, seed: int = 0, *, question: bool = False) -> pd.DataFrame:
    """Return ``n`` synthetic comments as one DataFrame (see :func:`iter_comments`)."""
    frames = list(iter_comments(n, seed, question=question))
    if not frames:
        cols = list(COLUMNS) if not question else [*COLUMNS[:-1], "question", "comment"]
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    return pd.concat(frames, ignore_index=True)


def write_comments(path: str | Path, n: int, seed: int = 0, *, question: bool = False) -> Path:
    """Write ``n`` synthetic comments to a UTF-8 CSV in bounded memory; return the path."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer: csv.DictWriter[str] | None = None
        for chunk in iter_comments(n, seed, question=question):
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(chunk.columns))
                writer.writeheader()
            writer.writerows(chunk.to_dict("records"))
        if writer is None:
            fh.write(",".join(COLUMNS) + "\n")
    return path


def main() -> None:
    """Command line: write N comments to a CSV."""
    ap = argparse.ArgumentParser(description="Write realistic synthetic forum comments to a CSV.")
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--question", action="store_true", help="add a forum question column")
    args = ap.parse_args()
    write_comments(args.output, args.n, args.seed, question=args.question)


if __name__ == "__main__":
    main()
