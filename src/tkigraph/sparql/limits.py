"""Run a local query under a wall-clock limit that really stops it.

Neither rdflib nor pyoxigraph can interrupt a query from Python, so
:func:`run_limited` runs the query in a forked child process (which shares the
loaded graph, copy-on-write) and kills it at the limit; the caller gets
:class:`QueryTimeout` ("query stopped after N s") and carries on. A result with
more than ``max_rows`` rows is refused with :class:`ResultTooLarge`.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ..errors import TkigraphError
from .engine import Binding, Engine, Portable, Result

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

__all__ = ["QueryTimeout", "ResultTooLarge", "run_limited"]


class QueryTimeout(TkigraphError):
    """The query ran past its time limit and was stopped."""


class ResultTooLarge(TkigraphError):
    """The result has more rows than allowed."""


def _child(engine: Engine, text: str, bindings: dict[str, Binding], conn: Connection, write: str | None) -> None:
    try:
        conn.send(("ok", engine.portable(text, bindings, write)))
    except TkigraphError as exc:
        conn.send(("error", exc))
    except Exception as exc:  # report anything else as a query failure, never a traceback
        conn.send(("error", TkigraphError(f"query failed: {exc}", "check the query")))
    finally:
        conn.close()


def run_limited(engine: Engine, text: str, bindings: Mapping[str, Binding] | None = None,
                timeout: float = 10.0, max_rows: int | None = None,
                meanwhile: Callable[[], object] | None = None, write: str | None = None) -> Result:
    """``engine.query(text, bindings)`` stopped after ``timeout`` seconds (0: no limit).

    ``meanwhile`` runs in this process while the child evaluates (the caller's own imports, say:
    the child sends plain data, so neither side needs rdflib until the answer is read).
    ``write="json"``: an engine with its own SPARQL 1.1 JSON writer returns the answer written
    (:attr:`Result.written`).
    """
    if not timeout or "fork" not in mp.get_all_start_methods():
        if meanwhile is not None:
            meanwhile()
        answer = engine.portable(text, bindings, write)
        result = answer.result() if isinstance(answer, Portable) else answer
    else:
        context = mp.get_context("fork")
        parent, child = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(engine, text, dict(bindings or {}), child, write), daemon=True)
        process.start()
        child.close()
        if meanwhile is not None:
            meanwhile()
        if not parent.poll(timeout):
            process.kill()
            process.join()
            raise QueryTimeout(f"query stopped after {timeout:g} s (the time limit)",
                               "add LIMIT, narrow the patterns, or raise --timeout (0 for none)")
        try:
            status, payload = parent.recv()
        except EOFError:
            raise TkigraphError("the query process died without an answer", "try --engine rdflib") from None
        process.join()
        if status == "error":
            raise payload
        result = payload.result() if isinstance(payload, Portable) else payload
    if max_rows is not None and result.size > max_rows:
        raise ResultTooLarge(f"the result has {result.size} rows, more than --max-rows {max_rows}",
                             "add LIMIT or raise --max-rows")
    return result
