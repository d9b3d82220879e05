"""One input policy for every command that loads data (issues 13 and 20).

Every command that reads a Turtle file (``--data`` on the store commands, the rdflib engine
of ``query``, the FILES of ``validate`` and ``fmt``, ``serve``) refuses the same hostile
files with the same message and line: RDF/XML and DOCTYPEs, control and bidirectional
characters (raw or escaped), bytes that are not UTF-8, bad Turtle, a directory, a FIFO
(at once, never blocking on it), and a file over the size limit; a large file is checked
as a stream when the limit is raised. A fuzzer checks that every command gives a mutated
file one verdict: all refuse it, each with a clear message, or all accept it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: every command that takes --data, with the arguments it needs besides
LOADING_COMMANDS = {
    "explain": ["explain", "imatinib", "T315I"],
    "alternatives": ["alternatives", "T315I"],
    "mechanisms": ["mechanisms", "imatinib"],
    "show": ["show", "imatinib"],
    "stats": ["stats"],
    "coverage": ["coverage"],
    "query": ["query", "ASK { tkd:imatinib a tkigraph:Drug }"],
    "matrix": ["matrix", "--target", "ABL1", "--output", "{tmp}/matrix.html"],
    "render": ["render", "--focus", "imatinib", "--output", "{tmp}/page.html"],
    "export": ["export", "--format", "ntriples"],
    "push": ["push", "--endpoint", "http://127.0.0.1:9/query"],
}
#: the other ways a command reads a Turtle file ({file}: the file), through the rdflib loader
FILE_COMMANDS = {
    "query --engine rdflib": ["query", "--engine", "rdflib", "ASK { tkd:imatinib a tkigraph:Drug }", "--data", "{file}"],
    "validate": ["validate", "{file}"],
    "validate --with-kb": ["validate", "--with-kb", "{file}"],
    "fmt --check": ["fmt", "--check", "{file}"],
    "fmt": ["fmt", "{file}"],
}
#: every command that loads a file: its arguments with {file} for the file ({tmp}: a scratch folder)
EVERY_COMMAND = {**{name: [*args, "--data", "{file}"] for name, args in LOADING_COMMANDS.items()}, **FILE_COMMANDS}
#: the commands that read a file of an upstream source (not Turtle): the same checks of the file itself
IMPORT_COMMANDS = {"import civic": ["import", "civic", "{file}"], "import moalmanac": ["import", "moalmanac", "{file}"]}

#: name -> (content, what the refusal says, the line it names or None)
HOSTILE = {
    "billion_laughs.rdf": ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
                           '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<rdf:RDF/>\n', "RDF/XML or a DOCTYPE", 1),
    "doctype.ttl": ("<!DOCTYPE html>\n<html></html>\n", "DOCTYPE", 1),
    "bad_escape.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b "bad \\q escape" .\n', "invalid Turtle", None),
    "unterminated.ttl": ('@prefix ex: <http://e/> .\n\nex:a ex:b "never closed .\n', "invalid Turtle", 3),
    "undefined_prefix.ttl": ("ex:a ex:b ex:c .\n", "invalid Turtle", 1),
    "control.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b "bell \x07 here" .\n', "U+0007", 2),
    "nul.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b "a\x00b" .\n', "U+0000", 2),
    "bidi.ttl": ('@prefix ex: <http://e/> .\n\nex:a ex:b "imatinib \u202e bin" .\n', "U+202E", 3),
    "bidi_escape.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b "imatinib \\u202E bin" .\n', "U+202E", None),
    "bad_iri.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b <http://e/r[]df> .\n', "Invalid IRI code point '['", None),
    "quote_iri.ttl": ('@prefix ex: <h"""ttp://e/> .\nex:a ex:b ex:c .\n', "Invalid IRI code point '\"'", None),
    "latin1.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b "Gr\xfcn" .\n'.encode("latin-1"), "not UTF-8", None),
}


def _args(command: str, tmp_path, file=None) -> list[str]:
    """The arguments of ``command`` (a key of EVERY_COMMAND, or of LOADING_COMMANDS without a file)."""
    args = {**EVERY_COMMAND, **IMPORT_COMMANDS}[command] if file is not None else LOADING_COMMANDS[command]
    return [a.replace("{tmp}", str(tmp_path)).replace("{file}", str(file)) for a in args]


def _write(path, content) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def test_every_loading_command_is_listed():
    """A new command with --data must join LOADING_COMMANDS (or this policy is not tested on it)."""
    from tkigraph.cli import cli

    commands = {name: cli.get_command(None, name) for name in cli.list_commands(None)}  # type: ignore[arg-type]
    with_data = {name for name, command in commands.items()
                 if command is not None and any("--data" in p.opts for p in command.params)}
    assert with_data - {"serve"} == set(LOADING_COMMANDS), "add the command to LOADING_COMMANDS"
    assert CliRunner().invoke(cli, ["serve", "--help"]).exit_code == 0


@pytest.mark.parametrize("command", sorted(EVERY_COMMAND))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_refused_alike_by_every_command(invoke, tmp_path, command, name):
    content, reason, line = HOSTILE[name]
    path = tmp_path / name
    _write(path, content)
    result = invoke(*_args(command, tmp_path, path))
    assert result.exit_code == 1, result.output
    assert f"error: {path}" in result.output and reason in result.output and "Traceback" not in result.output
    if line:
        assert f"{path}:{line}:" in result.output
    assert path.read_bytes() == (content if isinstance(content, bytes) else content.encode("utf-8"))  # fmt wrote nothing


@pytest.mark.slow  # a process a file: serve would serve forever what it accepted
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_refused_by_serve(tmp_path, name):
    content, reason, line = HOSTILE[name]
    path = tmp_path / name
    _write(path, content)
    try:
        done = subprocess.run([sys.executable, "-m", "tkigraph", "serve", "--port", "0", "--data", str(path)],
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`tkigraph serve --data {name}` served the file instead of refusing it")
    assert done.returncode == 1 and reason in done.stderr and "Traceback" not in done.stderr
    if line:
        assert f"{path}:{line}:" in done.stderr


@pytest.mark.parametrize("command", sorted(EVERY_COMMAND) + sorted(IMPORT_COMMANDS))
def test_directory_and_oversized_file_refused_alike(invoke, tmp_path, monkeypatch, command):
    result = invoke(*_args(command, tmp_path, tmp_path))
    assert result.exit_code in (1, 2) and "is a directory" in result.output  # 2: click's own check of a FILE argument
    big = tmp_path / "big.ttl"
    with big.open("wb") as handle:  # sparse: refused on its size alone, never read
        handle.truncate(100 * 1024 * 1024)
    result = invoke(*_args(command, tmp_path, big))
    assert result.exit_code == 1 and "file too large" in result.output and "TKIGRAPH_MAX_FILE_MB" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", sorted(EVERY_COMMAND) + sorted(IMPORT_COMMANDS) + ["serve"])
def test_fifo_refused_at_once_never_read(tmp_path, command):
    """A FIFO as a file to load is refused by name without being opened (opening it would block)."""
    fifo = tmp_path / "fifo.ttl"
    os.mkfifo(fifo)
    args = ["serve", "--port", "0", "--data", str(fifo)] if command == "serve" else _args(command, tmp_path, fifo)
    try:  # the timeout only stops a command that blocks; it is no speed test
        done = subprocess.run([sys.executable, "-m", "tkigraph", *args],
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`tkigraph {command}` blocked on a FIFO instead of refusing it")
    assert done.returncode == 1 and "is a FIFO" in done.stderr and "Traceback" not in done.stderr


def test_raised_limit_checks_a_large_file_as_a_stream(invoke, tmp_path, monkeypatch):
    """Past the limit a file is refused; with the limit raised it is scanned chunk by chunk, so a
    forbidden character far beyond the first chunk is still found, with its line."""
    from tkigraph import hostile

    monkeypatch.setattr(hostile, "CHUNK", 1000)
    path = tmp_path / "long.ttl"
    lines = ["@prefix ex: <http://e/> ."] + [f'ex:s{i} ex:p "value {i}" .' for i in range(500)]
    lines[400] = 'ex:s400 ex:p "hidden \u202e here" .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("TKIGRAPH_MAX_FILE_MB", "0.001")
    assert "file too large" in invoke("query", "ASK {}", "--data", str(path)).output
    monkeypatch.setenv("TKIGRAPH_MAX_FILE_MB", "1")
    result = invoke("query", "ASK {}", "--data", str(path))
    assert result.exit_code == 1 and "U+202E" in result.output and "long.ttl:401:" in result.output
    lines[400] = 'ex:s400 ex:p "plain" .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://e/p> ?o }", "--format", "csv",
                    "--data", str(path))
    assert result.exit_code == 0 and result.output.split() == ["n", "500"]


def test_a_file_that_renames_a_curated_entity_is_named(invoke, tmp_path):
    """`--data` giving tkd:imatinib the label "aspirin" is said on every store command, and `show`
    tells which file said it (issue 20, item 6)."""
    path = tmp_path / "relabel.ttl"
    path.write_text('@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n'
                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    'tkd:imatinib rdfs:label "aspirin" .\n', encoding="utf-8")
    result = invoke("explain", "imatinib", "T315I", "--data", str(path))
    assert result.exit_code == 0
    assert f"{path} gives tkd:imatinib the name 'aspirin' (curated name 'imatinib')" in result.output
    plain = invoke("explain", "imatinib", "T315I")
    assert "note:" not in plain.output
    shown = invoke("show", "imatinib", "--data", str(path), "--format", "json")
    assert json.loads(shown.stdout)["from_files"] == {str(path): ["rdfs:label aspirin"]}


# -- the loader fuzzer, through every command -------------------------------------------------------------
#: examples per run (each runs every command); a long run: TKIGRAPH_FUZZ_EXAMPLES=3000 pytest tests/test_inputs.py -k fuzz
FUZZ_EXAMPLES = max(int(os.environ.get("TKIGRAPH_FUZZ_EXAMPLES", "300")) // 30, 1)
#: a small valid file that the fuzzer mutates
FUZZ_BASE = ('@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n'
             '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
             'tkd:fuzz_drug rdfs:label "fuzz drug" ;\n'
             '    rdfs:comment """two\nlines""" ; rdfs:seeAlso <http://example.org/fuzz> .\n')
#: what the fuzzer inserts: hostile characters raw and escaped, syntax, markup, bytes that are not UTF-8
FUZZ_PIECES = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\ufeff", "é", "\\u202E", "\\u0000",
               "\\U0001F600", "\\q", '"', '"""', "'", "<", ">", " ", "\n", "\\", "^^", "@en", ";", ".", ",", "#",
               "@prefix x: <http://x/> .", "<!DOCTYPE x>", "<?xml", "tkd:", "_:b", "[]", "()", "1.5e3", "\xff"]
#: the commands the fuzzer runs (fmt would rewrite an accepted file; validate --with-kb re-parses the whole graph)
FUZZ_COMMANDS = sorted(set(EVERY_COMMAND) - {"fmt", "validate --with-kb"})


@st.composite
def mutated_turtle(draw) -> bytes:
    text = FUZZ_BASE
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(FUZZ_PIECES)) + text[at:]
    data = text.encode("utf-8").replace("\xff".encode(), b"\xff")  # a lone 0xFF byte: not UTF-8
    return data[: draw(st.integers(len(data) // 2, len(data)))] if draw(st.booleans()) else data


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=mutated_turtle())
def test_fuzzed_file_gets_one_verdict_from_every_command(tmp_path_factory, data):
    """Every command refuses a mutated file (exit 1, ``error: FILE...``, no traceback) or every command
    accepts it: none accepts what another refuses."""
    from tkigraph.cli import cli

    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzz.ttl"
    path.write_bytes(data)
    refused = {}
    for command in FUZZ_COMMANDS:
        result = CliRunner().invoke(cli, _args(command, folder, path))
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, data, result.exception)
        assert "Traceback" not in result.output, (command, data)
        refused[command] = result.exit_code == 1 and f"error: {path}" in result.output
    assert len(set(refused.values())) == 1, (data, refused)


def test_the_rename_note_is_kept_beside_the_store_and_said_again(invoke, tmp_path, monkeypatch):
    """The rename query runs once per store (issue 19); the next call says the same from the kept notes."""
    import tkigraph.storage.provenance as provenance

    path = tmp_path / "relabel.ttl"
    path.write_text('@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n'
                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    'tkd:imatinib rdfs:label "aspirin" .\n', encoding="utf-8")
    note = f"{path} gives tkd:imatinib the name 'aspirin' (curated name 'imatinib')"
    assert note in invoke("explain", "imatinib", "T315I", "--data", str(path)).output
    asked = []
    monkeypatch.setattr(provenance, "renamed", lambda store: asked.append(store) or [])
    again = invoke("explain", "imatinib", "T315I", "--data", str(path))
    assert again.exit_code == 0 and note in again.output and asked == []
