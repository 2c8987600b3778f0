"""REFI-QDA Codebook Exchange (.qdc): export for, and import from, QDA tools.

A .qdc file is XML in the namespace ``urn:QDA-XML:codebook:1.0``: a ``CodeBook`` root with
``Codes`` holding nested ``Code`` elements (``guid``, ``name``, ``isCodable``, optional
``color``; an optional ``Description`` child) and optional ``Sets``. forumnlp writes one
non-codable code per group with the group's codes nested inside, GUIDs derived from the
codebook name and the ids (uuid5, so exports are byte-stable), and the MacQueen fields in
the description, ending with a ``forumnlp: id=...`` line that lets an import restore the ids.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from forumnlp.codebook.model import Code, Codebook, Group
from forumnlp.codebook.validate import ID_RE
from forumnlp.errors import InputError, ModelError

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
#: Namespace of forumnlp's deterministic GUIDs (itself a uuid5, fixed forever).
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:forumnlp:codebook")
_HEADERS = {
    "use when": "use_when",
    "do not use when": "do_not_use_when",
    "examples": "examples",
    "counter-examples": "counter_examples",
}
_HEADER_RE = re.compile(r"^(use when|do not use when|examples|counter-examples)\s*:\s*(.*)$", re.I)
_MARKER_RE = re.compile(r"^\s*forumnlp:\s*(.*?)\s*$")
_ORIGIN_RE = re.compile(r"codebook (\S+) ([^\s)]+)\)?$")


def code_guid(codebook_name: str, code_id: str) -> str:
    """Return the deterministic GUID of a code: uuid5 over the codebook name and the code id."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{codebook_name}/{code_id}"))


def group_guid(codebook_name: str, group_id: str) -> str:
    """Return the deterministic GUID of a group (a non-codable code in the .qdc)."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{codebook_name}/group:{group_id}"))


def _bullets(title: str, items: tuple[str, ...]) -> str:
    return title + ":\n" + "\n".join(f"- {' '.join(x.split())}" for x in items)


def code_description(code: Code) -> str:
    """Return the .qdc description of a code: definition, use when, examples, id line."""
    parts = [code.definition]
    if code.use_when:
        parts.append(f"Use when: {code.use_when}")
    if code.do_not_use_when:
        parts.append(f"Do not use when: {code.do_not_use_when}")
    if code.examples:
        parts.append(_bullets("Examples", code.examples))
    if code.counter_examples:
        parts.append(_bullets("Counter-examples", code.counter_examples))
    parts.append(f"forumnlp: id={code.id}")
    return "\n\n".join(parts)


def group_description(group: Group) -> str:
    """Return the .qdc description of a group, ending with its id and cardinality."""
    marker = f"forumnlp: group={group.id} cardinality={group.cardinality}"
    return f"{group.description}\n\n{marker}" if group.description else marker


def to_qdc(codebook: Codebook) -> bytes:
    """Return the codebook as REFI-QDA codebook XML (UTF-8 bytes, byte-stable).

    Parameters
    ----------
    codebook : Codebook

    Returns
    -------
    bytes
    """
    from forumnlp import __version__

    # Unqualified tags plus an explicit xmlns attribute: the default namespace on every
    # element, without the ns0: prefixes ElementTree would invent.
    root = ET.Element("CodeBook", {
        "xmlns": QDC_NAMESPACE,
        "origin": f"forumnlp {__version__} (codebook {codebook.name} {codebook.version})",
    })
    codes_el = ET.SubElement(root, "Codes")
    for group in codebook.groups:
        gel = ET.SubElement(codes_el, "Code", {
            "guid": group_guid(codebook.name, group.id), "name": group.label, "isCodable": "false",
        })
        ET.SubElement(gel, "Description").text = group_description(group)
        for code in codebook.codes_in(group.id):
            cel = ET.SubElement(gel, "Code", {
                "guid": code_guid(codebook.name, code.id), "name": code.label, "isCodable": "true",
            })
            ET.SubElement(cel, "Description").text = code_description(code)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def export_qdc(codebook: Codebook, path: str | os.PathLike[str]) -> Path:
    """Write the codebook as a .qdc file, atomically.

    Parameters
    ----------
    codebook : Codebook
    path : path-like
        The output file.

    Returns
    -------
    pathlib.Path
    """
    from forumnlp.io import atomic_path, check_output_path

    out = check_output_path(path)
    data = to_qdc(codebook)
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
    return out


# -- import --------------------------------------------------------------------------------
def slugify(text: str) -> str:
    """Return an id part for a name: ASCII lower case, runs of other characters as ``_``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def parse_description(text: str) -> dict[str, Any]:
    """Split a .qdc description into definition, use when, examples... and the id line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    marker: dict[str, str] = {}
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and (m := _MARKER_RE.match(lines[-1])):
        marker = dict(re.findall(r"(\w+)=(\S+)", m.group(1)))
        lines.pop()
    sections: dict[str, list[str]] = {"definition": []}
    current = "definition"
    for line in lines:
        m = _HEADER_RE.match(line.strip())
        if m:
            current = _HEADERS[m.group(1).lower()]
            sections[current] = [m.group(2)] if m.group(2) else []
        else:
            sections.setdefault(current, []).append(line)
    out: dict[str, Any] = {"marker": marker}
    for key, body in sections.items():
        if key in ("examples", "counter_examples"):
            items = [ln.strip()[2:].strip() if ln.strip().startswith("- ") else ln.strip()
                     for ln in body]
            out[key] = [x for x in items if x]
        else:
            out[key] = "\n".join(body).strip()
    return out


def _unique(base: str, taken: set[str]) -> str:
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


def _codable(el: ET.Element) -> bool:
    return el.get("isCodable", "true").strip().lower() not in ("false", "0")


class _Importer:
    def __init__(self) -> None:
        self.groups: list[dict[str, Any]] = []
        self.codes: list[dict[str, Any]] = []
        self.group_ids: set[str] = set()
        self.code_ids: set[str] = set()
        self.by_guid: dict[str, str] = {}
        self.loose: list[ET.Element] = []

    def code(self, el: ET.Element, group: str, prefix: tuple[str, ...]) -> None:
        label = " ".join((el.get("name") or "").split()) or "Unnamed code"
        desc = parse_description("".join(d.text or "" for d in _children(el, "Description")))
        slug = slugify(label) or "code"
        wanted = desc["marker"].get("id", "")
        cid = wanted if ID_RE.match(wanted) and wanted not in self.code_ids else ""
        cid = _unique(cid or ".".join((*prefix, slug)), self.code_ids)
        if _codable(el):
            entry: dict[str, Any] = {"id": cid, "group": group, "label": label,
                                     "definition": desc["definition"] or label}
            for key in ("use_when", "do_not_use_when", "examples", "counter_examples"):
                if desc.get(key):
                    entry[key] = desc[key]
            self.codes.append(entry)
            if el.get("guid"):
                self.by_guid[el.get("guid", "").strip("{}").lower()] = cid
        for child in _children(el, "Code"):
            self.code(child, group, (*prefix, slug))

    def top(self, el: ET.Element) -> None:
        kids = _children(el, "Code")
        desc = parse_description("".join(d.text or "" for d in _children(el, "Description")))
        marker = desc["marker"]
        if not kids and "group" not in marker:
            self.loose.append(el)
            return
        label = " ".join((el.get("name") or "").split()) or "Unnamed group"
        wanted = marker.get("group", "")
        gid = wanted if ID_RE.match(wanted) and wanted not in self.group_ids else ""
        gid = _unique(gid or slugify(label) or "group", self.group_ids)
        card = marker.get("cardinality", "many")
        group: dict[str, Any] = {"id": gid, "label": label,
                                 "cardinality": card if card in ("one", "many") else "many"}
        if desc["definition"]:
            group["description"] = desc["definition"]
        self.groups.append(group)
        for child in kids:
            self.code(child, gid, (gid,))

    def finish(self) -> None:
        if self.loose:
            gid = _unique("codes", self.group_ids)
            self.groups.append({"id": gid, "label": "Codes", "cardinality": "many"})
            for el in self.loose:
                self.code(el, gid, ())


def _parse_xml(data: bytes, where: str) -> ET.Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data)
    except DefusedXmlException as exc:
        raise ModelError(f"{where}: refused unsafe XML ({exc})") from exc
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        raise ModelError(f"{where}: not well-formed XML at line {line}, column {col}") from exc


def read_qdc(data: bytes | str, *, name: str | None = None, version: str | None = None,
             where: str = "qdc data", default_name: str = "imported") -> Codebook:
    """Build a codebook from REFI-QDA codebook XML (as written by NVivo, ATLAS.ti, MAXQDA,
    QualCoder or forumnlp).

    A top-level code becomes a group (cardinality many, unless a forumnlp id line says
    otherwise); deeper codes become codes with ids made of the slugified names joined by
    ``.``; top-level codes without children go into a group ``codes``. Descriptions become
    definitions (with use when, examples... when written in forumnlp's layout); colours are
    ignored; Sets are kept in ``metadata["sets"]`` as lists of code ids.

    Parameters
    ----------
    data : bytes or str
        The XML.
    name, version : str, optional
        Codebook name and version (default: from forumnlp's ``origin``, else
        ``default_name`` and "1.0.0").
    where : str
        How to name the source in error messages.
    default_name : str
        The name of a codebook that was not written by forumnlp.

    Returns
    -------
    Codebook
    """
    from forumnlp.codebook.load import codebook_from_dict

    root = _parse_xml(data.encode("utf-8") if isinstance(data, str) else data, where)
    if _local(root.tag) == "Project":
        books = _children(root, "CodeBook")
        if not books:
            raise ModelError(f"{where}: the project has no CodeBook element")
        root = books[0]
    if _local(root.tag) != "CodeBook":
        raise ModelError(f"{where}: not a REFI-QDA codebook (root element is {_local(root.tag)!r}, "
                         "expected CodeBook)")
    codes_els = _children(root, "Codes")
    if not codes_els or not _children(codes_els[0], "Code"):
        raise ModelError(f"{where}: the codebook has no codes")
    imp = _Importer()
    for el in _children(codes_els[0], "Code"):
        imp.top(el)
    imp.finish()
    origin = root.get("origin", "")
    m = _ORIGIN_RE.search(origin) if origin.startswith("forumnlp") else None
    metadata: dict[str, Any] = {"imported_from": where}
    if origin:
        metadata["origin"] = origin
    sets: dict[str, list[str]] = {}
    for sets_el in _children(root, "Sets"):
        for s in _children(sets_el, "Set"):
            members = [imp.by_guid.get((mc.get("guid") or "").strip("{}").lower())
                       for mc in _children(s, "MemberCode")]
            sets[s.get("name") or "set"] = [x for x in members if x]
    if sets:
        metadata["sets"] = sets
    doc: Mapping[str, Any] = {
        "name": name or (m.group(1) if m else default_name),
        "version": version or (m.group(2) if m else "1.0.0"),
        "description": f"Imported from {where}" + (f" ({origin})" if origin else ""),
        "language": "en",
        "metadata": metadata,
        "groups": imp.groups,
        "codes": imp.codes,
    }
    return codebook_from_dict(doc, where)


def import_qdc(path: str | os.PathLike[str], *, name: str | None = None,
               version: str | None = None) -> Codebook:
    """Read a .qdc file into a codebook (see :func:`read_qdc`).

    Parameters
    ----------
    path : path-like
        The .qdc file (a project .qde with a CodeBook also works).
    name, version : str, optional
        Codebook name and version; the name defaults to the file's slugified stem for
        files not written by forumnlp.

    Returns
    -------
    Codebook
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: file not found")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a .qdc file")
    return read_qdc(p.read_bytes(), name=name, version=version, where=p.name,
                    default_name=slugify(p.stem) or "imported")
