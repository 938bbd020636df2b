"""Executes every tutorial notebook in notebooks/ headlessly with nbclient on the `sigmatiq` kernel,
against a real sidecar, and fails on any error output. Notebook-specific checks follow."""
import pathlib
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from research_checks import check_intraday_fx, check_swing_research
from train_checks import check_train_validate

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def execute(path: pathlib.Path, workdir: pathlib.Path):
    copy = workdir / path.name
    shutil.copy(path, copy)
    nb = nbformat.read(copy, as_version=4)
    client = NotebookClient(nb, kernel_name="sigmatiq", timeout=900, allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return nb


def outputs(nb):
    return [(i, out) for i, cell in enumerate(nb.cells) if cell.cell_type == "code" for out in cell.get("outputs", [])]


def test_there_are_notebooks():
    assert any(p.name == "00-welcome.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path, sidecar, tmp_path):
    nb = execute(path, tmp_path)
    errors = [(i, o) for i, o in outputs(nb) if o.output_type == "error"]
    assert not errors, "\n".join(f"cell {i}: {o.ename}: {o.evalue}" for i, o in errors)
    if path.name == "00-welcome.ipynb":
        check_welcome(nb)
    if path.name == "01-swing-research.ipynb":
        check_swing_research(nb, sidecar)
    if path.name == "02-intraday-fx.ipynb":
        check_intraday_fx(nb, sidecar)
    if path.name == "03-train-validate.ipynb":
        check_train_validate(nb, sidecar)


def check_welcome(nb):
    mimes = {key for _, o in outputs(nb) if o.output_type in ("execute_result", "display_data") for key in o.data}
    assert "application/vnd.sigmatiq.leaderboard.v1+json" in mimes
    assert "application/vnd.plotly.v1+json" in mimes
    texts = [o.data.get("text/plain", "") for _, o in outputs(nb) if o.output_type in ("execute_result", "display_data")]
    assert any("%sidecar" in t and "%help" in t for t in texts), "the %help table is missing"
    sidecar_tables = [t for t in texts if t.startswith("Sigmatiq sidecar")]
    assert sidecar_tables and "healthy" in sidecar_tables[0], sidecar_tables
