"""The report's content, built once and written by each format's writer.

A report is a list of :class:`Section` objects, each a list of blocks: :class:`Paragraph`,
:class:`Heading`, :class:`Table` and :class:`Chart`. The HTML, Word and Excel writers walk
the same list, so the three formats carry the same content.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from forumnlp.report import summary as sm
from forumnlp.report.blocks import (
    Chart,
    Heading,
    Paragraph,
    ReportContent,
    Section,
    Table,
)
from forumnlp.report.sentiment import tone

FRAME_SHEETS: dict[str, str] = {"keep": "Keep", "stop": "Stop", "start": "Start",
                                "good_practice": "Good practice"}
LIMITS = (
    "Frames and themes are assigned automatically, by {how}, and some will be wrong: check "
    "a unit's evidence (Units sheet of the Excel "
    "report) before quoting a count. Counts are of comment units, not of people: one person "
    "can make the same point several times, and a group's flip-chart item counts once however "
    "many agreed with it. Key messages group similar wording; a point made in very different "
    "words can be split, and short unrelated comments can be grouped. VADER sentiment was "
    "built for everyday English and reads words such as 'abuse' or 'neglect' as negative even "
    "in a positive comment, so the tone figures are indicative only. Redaction finds most "
    "names, phone numbers and addresses but not all of them: read the quotes before the "
    "report is shared."
)


def generated_date(options: Mapping[str, Any] | None = None) -> dt.date:
    """The "generated on" date: ``options["generated"]``, else ``SOURCE_DATE_EPOCH``, else today."""
    value = (options or {}).get("generated")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value:
        return dt.date.fromisoformat(str(value)[:10])
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def _code_labels(codebook: Any) -> dict[str, str]:
    if codebook is None:
        return dict(sm.FRAME_LABELS)
    return {c.id: str(c.label) for c in codebook.codes}


def _theme_codes(codebook: Any, tagged: pd.DataFrame) -> list[str]:
    if codebook is not None:
        return [c.id for c in codebook.theme_codes]
    seen: set[str] = set()
    for s in sm.code_sets(tagged):
        seen |= s
    return sorted(seen)


def _title(tagged: pd.DataFrame, title: str | None) -> str:
    if title:
        return str(title)
    if "event" in tagged.columns:
        vals = sorted({str(v).strip() for v in tagged["event"].dropna() if str(v).strip()})
        if len(vals) == 1:
            return vals[0]
    return "Practitioner forum report"


def _summary(tagged: pd.DataFrame, by: Sequence[str], labels: dict[str, str]) -> Section:
    over = sm.overview(tagged, by)
    values = dict(zip(over["item"], over["value"], strict=True))
    parts = [f"{values['comments (records with text)']} comments "
             f"({values['units (comments split into points)']} points once split into units)"]
    counts = [f"{values[sm.plural(c)]} {sm.plural(c)}" for c in dict.fromkeys([*sm.DEFAULT_BY, *by])
              if sm.plural(c) in values]
    if counts:
        parts.append("from " + ", ".join(counts))
    period = sm.date_range(tagged[sm.content_mask(tagged)])
    if period and period[0] != period[1]:
        parts.append(f"between {period[0]} and {period[1]}")
    elif period:
        parts.append(f"on {period[0]}")
    sentence = "This report covers " + " ".join(parts) + "."
    frames = sm.frame_counts(tagged, labels)
    sec = Section("summary", "Summary", [Paragraph(sentence),
                                         Table("The comments in figures", over, "Summary"),
                                         Table("Units by frame", frames, "Summary")])
    series = frames.set_index("label")["units"]
    sec.blocks.append(_bar("frames", "Units by frame", series, "units"))
    return sec


def _bar(key: str, title: str, series: pd.Series, xlabel: str) -> Chart:
    from forumnlp.report.charts import bar_chart, series_desc

    data = series.copy()
    return Chart(key, title, f"Bar chart. {series_desc(data)}",
                 lambda: bar_chart(data, title=title, xlabel=xlabel))


def _participation(tagged: pd.DataFrame, by: Sequence[str]) -> Section:
    sec = Section("participation", "Participation", sheet="Participation")
    if not by:
        sec.blocks.append(Paragraph("The comments carry no session, agency or locality."))
        return sec
    sec.blocks.append(Paragraph(
        "Comments are the answers or write-up items as read; units are the separate points "
        "they were split into."))
    for col in by:
        table = sm.participation(tagged, col)
        title = f"Comments by {col.replace('_', ' ')}"
        sec.blocks.append(Heading(title))
        sec.blocks.append(_bar(f"participation-{col}", title,
                               table.set_index("value")["comments"], "comments"))
        sec.blocks.append(Table(title, table.rename(columns={"value": col}), "Participation"))
    return sec


def _messages(km: Any, labels: dict[str, str], options: Mapping[str, Any]) -> Section:
    sec = Section("messages", "Key messages", sheet="Key messages")
    if km is None:
        sec.blocks.append(Paragraph("Key messages were not computed for this report."))
        return sec
    table = sm.key_message_table(km.messages, code_labels=labels,
                                 quotes=int(options.get("quotes", 3)),
                                 limit=options.get("max_messages"))
    if table.empty:
        sec.blocks.append(Paragraph("No point was raised often enough to form a key message."))
        return sec
    sec.blocks.append(Paragraph(
        f"{len(km.messages)} points came up again and again, ranked by how widely they were "
        "raised. Each row gives the message in a sentence, where it was raised (spread: values "
        "raised in / values in the input), its frame and themes, and practitioners' own words."))
    sec.blocks.append(Table("Key messages, most widely raised first", table, "Key messages"))
    return sec


def _frames(tagged: pd.DataFrame, km: Any, by: Sequence[str], labels: dict[str, str],
            options: Mapping[str, Any]) -> Section:
    sec = Section("frames", "Keep, stop, start and good practice", sheet="Keep")
    spread_by = [c for c in by if c in tagged.columns][:2]
    how = ("the key messages whose comments are mostly of that frame" if km is not None else
           "the comments of that frame, identical wordings counted together")
    sec.blocks.append(Paragraph(f"For each question of the forum grid, {how}, with how often "
                                "each was raised."))
    limit = int(options.get("max_items", 25))
    for frame, sheet in FRAME_SHEETS.items():
        table = sm.frame_items(tagged, frame, by=spread_by,
                               messages=None if km is None else km.messages,
                               message_units=None if km is None else km.units, limit=limit)
        if km is None:
            table = table.drop(columns=["example"])
        title = labels.get(frame, sm.FRAME_LABELS[frame])
        sec.blocks.append(Heading(title))
        if table.empty:
            sec.blocks.append(Paragraph(f"No item under {title.lower()}."))
        note = ""
        if km is not None:
            rest = _outside_messages(km.units, frame)
            if rest:
                note = (f"{rest} other {title.lower()} comment{'s' if rest != 1 else ''} "
                        f"{'were' if rest != 1 else 'was'} not part of a key message (raised "
                        "too rarely or in wording of its own); see the Units sheet of the "
                        "Excel report.")
        sec.blocks.append(Table(f"{title}: items raised, most often first", table, sheet,
                                note=note))
    return sec


def _outside_messages(units: pd.DataFrame, frame: str) -> int:
    """Units with text of ``frame`` that are in no key message."""
    if "message_id" not in units.columns:
        return 0
    mask = sm.content_mask(units) & sm.frames_of(units).eq(frame)
    return int(units.loc[mask, "message_id"].fillna("").astype(str).str.strip().eq("").sum())


def _themes(tagged: pd.DataFrame, by: Sequence[str], codebook: Any,
            labels: dict[str, str]) -> Section:
    sec = Section("themes", "Risk themes and practice topics", sheet="Risk co-occurrence")
    codes = _theme_codes(codebook, tagged)
    cols = [c for c in by if c in tagged.columns]
    if not codes:
        sec.blocks.append(Paragraph("No theme code was assigned."))
    for col in cols:
        matrix = sm.theme_matrix(tagged, col, codes, labels)
        title = f"Themes by {col.replace('_', ' ')}"
        sec.blocks.append(Heading(title))
        cells = matrix.drop(columns=["code"])
        sec.blocks.append(Chart(f"themes-{col}", title,
                                f"Heatmap of units per theme (rows) and {col} (columns); the "
                                "same counts are in the table below.",
                                lambda c=cells, t=title, x=col: _heatmap(c, t, x)))
        sec.blocks.append(Table(title, matrix, _sheet_name(title), index=True))
    trio = [c for c in sm.TRIO if codebook is None or c in codebook]
    sec.blocks.append(Heading("Parental risk factors together"))
    if len(trio) < 3:
        sec.blocks.append(Paragraph("The codebook has no parental risk factor codes."))
        return sec
    square, counts = sm.risk_cooccurrence(tagged, labels)
    sec.blocks.append(Paragraph(
        "Parental substance misuse, domestic abuse and mental health problems recur together in "
        "case reviews. The table counts units that raise both the row's and the column's factor "
        "(the diagonal: units raising that factor)."))
    sec.blocks.append(Table("Units raising two risk factors", square, "Risk co-occurrence",
                            index=True))
    sec.blocks.append(Table("Risk factors raised together", counts, "Risk co-occurrence"))
    return sec


def _heatmap(cells: pd.DataFrame, title: str, col: str) -> Any:
    from forumnlp.report.charts import heatmap

    return heatmap(cells, title=title, xlabel=col.replace("_", " "))


def _sheet_name(title: str) -> str:
    bad = '[]:*?/\\'
    name = "".join("_" if ch in bad else ch for ch in title)
    return name[:31]


def _tone(tagged: pd.DataFrame, by: Sequence[str]) -> Section:
    sec = Section("tone", "Tone of the evaluation comments", sheet="Tone")
    group = "session" if "session" in tagged.columns else next(
        (c for c in by if c in tagged.columns), None)
    table = tone(tagged, group)
    if table.empty:
        sec.blocks.append(Paragraph("There are no evaluation comments to score."))
        return sec
    sec.blocks.append(Paragraph(
        "Evaluation comments are the answers to questions about the event (what went well, what "
        "could be improved, other comments) and any comment about the event rather than "
        "practice. Each is scored with VADER (compound score from -1, most negative, to +1, "
        "most positive; positive from 0.05, negative from -0.05)."))
    shown = table.rename(columns={"group": group or "group", "mean_compound": "mean score",
                                  "positive": "share positive", "negative": "share negative",
                                  "neutral": "share neutral"})
    sec.blocks.append(Table("Tone of the evaluation comments", shown, "Tone"))
    if group is not None and len(table) > 2:
        series = table[table["group"] != "all"].set_index("group")["mean_compound"]
        sec.blocks.append(_bar("tone", f"Mean tone by {group}", series,
                               "mean VADER compound score"))
    return sec


def _methods(tagged: pd.DataFrame, km: Any, by: Sequence[str], codebook: Any,
             model_card: Mapping[str, Any] | None, redacted: bool,
             options: Mapping[str, Any]) -> Section:
    from forumnlp import __version__

    rows: list[tuple[str, str]] = [("software", f"forumnlp {__version__}")]
    if codebook is not None:
        rows.append(("codebook", f"{codebook.name} {codebook.version}"))
    if model_card:
        rows.append(("model", f"{model_card.get('name', 'model')} "
                              f"(fingerprint {model_card.get('fingerprint', 'unknown')})"))
        metrics = model_card.get("test_metrics") or {}
        names = {"frame_accuracy": "frame accuracy", "frame_macro_f1": "frame macro-F1",
                 "frame_kappa": "frame Cohen's kappa", "theme_micro_f1": "theme micro-F1",
                 "theme_macro_f1": "theme macro-F1", "theme_alpha": "theme Krippendorff's alpha"}
        for key, name in names.items():
            if key in metrics:
                rows.append((f"model {name} (test split)", f"{float(metrics[key]):.3f}"))
        if "n" in metrics:
            rows.append(("model test split size", str(metrics["n"])))
    else:
        rows.append(("model", "none recorded"))
    rows.append(("redaction of personal details", "on" if redacted else "off"))
    rows.append(("spread measured over", ", ".join(by) or "(nothing)"))
    if km is not None:
        cfg = getattr(km, "config", {}) or {}
        rows.append(("key messages", f"{cfg.get('backend', '?')} embeddings, "
                                     f"{cfg.get('method', '?')}, at least "
                                     f"{cfg.get('min_size', '?')} units each"))
    for key in sorted(options):
        if key != "generated":
            value = options[key]
            shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
            rows.append((f"option {key}", shown))
    sec = Section("methods", "Methods and limits", sheet="Methods")
    sec.blocks.append(Table("How this report was made", pd.DataFrame(rows, columns=["item", "value"]),
                            "Methods"))
    sec.blocks.append(Paragraph(
        "Frames were decided by the heading a comment sat under (structure), by the codebook's "
        "rules, or by the trained model, in that order of precedence:"))
    sec.blocks.append(Table("How frames were decided", sm.frame_source_counts(tagged), "Methods"))
    sec.blocks.append(Heading("Known limits"))
    how = ("the codebook's rules and a trained classifier" if model_card else
           "the codebook's rules (no trained model was used)")
    sec.blocks.append(Paragraph(LIMITS.format(how=how)))
    return sec


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy without ``attrs``: pandas deep-copies ``attrs`` (e.g. the redaction
    log) on every operation, which made the report's many small group-bys slow."""
    out = df.copy(deep=False)
    out.attrs = {}
    return out


@dataclass
class _WithUnits:
    """Key messages with their units table swapped for an attrs-free copy."""

    inner: Any
    units: pd.DataFrame

    @property
    def messages(self) -> pd.DataFrame:
        return _plain(self.inner.messages)

    @property
    def config(self) -> dict[str, Any]:
        return getattr(self.inner, "config", {}) or {}


def build_content(tagged: pd.DataFrame, *, messages: Any = None, by: Sequence[str] = (),
                  title: str | None = None, codebook: Any = None,
                  model_card: Mapping[str, Any] | None = None, redacted: bool = True,
                  options: Mapping[str, Any] | None = None) -> ReportContent:
    """Assemble the report's sections from tagged units and (optionally) key messages.

    Parameters are those of :func:`forumnlp.report.report`.

    Returns
    -------
    ReportContent
    """
    opts = dict(options or {})
    labels = _code_labels(codebook)
    tagged = _plain(tagged)
    units = messages.units if messages is not None and len(messages.units) == len(tagged) else tagged
    units = _plain(units)
    if messages is not None:
        messages = _WithUnits(messages, units)
    sections = [
        _summary(tagged, by, labels),
        _participation(tagged, by),
        _messages(messages, labels, opts),
        _frames(tagged, messages, by, labels, opts),
        _themes(tagged, by, codebook, labels),
        _tone(tagged, by),
        _methods(tagged, messages, by, codebook, model_card, redacted, opts),
    ]
    first = sections[0].blocks[0]
    line = first.text if isinstance(first, Paragraph) else ""
    return ReportContent(title=_title(tagged, title), generated=generated_date(opts),
                         sections=sections, units=units, summary_line=line)

