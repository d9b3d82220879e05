"""A plain (non-editable) wheel carries the knowledge base and answers queries."""

import subprocess
import sys
import zipfile

import pytest

from .constants import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out),
                           str(REPO)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{proc.stdout}\n{proc.stderr}")
    return next(out.glob("tkigraph-*.whl"))


def test_wheel_contains_the_knowledge_base(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "tkigraph/ontology/tkigraph.ttl" in names
    assert "tkigraph/ontology/shapes.ttl" in names
    assert any(n.startswith("tkigraph/ontology/kb/") and n.endswith(".ttl") for n in names)


def test_unpacked_wheel_answers_queries(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = ("import tkigraph, tkigraph.store as s; "
            "assert s.ontology_dir().is_relative_to(__import__('pathlib').Path(tkigraph.__file__).parent), s.ontology_dir(); "
            "kb = tkigraph.open(); print(len(kb.kb.graph))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 1000
