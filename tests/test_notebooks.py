"""Execute the analyst notebooks top to bottom; any error in any cell fails the test.

Notebooks 01-05 are stored executed (``scripts/execute_notebooks.py``), so a code host shows
their tables and pictures; the test re-executes every notebook. Each notebook runs on a copy in
``tmp_path`` with that folder as its working directory, so
nothing is written into the repository. The kernel is ``python3``: ipykernel provides it for the
interpreter running the tests (jupyter_client starts ``sys.executable``), so no kernelspec needs to
be registered by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from _scripts import load_script
from nbclient import NotebookClient

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*")}


def test_the_four_notebooks_are_there() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {
        "01_quickstart.ipynb",
        "02_bypassing_russia.ipynb",
        "03_south_caucasus.ipynb",
        "04_scenarios.ipynb",
    } <= names


EXECUTOR = load_script("execute_notebooks")
STORED_EXECUTED = {p.name for p in EXECUTOR.EXECUTED}


def test_notebooks_01_to_07_are_stored_executed() -> None:
    assert {f"0{i}" for i in range(1, 8)} == {n[:2] for n in STORED_EXECUTED}
    assert {p.name for p in NOTEBOOKS} >= STORED_EXECUTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_as_its_kind_says(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if path.name not in STORED_EXECUTED:  # added later: stored without outputs
        for cell in code:
            assert cell.outputs == [], f"{path.name}: a code cell is stored with outputs"
            assert cell.execution_count is None, f"{path.name}: a code cell has a count"
        return
    # executed top to bottom in one run, by scripts/execute_notebooks.py, after the last edit
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), path.name
    for i, cell in enumerate(code):
        stored = cell.metadata.get("corridors", {}).get("source_sha256")
        assert stored == EXECUTOR.source_hash(cell.source), (
            f"{path.name}: code cell {i + 1} changed since it was executed; "
            "run python scripts/execute_notebooks.py"
        )
        assert not [o for o in cell.outputs if o.output_type == "error"], (path.name, i)
    assert path.stat().st_size < 1_500_000, f"{path.name} is over 1.5 MB"


def test_the_executed_notebooks_show_pictures() -> None:
    for name in STORED_EXECUTED - {"05_own_data.ipynb"}:  # 05 builds data, draws nothing
        nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
        pictures = [
            o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
        ]
        assert pictures, f"{name}: no picture stored"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    before = _snapshot(NOTEBOOKS_DIR)
    nb = nbformat.read(copy, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors, errors
    assert _snapshot(NOTEBOOKS_DIR) == before, "the notebook wrote into the notebooks folder"
