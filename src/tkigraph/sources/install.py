"""Write an imported source into the user data directory: atomically, canonically, with its account.

``<data dir>/sources/<name>.ttl`` holds the triples in canonical Turtle (sorted,
so the same input gives the same bytes); ``<name>.json`` the account (input
file, its sha256, row counts, date); ``<name>_rejects.tsv`` every rejected row
with its line number and reason. Each file is written to a temporary file and
renamed into place (:func:`tkigraph.canon.write_atomic`), so an interrupted
import leaves the previous one intact. Re-importing the same file changes
nothing, the date included.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph

from .. import __version__
from ..canon import write_atomic
from ..store import sources_dir

__all__ = ["Installed", "install", "sha256_of", "rejects_text"]


@dataclass(frozen=True)
class Installed:
    """Where an import was written, and whether anything changed."""

    turtle: Path
    metadata: Path
    rejects: Path
    changed: bool


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def rejects_text(account) -> str:
    """The rejects report: one tab-separated line per rejected row."""
    lines = ["line\tevidence_id\treason"]
    lines += [f"{r.line}\t{r.evidence_id}\t{r.reason}" for r in account.rejected]
    return "\n".join(lines) + "\n"


def install(name: str, graph: Graph, account, *, origin: str, sha256: str) -> Installed:
    """Write ``graph`` and ``account`` as source ``name``; ``origin`` is the file or URL read."""
    folder = sources_dir()
    folder.mkdir(parents=True, exist_ok=True)
    turtle, metadata, rejects = folder / f"{name}.ttl", folder / f"{name}.json", folder / f"{name}_rejects.tsv"
    text = graph.serialize(format="longturtle")
    meta = {"source": name, "origin": origin, "sha256": sha256, **account.to_dict(),
            "triples": len(graph), "tkigraph_version": __version__}
    old = _read_json(metadata)
    same = (turtle.is_file() and old.get("sha256") == sha256
            and {k: old.get(k) for k in meta} == meta and turtle.read_text(encoding="utf-8") == text)
    if same:
        return Installed(turtle, metadata, rejects, changed=False)
    meta["imported_at"] = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    write_atomic(rejects, rejects_text(account))
    write_atomic(turtle, text)
    write_atomic(metadata, json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return Installed(turtle, metadata, rejects, changed=True)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
