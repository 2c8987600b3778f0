"""``KeyMessages``: the messages table, the units with their message, persistence, transform.

Saved folder (no pickle anywhere)::

    key_messages.json          config, messages and feedback tables (JSON records)
    centroids.safetensors      message and feedback centroids (float32)
    bertopic/                  BERTopic's own safetensors save, when BERTopic was used
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forumnlp.errors import InputError, ModelError

FORMAT_VERSION = 1
JSON_NAME = "key_messages.json"
CENTROIDS_NAME = "centroids.safetensors"


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in df.to_dict(orient="records"):
        out.append({k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items()})
    return out


@dataclass
class KeyMessages:
    """Key messages found by :func:`forumnlp.messages.key_messages`.

    Attributes
    ----------
    messages : pandas.DataFrame
        One row per practice message, ranked (``message_id`` "M01"...).
    units : pandas.DataFrame
        The input units (all columns, input order) plus ``message_id`` ("" for none).
    feedback : pandas.DataFrame
        Event feedback (frame ``none``) grouped the same way ("F01"...), not ranked with
        the practice messages.
    centroids, feedback_centroids : numpy.ndarray
        Unit-length embedding centroid of each message, in table order.
    config : dict
        Backend, method, parameters and counts.
    topic_model : object or None
        The fitted BERTopic model when BERTopic was used (not restored by :meth:`load`).
    """

    messages: pd.DataFrame
    units: pd.DataFrame
    feedback: pd.DataFrame
    centroids: np.ndarray
    feedback_centroids: np.ndarray
    config: dict[str, Any] = field(default_factory=dict)
    topic_model: Any = None

    def __len__(self) -> int:
        return len(self.messages)

    def __repr__(self) -> str:
        return (f"KeyMessages({len(self.messages)} messages, {len(self.feedback)} feedback groups, "
                f"{len(self.units)} units, backend={self.config.get('backend')!r})")

    def _repr_html_(self) -> str:
        """A readable HTML table for Jupyter (all text escaped)."""
        esc = html.escape
        by = self.config.get("by", [])
        head = ["#", "id", "label", "statement", "size", "frame", "spread", "quotes"]
        rows = []
        for rec in self.messages.itertuples(index=False):
            quotes = json.loads(rec.quotes) if rec.quotes else []
            qhtml = "".join(f"<li>{esc(str(q))}</li>" for q in quotes[:3])
            cells = [str(rec.rank), esc(str(rec.message_id)), f"<b>{esc(str(rec.label))}</b>",
                     esc(str(rec.statement)), str(rec.size), esc(str(rec.frame)),
                     esc(str(rec.spread)), f"<ul style='margin:0'>{qhtml}</ul>"]
            rows.append("<tr>" + "".join(f"<td style='text-align:left;vertical-align:top'>{c}</td>"
                                         for c in cells) + "</tr>")
        caption = esc(f"{len(self.messages)} key messages from {self.config.get('n_practice', 0)} "
                      f"practice comments" + (f", spread by {', '.join(by)}" if by else "")
                      + f"; {len(self.feedback)} event-feedback groups")
        return ("<table><caption>" + caption + "</caption><thead><tr>"
                + "".join(f"<th style='text-align:left'>{esc(h)}</th>" for h in head)
                + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")

    # -- persistence -----------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save to folder ``path`` (created): JSON + safetensors, and BERTopic's safetensors.

        Parameters
        ----------
        path : path-like
            Target folder.

        Returns
        -------
        pathlib.Path
            The folder.
        """
        from safetensors.numpy import save_file

        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        doc = {"format": "forumnlp.key_messages", "version": FORMAT_VERSION,
               "config": self.config, "messages": _records(self.messages),
               "feedback": _records(self.feedback)}
        tmp = folder / (JSON_NAME + ".tmp")
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                       encoding="utf-8")
        os.replace(tmp, folder / JSON_NAME)
        save_file({"messages": np.ascontiguousarray(self.centroids, dtype=np.float32),
                   "feedback": np.ascontiguousarray(self.feedback_centroids, dtype=np.float32)},
                  str(folder / CENTROIDS_NAME))
        if self.topic_model is not None:
            from forumnlp.messages.embed import minilm_path, static_model_path

            local = static_model_path() if self.config.get("backend") == "static" else minilm_path()
            self.topic_model.save(str(folder / "bertopic"), serialization="safetensors",
                                  save_ctfidf=True, save_embedding_model=str(local))
        return folder

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> KeyMessages:
        """Load a folder written by :meth:`save` (``units`` is empty after loading).

        Parameters
        ----------
        path : path-like
            The folder.

        Returns
        -------
        KeyMessages
        """
        from safetensors.numpy import load_file

        folder = Path(path)
        jpath = folder / JSON_NAME
        if not jpath.is_file():
            raise ModelError(f"{folder}: not a saved key-messages folder (no {JSON_NAME})")
        try:
            doc = json.loads(jpath.read_text(encoding="utf-8"))
            tensors = load_file(str(folder / CENTROIDS_NAME))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{folder}: cannot read saved key messages ({exc})") from exc
        if doc.get("format") != "forumnlp.key_messages" or doc.get("version") != FORMAT_VERSION:
            raise ModelError(f"{jpath}: unknown format or version")
        config = doc["config"]
        by = config.get("by", [])
        cols = ["message_id", "rank", "label", "statement", "size", "frame", "frames", "themes",
                "spread"]
        for b in by:
            cols += [f"n_{b}", f"{b}_values"]
        cols += ["score", "quotes", "quote_ids"]
        messages = pd.DataFrame.from_records(doc["messages"], columns=cols)
        feedback = pd.DataFrame.from_records(doc["feedback"], columns=cols)
        return cls(messages=messages, units=pd.DataFrame(columns=["text", "message_id"]),
                   feedback=feedback, centroids=tensors["messages"],
                   feedback_centroids=tensors["feedback"], config=config)

    # -- assigning new comments ------------------------------------------------------------
    def transform(self, units: pd.DataFrame, *, threshold: float | None = None) -> pd.DataFrame:
        """Assign new units (e.g. the next forum round) to the saved messages.

        Each practice unit goes to the message whose centroid is most similar (cosine);
        event feedback to the feedback groups. Below ``threshold`` the unit is new.

        Parameters
        ----------
        units : pandas.DataFrame
            Units with a ``text`` column (and ``frame`` when tagged).
        threshold : float, optional
            Similarity under which a unit is new (default: the saved ``new_threshold``).

        Returns
        -------
        pandas.DataFrame
            ``units`` plus ``message_id`` (best message, "" when new or blank),
            ``similarity`` (to the best message, NaN for blank units) and ``is_new``.
        """
        from forumnlp.messages.core import split_units
        from forumnlp.messages.embed import embed_texts

        if not isinstance(units, pd.DataFrame) or "text" not in units.columns:
            raise InputError("transform expects a DataFrame with a 'text' column")
        limit = float(self.config.get("new_threshold", 0.55) if threshold is None else threshold)
        data = units.reset_index(drop=True)
        practice, feedback = split_units(data)
        texts = data["text"].fillna("").astype(str)
        ids = np.full(len(data), "", dtype=object)
        sims = np.full(len(data), np.nan)
        new = np.zeros(len(data), dtype=bool)
        for mask, cents, table in ((practice, self.centroids, self.messages),
                                   (feedback, self.feedback_centroids, self.feedback)):
            rows = np.flatnonzero(mask)
            if not len(rows):
                continue
            if not len(table):
                new[rows] = True
                continue
            vecs = embed_texts(texts.iloc[rows].tolist(), self.config.get("backend", "static"))
            s = vecs @ np.asarray(cents, dtype=np.float32).T
            best = s.argmax(axis=1)
            top = s[np.arange(len(rows)), best]
            sims[rows] = np.round(top.astype(np.float64), 6)
            ok = top >= limit
            names = table["message_id"].to_numpy()
            ids[rows[ok]] = names[best[ok]]
            new[rows[~ok]] = True
        out = units.copy()
        out["message_id"] = ids.tolist()
        out["similarity"] = sims
        out["is_new"] = new
        return out
