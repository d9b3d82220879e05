"""Fetch an upstream export over HTTP(S) into a temporary file (standard library only)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from ..errors import TkigraphError
from ..version import __version__

__all__ = ["download"]

#: seconds to wait for the server before giving up
TIMEOUT = 120


@contextlib.contextmanager
def download(url: str, timeout: float = TIMEOUT) -> Iterator[Path]:
    """Download ``url`` to a temporary file, yield its path, and delete it afterwards."""
    if not url.lower().startswith(("http://", "https://")):
        raise TkigraphError(f"not an http(s) URL: {url!r}", "pass an http:// or https:// URL to --url")
    fd, name = tempfile.mkstemp(prefix="tkigraph-download-", suffix=".tsv")
    path = Path(name)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": f"tkigraph/{__version__}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response, os.fdopen(fd, "wb") as out:
                fd = -1
                for block in iter(lambda: response.read(1 << 16), b""):
                    out.write(block)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise TkigraphError(f"could not download {url}: {reason}",
                                "check the network (or the URL), or download the file yourself and "
                                "pass it: tkigraph import civic FILE") from None
        yield path
    finally:
        if fd != -1:
            os.close(fd)
        path.unlink(missing_ok=True)
