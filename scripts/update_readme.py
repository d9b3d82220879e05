"""Regenerate the command outputs shown in README.md and docs/*.md.

Every block between ``<!-- BEGIN <command> -->`` and ``<!-- END -->`` is
replaced by what that tkigraph command prints now, so the documentation never
shows typed-by-hand output. Run: ``python scripts/update_readme.py``
(``--check`` to only report stale blocks, exit 1 if any).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

from tkigraph.cli import cli

REPO = Path(__file__).resolve().parents[1]
#: the files whose generated blocks this script keeps current
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"(<!-- BEGIN (?P<cmd>.+?) -->\n)(?P<body>.*?)(<!-- END -->)", re.S)


def render(command: str) -> str:
    args = shlex.split(command)[1:]  # drop the leading "tkigraph"
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    output = result.output.rstrip("\n")
    if "--format markdown" in command and args[0] == "coverage":
        return output + "\n"
    return f"```console\n$ {command}\n{output}\n```\n"


def update(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + render(m.group("cmd")) + m.group(4), text)


def main() -> int:
    import os
    import tempfile

    # the README shows the shipped knowledge base: never a developer's imported sources
    os.environ["TKIGRAPH_DATA_DIR"] = tempfile.mkdtemp(prefix="tkigraph-readme-")
    stale = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        if "--check" in sys.argv:
            for match in BLOCK.finditer(text):
                if match.group("body") != render(match.group("cmd")):
                    stale.append(f"{document.relative_to(REPO)}: {match.group('cmd')}")
        else:
            new = update(text)
            if new != text:
                document.write_text(new, encoding="utf-8")
    for block in stale:
        print(f"stale block: {block}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
