"""Measuring a command: wall and CPU time, peak memory of its process tree, and the table.

Used by :mod:`run` (the benchmark suite); kept apart so that the suite reads as the list of
what it measures.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent


# --- measuring a subprocess --------------------------------------------------------------------
def measure(cmd: list[str], *, timeout: float | None = None) -> dict[str, Any]:
    """Run ``cmd``; return wall seconds, exit code, stderr tail and peak tree RSS/PSS in MB."""
    peak = {"rss": 0.0, "pss": 0.0}
    done = threading.Event()
    load0 = os.getloadavg()[0]
    sys0 = _busy()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)

        def poll() -> None:
            tick = 0
            try:
                root = psutil.Process(proc.pid)
            except psutil.Error:
                return
            while not done.is_set():
                try:
                    procs = [root, *root.children(recursive=True)]
                    peak["rss"] = max(peak["rss"], sum(p.memory_info().rss for p in procs) / 2**20)
                    if tick % 5 == 0:
                        peak["pss"] = max(peak["pss"], sum(
                            p.memory_full_info().pss for p in procs) / 2**20)
                except psutil.Error:
                    pass
                tick += 1
                done.wait(0.05)

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        secs = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        sys1 = _busy()
        done.set()
        watcher.join()
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    others = max(0.0, sys1[0] - sys0[0] - cpu)
    return {"seconds": round(secs, 3), "cpu_s": round(cpu, 3), "exit": code, "stderr": tail,
            "others_cpu_s": round(others, 1), "steal_s": round(sys1[1] - sys0[1], 1),
            "peak_rss_mb": round(peak["rss"], 1), "peak_pss_mb": round(peak["pss"], 1),
            "load_avg": [round(load0, 2), round(os.getloadavg()[0], 2)]}


def _busy() -> tuple[float, float]:
    """Machine-wide busy CPU seconds (all processes) and steal seconds so far."""
    t = psutil.cpu_times()
    busy = t.user + t.system + getattr(t, "nice", 0.0) + getattr(t, "irq", 0.0) + getattr(
        t, "softirq", 0.0)
    return busy, getattr(t, "steal", 0.0)


def cli() -> list[str]:
    """The installed ``forumnlp`` command (the console script next to this Python)."""
    script = Path(sys.executable).with_name("forumnlp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "forumnlp"]


def help_text(command: str) -> str | None:
    """``forumnlp COMMAND --help`` output, or None when the command does not exist."""
    res = subprocess.run([*cli(), command, "--help"], capture_output=True, text=True, cwd=ROOT)
    return res.stdout if res.returncode == 0 else None


def count_rows(path: Path, column: str) -> int:
    """Rows of a CSV (read one column only)."""
    return len(pd.read_csv(path, usecols=[column], dtype=str, keep_default_na=False))


# --- result rows ---------------------------------------------------------------------------------
def row(stage: str, size: int, res: dict[str, Any], items: int | None, item: str,
        **extra: Any) -> dict[str, Any]:
    """One result row."""
    ok = res.get("exit", 0) == 0
    rate = round(items / res["seconds"], 1) if ok and items and res["seconds"] else None
    cpu_rate = round(items / res["cpu_s"], 1) if ok and items and res.get("cpu_s") else None
    out = {"stage": stage, "size": size, "item": item, "items": items, "rate": rate,
           "rate_per_cpu_s": cpu_rate, **res}
    out.update(extra)
    if not ok:
        out["error"] = " | ".join(res.get("stderr", []))
    return out


# --- report ---------------------------------------------------------------------------------------
def fmt_table(rows: list[dict[str, Any]]) -> str:
    """The results as a fixed-width table (x I/O = seconds / I/O floor seconds, same size)."""
    floor = {r["size"]: r["seconds"] for r in rows if r["stage"].startswith("io floor")
             and r.get("exit") == 0}
    head = (f"{'stage':38s} {'size':>9s} {'seconds':>8s} {'cpu s':>8s} {'items':>9s} "
            f"{'per s':>8s} {'per cpu s':>9s} {'peak MB':>7s} {'PSS MB':>6s} {'x I/O':>6s} "
            f"{'others':>6s}")
    lines = [head, "-" * len(head)]
    for r in rows:
        name = r["stage"] + (f" (jobs={r['jobs']})" if "jobs" in r else "")
        if "error" in r:
            lines.append(f"{name:38s} {r['size']:>9,} error: {r['error'][:70]}")
            continue
        ratio = r["seconds"] / floor[r["size"]] if r["size"] in floor else float("nan")
        lines.append(
            f"{name:38s} {r['size']:>9,} {r['seconds']:>8.2f} {r.get('cpu_s') or 0:>8.2f} "
            f"{r['items'] or 0:>9,} {r['rate'] or 0:>8,.0f} {r.get('rate_per_cpu_s') or 0:>9,.0f} "
            f"{r.get('peak_rss_mb', 0):>7.0f} {r.get('peak_pss_mb', 0):>6.0f} {ratio:>6.1f} "
            f"{r.get('others_cpu_s', float('nan')):>6.0f}"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip()
    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(), "python": platform.python_version(),
            "pandas": pd.__version__, "commit": commit}
