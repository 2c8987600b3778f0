"""Safe opening of input files: encoding detection, binary and zip-bomb checks."""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from forumnlp.errors import InputError

SAMPLE_BYTES = 64 * 1024
BLOCK_BYTES = 4 * 1024 * 1024
#: Largest total uncompressed size accepted in a .docx/.xlsx zip directory.
MAX_ZIP_TOTAL = 200 * 1024 * 1024
#: A member bigger than MAX_ZIP_MEMBER_CHECK may not be compressed more than MAX_ZIP_RATIO.
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBER_CHECK = 10 * 1024 * 1024
MAX_ZIP_MEMBERS = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SIGNATURES = (
    (b"PK\x03\x04", "a zip file (an .xlsx or .docx saved with the wrong extension?)"),
    (b"%PDF", "a PDF file"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls); save it as .docx/.xlsx"),
)


def _binary_error(name: str, head: bytes) -> InputError:
    for sig, what in _SIGNATURES:
        if head.startswith(sig):
            return InputError(f"{name}: binary content, not text: this looks like {what}")
    return InputError(f"{name}: binary content (NUL bytes), not a text file")


def _valid(path: Path, encoding: str, skip: int = 0) -> tuple[bool, int]:
    """Decode the whole file block by block; return (ok, byte offset of the first error)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = skip
    with path.open("rb") as fh:
        fh.seek(skip)
        while True:
            block = fh.read(BLOCK_BYTES)
            final = not block
            try:
                decoder.decode(block, final=final)
            except UnicodeDecodeError as exc:
                return False, offset + max(exc.start, 0)
            if final:
                return True, -1
            offset += len(block)


def _plausible(text: str) -> bool:
    return len(_CONTROL.findall(text)) <= max(2, len(text) // 1000)


def detect_encoding(path: Path, name: str) -> str:
    """Find the text encoding of a file without asking the user.

    UTF-8 (with or without BOM) and UTF-16 with BOM are recognised first; a file that is not
    valid UTF-8 throughout is read as Windows-1252 when it decodes as such (the usual
    encoding of exports from Excel and Word on Windows: smart quotes ’ “ ” and dashes –),
    otherwise charset-normalizer guesses from a sample.

    Parameters
    ----------
    path : Path
        The file.
    name : str
        Its name in messages.

    Returns
    -------
    str
        A Python codec name.

    Raises
    ------
    InputError
        The file is empty, binary (NUL bytes) or not decodable in any candidate encoding.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise InputError(f"{name}: the file is empty (0 bytes)")
    if head.startswith(codecs.BOM_UTF8):
        ok, at = _valid(path, "utf-8", skip=3)
        if ok:
            return "utf-8-sig"
        raise InputError(f"{name}: starts with a UTF-8 mark but byte {at} is not valid UTF-8")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        ok, at = _valid(path, "utf-16")
        if ok:
            return "utf-16"
        raise InputError(f"{name}: starts with a UTF-16 mark but is not valid UTF-16 (byte {at})")
    if b"\x00" in head:
        raise _binary_error(name, head)
    ok, at = _valid(path, "utf-8")
    if ok:
        return "utf-8"
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise _binary_error(name, head)
    if _valid(path, "cp1252")[0] and _plausible(head.decode("cp1252")):
        return "cp1252"
    with path.open("rb") as fh:
        fh.seek(max(0, at - SAMPLE_BYTES // 2))
        around = fh.read(SAMPLE_BYTES)
    from charset_normalizer import from_bytes

    best = from_bytes(head + b"\n" + around).best()
    if best is not None and best.encoding:
        enc = codecs.lookup(best.encoding).name
        if _valid(path, enc)[0] and _plausible(head.decode(enc, errors="replace")):
            return enc
    raise InputError(
        f"{name}: cannot decode the text (byte {at} is not UTF-8, and the file is not "
        "Windows-1252 or another recognised encoding); save it as UTF-8"
    )


def read_text(path: Path, name: str) -> str:
    """Read a whole text file with its detected encoding; newlines made ``\\n``."""
    encoding = detect_encoding(path, name)
    with path.open("r", encoding=encoding, newline="") as fh:
        text = fh.read()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_zip(path: Path, name: str, kind: str) -> None:
    """Refuse a corrupt zip container or a zip bomb before a reader opens it.

    Parameters
    ----------
    path : Path
        The .xlsx or .docx file.
    name : str
        Its name in messages.
    kind : str
        ".xlsx" or ".docx", for messages.

    Raises
    ------
    InputError
        Not a zip file, corrupt, too many members, too big uncompressed (more than
        ``MAX_ZIP_TOTAL``), or a big member compressed more than ``MAX_ZIP_RATIO`` times.
    """
    try:
        if path.stat().st_size == 0:
            raise InputError(f"{name}: the file is empty (0 bytes)")
        with path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            old = ".xls" if kind == ".xlsx" else ".doc"
            raise InputError(
                f"{name}: this is an old {old} file saved with a {kind} name; "
                f"open it and save it as {kind}"
            )
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{name}: not a valid {kind} file (corrupt or not a {kind}: {exc})") from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise InputError(f"{name}: looks like a zip bomb ({len(infos)} members); refusing to open it")
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_TOTAL:
        raise InputError(
            f"{name}: looks like a zip bomb or is too large: {total / 2**20:.0f} MB uncompressed "
            f"(limit {MAX_ZIP_TOTAL / 2**20:.0f} MB); save very large tables as CSV"
        )
    for info in infos:
        if info.file_size > MAX_ZIP_MEMBER_CHECK and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{name}: looks like a zip bomb: {info.filename} expands "
                f"{info.file_size / max(info.compress_size, 1):.0f} times; refusing to open it"
            )
