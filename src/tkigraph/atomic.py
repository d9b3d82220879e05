"""The one way tkigraph writes a file: whole, or not at all.

:func:`write_atomic_bytes` writes to a temporary file beside the target and renames
it into place, so a reader sees the old file or the new one, never a part. Every
file tkigraph writes (exports, imports, pages, caches, canonical formatting) goes
through it; a test finds no other writer.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import TkigraphError

__all__ = ["write_atomic", "write_atomic_bytes"]


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) atomically: see :func:`write_atomic_bytes`."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place.

    A reader sees the old file or the new one, never a part; the new file gets
    the usual permissions (the umask), not the temporary file's 0600.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise TkigraphError(f"{path}: the folder {path.parent} does not exist", hint="create it, or write elsewhere")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
