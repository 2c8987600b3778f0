"""The HTML report in a real browser: headless Chromium, driven over the DevTools protocol.

Chromium is Debian's ``chromium`` package (installed here with apt-get when missing and we
are root). It is driven through ``--remote-debugging-pipe`` (JSON messages on file
descriptors 3 and 4), which needs no driver package and no network port. The checks are
those of a console-log and network audit: no error in the console, no script run, no
request for anything but the file itself, and a screenshot that is not blank.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--remote-debugging-pipe"]
TIMEOUT = 30.0
BASH = shutil.which("bash") or "/bin/bash"  # dash cannot redirect fds above 9


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("headless Chromium is not installed and cannot be installed here "
                    "(needs root and apt-get: apt-get install chromium)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium", "chromium-driver"]):
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if proc.returncode != 0:
            pytest.skip(f"cannot install Chromium ({' '.join(cmd)} failed: "
                        f"{(proc.stderr or proc.stdout).strip().splitlines()[-1:]})")
    if not CHROMIUM.exists():  # pragma: no cover - the package always installs it
        pytest.skip("apt-get installed chromium but /usr/bin/chromium is missing")


def _high_fd(fd: int) -> int:
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


class Browser:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, profile: str) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # move the child's ends above 4 so that the redirections below cannot clobber them
        to_child_r, from_child_w = (_high_fd(to_child_r), _high_fd(from_child_w))
        # bash puts our pipe ends on fds 3 and 4, where Chromium expects them
        script = f'exec "$0" "$@" 3<&{to_child_r} 4>&{from_child_w}'
        self.proc = subprocess.Popen(
            [BASH, "-c", script, str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}",
             "about:blank"],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buf = b""
        with os.fdopen(self._from_child, "rb", buffering=0) as fh:
            while chunk := fh.read(65536):
                buf += chunk
                while b"\0" in buf:
                    raw, buf = buf.split(b"\0", 1)
                    msg = json.loads(raw)
                    if "id" in msg:
                        with self._lock:
                            self._replies[msg["id"]] = msg
                            self._lock.notify_all()
                    else:
                        self.events.put(msg)

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        """Send a command and wait for its result (raises on a protocol error)."""
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        with self._lock:
            while self._next not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no reply to {method}")
                self._lock.wait(left)
            reply = self._replies.pop(self._next)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for(self, method: str) -> list[dict[str, Any]]:
        """Collect events until ``method`` arrives; return every event seen."""
        seen = []
        deadline = time.monotonic() + TIMEOUT
        while True:
            event = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            seen.append(event)
            if event.get("method") == method:
                return seen

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _ensure_chromium()
    with tempfile.TemporaryDirectory() as profile:
        b = Browser(profile)
        try:
            yield b
        finally:
            b.close()


def audit(browser: Browser, page: Path, shot: Path) -> dict[str, Any]:
    """Load ``page`` in a new tab; return console errors, requests, resources, JS state."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": 1280, "height": 1800, "deviceScaleFactor": 1, "mobile": False},
                 session=session)
    while not browser.events.empty():
        browser.events.get_nowait()
    browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
    events = browser.wait_for("Page.loadEventFired")
    time.sleep(0.3)  # let late console messages and requests arrive
    while not browser.events.empty():
        events.append(browser.events.get_nowait())
    evaluate = browser.send("Runtime.evaluate", {"returnByValue": True, "expression": """
        JSON.stringify({
          resources: performance.getEntriesByType('resource').map(e => e.name),
          navigation: performance.getEntriesByType('navigation').map(e => e.name),
          pwned: typeof window.__pwned !== 'undefined',
          h1: document.querySelectorAll('h1').length,
          h2: Array.from(document.querySelectorAll('h2')).map(h => h.textContent),
          svgs: document.querySelectorAll('svg[role=img] > title').length,
          height: document.documentElement.scrollHeight
        })"""}, session=session)
    state = json.loads(evaluate["result"]["value"])
    png = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
    shot.write_bytes(base64.b64decode(png["data"]))
    browser.send("Target.closeTarget", {"targetId": target})
    mine = [e for e in events if e.get("sessionId") == session]
    severe = []
    for e in mine:
        params = e.get("params", {})
        if e["method"] == "Runtime.exceptionThrown":
            severe.append(params["exceptionDetails"].get("text", "exception"))
        elif e["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            severe.append(str(params.get("args")))
        elif e["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
            severe.append(params["entry"].get("text", ""))
    requests = [e["params"]["request"]["url"] for e in mine
                if e["method"] == "Network.requestWillBeSent"]
    state.update(severe=severe, requests=requests)
    return state


def _non_blank(shot: Path) -> float:
    from PIL import Image

    with Image.open(shot) as im:
        grey = im.convert("L")
        hist = grey.histogram()
        dark = sum(hist[:200]) / (grey.width * grey.height)
    return dark


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's report by the real flow (rules tagging, static embeddings), plus two
    comments that try to run script if the report failed to escape them."""
    # explicit imports: once imported, forumnlp.segment is the module, not the function
    from forumnlp.ingest import read
    from forumnlp.messages import key_messages
    from forumnlp.report import report
    from forumnlp.segment import segment
    from forumnlp.tag import tag

    records = read(str(SAMPLE))
    hostile = pd.DataFrame({"text": ['<img src=x onerror="window.__pwned=1">',
                                     "<script>window.__pwned=2</script> Joint visits"],
                            "session": ["S1", "S2"],
                            "agency": ['"><img src=x onerror="window.__pwned=3">', "police"]})
    records = pd.concat([records, read(hostile, text_columns=["text"])], ignore_index=True)
    tagged = tag(segment(records))
    km = key_messages(tagged, by=["session", "agency"], embedding="static")
    out = tmp_path_factory.mktemp("browser") / "report.html"
    return report(tagged, out, messages=km, by=["session", "agency"], redacted=False,
                  options={"generated": "2026-05-01"})


def test_report_in_headless_chromium(browser: Browser, sample_report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    state = audit(browser, sample_report, shot)
    assert state["severe"] == []
    assert state["resources"] == []  # nothing fetched: no image, font, style or script
    assert state["requests"] == [sample_report.as_uri()]
    assert not state["pwned"]
    assert state["h1"] == 1 and "Key messages" in state["h2"] and "Methods and limits" in state["h2"]
    assert state["svgs"] >= 6
    assert state["height"] > 5000
    assert shot.stat().st_size > 20_000
    assert _non_blank(shot) > 0.02  # text and charts, not an empty page


def test_audit_catches_errors_and_requests(browser: Browser, tmp_path: Path) -> None:
    """The audit itself can fail: a page with a script error and an outside image."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><h1>x</h1>"
                    "<img src='http://127.0.0.1:9/missing.png' alt=''>"
                    "<script>window.__pwned = 1; console.error('boom'); undefinedCall();</script>"
                    "</body></html>", encoding="utf-8")
    state = audit(browser, page, tmp_path / "bad.png")
    assert any("boom" in s for s in state["severe"])
    assert any("undefinedCall" in s or "Uncaught" in s for s in state["severe"])
    assert any(r.startswith("http://127.0.0.1:9/") for r in state["requests"])
    assert state["pwned"]
    assert _non_blank(tmp_path / "bad.png") < 0.02
