"""The offline guarantee: tag, messages and report make no network connection.

Each command runs in a fresh interpreter whose socket layer refuses and records every
attempt to connect or resolve a name (``sitecustomize`` is loaded before forumnlp). Unix
sockets (used by multiprocessing) are allowed; anything that would reach a host is not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "evaluation_forms.csv"

GUARD = textwrap.dedent(
    """
    import os, socket
    _LOG = os.environ["FORUMNLP_NET_LOG"]

    def _record(what):
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(what + "\\n")

    _orig_connect = socket.socket.connect
    _orig_connect_ex = socket.socket.connect_ex

    def _guard(self, address, *a, **k):
        if self.family == getattr(socket, "AF_UNIX", None):
            return _orig_connect(self, address, *a, **k)
        _record(f"connect {address!r}")
        raise OSError("network disabled by the offline test")

    def _guard_ex(self, address, *a, **k):
        if self.family == getattr(socket, "AF_UNIX", None):
            return _orig_connect_ex(self, address, *a, **k)
        _record(f"connect_ex {address!r}")
        return 111

    def _no_dns(host, *a, **k):
        _record(f"getaddrinfo {host!r}")
        raise socket.gaierror("network disabled by the offline test")

    socket.socket.connect = _guard
    socket.socket.connect_ex = _guard_ex
    socket.getaddrinfo = _no_dns
    socket.create_connection = lambda address, *a, **k: (_record(f"create_connection {address!r}"), (_ for _ in ()).throw(OSError("network disabled")))[1]
    """
)


def _run_guarded(tmp_path: Path, args: list[str]) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir(exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "net.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.update(PYTHONPATH=str(guard_dir), FORUMNLP_NET_LOG=str(log))
    proc = subprocess.run(
        [sys.executable, "-m", "forumnlp", *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )
    attempts = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return proc, attempts


def test_guard_catches_a_connection(tmp_path: Path) -> None:
    """The guard itself works: a plain connection attempt is recorded and refused."""
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "net.log"
    env = dict(os.environ, PYTHONPATH=str(guard_dir), FORUMNLP_NET_LOG=str(log))
    code = "import socket\ntry:\n    socket.create_connection(('example.org', 80), timeout=1)\nexcept OSError:\n    pass\n"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert "create_connection" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("command", "output"),
    [
        (["tag"], "tagged.csv"),
        (["messages", "--by", "session"], "messages.csv"),
        (["report", "--by", "session"], "report.html"),
    ],
)
def test_commands_make_no_connection(tmp_path: Path, command: list[str], output: str) -> None:
    """tag, messages and report run to completion with the network refused, and never try it."""
    args = [command[0], str(SAMPLE), "-o", str(tmp_path / output), *command[1:]]
    proc, attempts = _run_guarded(tmp_path, args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / output).stat().st_size > 0
    assert attempts == [], f"network attempts: {attempts[:5]}"
