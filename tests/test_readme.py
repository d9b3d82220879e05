"""The README's commands and generated blocks stay true."""

import re
import subprocess
import sys

from .constants import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    assert "pip install . && tkigraph explain imatinib T315I" in blocks[0]
    assert "pip install -e '.[test]' && pytest" in blocks[1]


def test_ci_runs_the_readme_test_command():
    test_command = re.findall(r"```bash\n(.*?)\n```", README, re.S)[1]
    assert test_command in (REPO / ".ci" / "run").read_text()


def test_generated_blocks_are_current():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "update_readme.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr + "\nrun: python scripts/update_readme.py"
