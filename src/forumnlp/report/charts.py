"""Charts with matplotlib (Agg backend): bar charts and heatmaps as inline SVG or PNG.

SVG output is made safe to inline in an HTML page: text stays text (``svg.fonttype``
none; matplotlib XML-escapes it), mathtext is off (a ``$`` in an agency name is just a
dollar sign), ids are seeded (``svg.hashsalt``) so the same chart gives the same bytes, no
date or creator metadata, and every chart gets a ``<title>`` and ``<desc>`` for screen
readers. :func:`check_svg` refuses scripts, event handlers and external references.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "forumnlp-report",
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BAR_COLOUR = "#2b6a99"
MAX_BARS = 25
PNG_DPI = 150
_SVG_START = re.compile(r"<svg\b")


@contextmanager
def chart_style() -> Iterator[Any]:
    """Context for making and saving charts: Agg backend and the report's rc settings.

    Yields
    ------
    module
        ``matplotlib.pyplot``.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(_RC):
        yield plt


def _short(label: object, width: int = 38) -> str:
    text = " ".join(str(label).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def bar_chart(values: pd.Series, *, title: str, xlabel: str = "") -> Any:
    """A horizontal bar chart of ``values`` (index = labels), first value at the top.

    Parameters
    ----------
    values : pandas.Series
        Counts indexed by label; at most :data:`MAX_BARS` are drawn.
    title, xlabel : str
        Chart title and axis label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = values.head(MAX_BARS)
    with chart_style() as plt:
        labels = [_short(v) for v in data.index]
        height = 1.1 + 0.28 * max(len(data), 1)
        width = 7.0
        fig, ax = plt.subplots(figsize=(width, height))
        _margins(fig, width, height, left=_text_inches(labels), bottom=0.45, top=0.3)
        pos = list(range(len(data)))[::-1]
        ax.barh(pos, data.to_numpy(), color=BAR_COLOUR)
        ax.set_yticks(pos, labels)
        for p, v in zip(pos, data.to_numpy(), strict=True):
            neg = float(v) < 0
            ax.text(float(v), p, f"{_fmt(v)} " if neg else f" {_fmt(v)}", va="center",
                    ha="right" if neg else "left", fontsize=8)
        if (data.to_numpy() < 0).any():
            ax.axvline(0, color="#555555", linewidth=0.8)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_xlabel(xlabel)
        ax.margins(x=0.12)
        return fig


def _text_inches(labels: Sequence[str], size: float = 9.0) -> float:
    """Rough width of the longest label in inches (a fixed layout: no extra layout pass)."""
    longest = max((len(str(t)) for t in labels), default=1)
    return 0.15 + longest * size * 0.62 / 72


def _margins(fig: Any, width: float, height: float, *, left: float, bottom: float,
             top: float, right: float = 0.35) -> None:
    fig.subplots_adjust(left=min(left / width, 0.6), right=1 - right / width,
                        bottom=min(bottom / height, 0.6), top=1 - top / height)


def _fmt(v: object) -> str:
    if isinstance(v, float) and not float(v).is_integer():
        return f"{v:.2f}"
    return str(int(v)) if isinstance(v, int | float) else str(v)


def heatmap(table: pd.DataFrame, *, title: str, xlabel: str = "") -> Any:
    """A heatmap of counts (rows = index, columns = columns), each cell annotated.

    Parameters
    ----------
    table : pandas.DataFrame
        Numeric cells only.
    title, xlabel : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = table.astype(float)
    with chart_style() as plt:
        nrow, ncol = data.shape
        xlabels = [_short(c, 22) for c in data.columns]
        ylabels = [_short(i, 40) for i in data.index]
        left = _text_inches(ylabels)
        bottom = 0.75 * _text_inches(xlabels) + 0.35
        width = left + 0.3 + max(2.0, 0.5 * ncol)
        height = bottom + 0.35 + 0.26 * max(nrow, 1)
        fig, ax = plt.subplots(figsize=(width, height))
        _margins(fig, width, height, left=left, bottom=bottom, top=0.3)
        top = float(data.to_numpy().max()) if data.size else 0.0
        # pcolormesh draws vector cells (imshow would embed a bitmap in the SVG)
        ax.pcolormesh(data.to_numpy() if data.size else [[0.0]], cmap="Blues", vmin=0,
                      vmax=max(top, 1.0), edgecolors="white", linewidth=0.5)
        ax.set_xlim(0, max(ncol, 1))
        ax.set_ylim(max(nrow, 1), 0)
        ax.set_xticks([j + 0.5 for j in range(ncol)], xlabels, rotation=45,
                      ha="right", rotation_mode="anchor")
        ax.set_yticks([i + 0.5 for i in range(nrow)], ylabels)
        for i in range(nrow):
            for j in range(ncol):
                v = data.iat[i, j]
                if v:
                    ax.text(j + 0.5, i + 0.5, _fmt(int(v)), ha="center", va="center", fontsize=7,
                            color="white" if v > 0.6 * top else "black")
        ax.spines[:].set_visible(False)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_xlabel(xlabel)
        return fig


def to_png(fig: Any, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG bytes (no metadata, so identical charts give identical bytes)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def to_svg(fig: Any, *, title: str, desc: str = "", chart_id: str = "chart") -> Markup:
    """The figure as an inline ``<svg>`` element with ``<title>``, ``<desc>`` and ARIA role.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    title : str
        Accessible name (escaped here).
    desc : str, optional
        Longer text alternative (escaped here).
    chart_id : str
        Prefix of the ids of the title and description elements.

    Returns
    -------
    markupsafe.Markup
        SVG markup checked by :func:`check_svg`.
    """
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with chart_style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None,
                                                 "Format": None, "Type": None})
    plt.close(fig)
    text = buf.getvalue()
    start = _SVG_START.search(text)
    if start is None:  # pragma: no cover - matplotlib always writes an <svg> element
        raise RuntimeError("matplotlib wrote no <svg> element")
    svg = text[start.start():]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    cid = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
    head_end = svg.index(">") + 1
    opening = svg[:head_end].replace(
        "<svg ", f'<svg role="img" aria-labelledby="{cid}-title {cid}-desc" ', 1)
    inner = (f'<title id="{cid}-title">{escape(title)}</title>'
             f'<desc id="{cid}-desc">{escape(desc or title)}</desc>')
    svg = opening + inner + svg[head_end:]
    check_svg(svg)
    return Markup(svg)  # generated markup; every text in it was escaped above or by matplotlib


_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "object", "embed", "image"}


def check_svg(svg: str) -> None:
    """Raise ValueError if ``svg`` is not well-formed or holds anything active or external.

    Refused: ``<script>``, ``<foreignObject>``, ``<image>`` and embedding elements, ``on*``
    event attributes, ``href``/``xlink:href`` other than ``#id`` fragments, and ``url(...)``
    other than ``url(#id)``.
    """
    from defusedxml import ElementTree

    root = ElementTree.fromstring(svg)
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag in _FORBIDDEN_TAGS:
            raise ValueError(f"chart SVG holds a <{tag}> element")
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise ValueError(f"chart SVG holds an event attribute {local!r}")
            if local == "href" and not value.startswith("#"):
                raise ValueError("chart SVG refers to an external resource")
            for ref in re.findall(r"url\(([^)]*)\)", value):
                if not ref.strip().strip("'\"").startswith("#"):
                    raise ValueError("chart SVG refers to an external resource")


def series_desc(values: pd.Series, unit: str = "") -> str:
    """A text alternative listing a chart's values ("S1: 40, S2: 38...")."""
    items: Sequence[str] = [f"{k}: {_fmt(v)}{unit}" for k, v in values.head(MAX_BARS).items()]
    return "; ".join(items)
