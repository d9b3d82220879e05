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
    code = ("import tkigraph, tkigraph.storage.files as s; "
            "assert s.ontology_dir().is_relative_to(__import__('pathlib').Path(tkigraph.__file__).parent), s.ontology_dir(); "
            "kb = tkigraph.open(); print(len(kb.kb.graph))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 1000


def test_wheel_metadata_links_the_namespaces_it_mints(wheel):
    """The project URLs a package index shows are the IRIs the graph is written in (issue 18)."""
    from tkigraph.namespaces import PREFIXES, TKG_IRI

    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(name).decode()
    urls = dict(line.removeprefix("Project-URL: ").split(", ", 1) for line in metadata.splitlines()
                if line.startswith("Project-URL: "))
    assert urls["Ontology"] == TKG_IRI.rstrip("#")
    assert urls["Knowledge base"] == PREFIXES["tkd"]
    assert all(url.startswith("https://w3id.org/tkigraph") for url in urls.values()), urls
