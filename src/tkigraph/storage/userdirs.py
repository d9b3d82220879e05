"""Where tkigraph keeps its files by default: the user's data and cache directories.

platformdirs decides; on Linux the answer is the XDG rule (``$XDG_DATA_HOME`` or ``$XDG_CACHE_HOME`` when absolute,
else ``~/.local/share`` or ``~/.cache``, then ``tkigraph``), read here without importing platformdirs, which
imports ``tempfile`` and costs about 6 ms on every call of every command. Anything else (another system, a
relative or missing home) is asked of platformdirs; ``tests/test_cache.py`` checks both give the same folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: kind -> (XDG variable, default under the home directory)
_XDG = {"data": ("XDG_DATA_HOME", ".local/share"), "cache": ("XDG_CACHE_HOME", ".cache")}


def user_dir(kind: str) -> Path:
    """The user's ``"data"`` or ``"cache"`` directory for tkigraph (created by whoever writes into it)."""
    variable, default = _XDG[kind]
    if sys.platform.startswith("linux"):
        base = os.environ.get(variable, "")
        if os.path.isabs(base):
            return Path(base, "tkigraph")
        home = os.environ.get("HOME", "")
        if os.path.isabs(home):
            return Path(home.rstrip("/") or "/", default, "tkigraph")
    import platformdirs

    return Path(platformdirs.user_data_dir("tkigraph") if kind == "data" else platformdirs.user_cache_dir("tkigraph"))
