"""Every notebook in notebooks/ executes from top to bottom."""

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    drawing = [c for c in notebook.cells if c.cell_type == "code" and "plt.show()" in c.source]
    for cell in drawing:  # a figure is shown, not swallowed by a non-interactive backend
        assert any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])), cell.source[:60]


def test_there_is_a_notebook():
    assert NOTEBOOKS
