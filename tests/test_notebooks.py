"""The notebooks in notebooks/ run top to bottom offline, and are committed without outputs.

Each notebook is executed with nbclient in a fresh ``python3`` kernel (the kernel spec of the
project's venv; jupyter_client starts it with the interpreter running the tests), with the
notebook's own folder as working directory, as ``jupyter lab notebooks/`` would.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ("01_quickstart.ipynb", "02_key_messages.ipynb", "03_your_codebook_and_model.ipynb")
CELL_TIMEOUT = 300  # seconds per cell: generous, for a loaded CI machine


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def test_every_notebook_is_tested() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name: str) -> None:
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{name} has no code cells"
    for cell in code:
        assert cell.outputs == [], f"{name}: cell {cell.id} has outputs"
        assert cell.execution_count is None, f"{name}: cell {cell.id} has an execution count"


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                first = cell.source.splitlines()[0] if cell.source else ""
                out.append(f"cell {cell.id} ({first!r}): {o.ename}: {o.evalue}")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str) -> None:
    from nbclient import NotebookClient

    nb = _read(name)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=True,  # run every cell, then report all errors at once
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    assert _errors(nb) == []
    ran = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in ran), "some cells did not run"
    # the notebooks clean up after themselves: nothing new in notebooks/
    assert sorted(p.name for p in NOTEBOOKS.iterdir() if not p.name.startswith(".")) == sorted(
        [*NAMES, "README.md", "data"]
    )
