"""Reproducible Office files: fixed zip entry times and document dates.

python-docx and openpyxl stamp every zip entry with the current time and openpyxl sets the
workbook's "modified" date when it saves; :func:`normalise_ooxml` rewrites the package so
that the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

_CORE = "docProps/core.xml"
_DATES = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Drop the control characters that XML 1.0 (and so Word and Excel) cannot hold."""
    return _CONTROL.sub("", text)


def normalise_ooxml(path: Path, when: dt.datetime) -> None:
    """Rewrite the zip package at ``path`` with entry times and core dates set to ``when``.

    Parameters
    ----------
    path : pathlib.Path
        A .docx or .xlsx file, rewritten in place.
    when : datetime.datetime
        The timestamp to use (naive, taken as UTC; entry times before 1980 become 1980).
    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    zip_time = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    tmp = path.with_name(path.name + ".zip-tmp")
    with zipfile.ZipFile(tmp, "w") as dst:
        for name, data in entries:
            if name == _CORE:
                data = _DATES.sub(lambda m: m.group(1) + stamp + m.group(3),
                                  data.decode("utf-8")).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data, compresslevel=6)
    tmp.replace(path)
