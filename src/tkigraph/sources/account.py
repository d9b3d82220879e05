"""The account of an import: what became of every record, and the loop that keeps it exact.

Every record read ends in exactly one of four outcomes::

    read = imported + merged + skipped (by reason) + rejected

* **imported**: the record gave one finding or more;
* **merged**: the record makes the same claim, from the same publication, as an earlier
  record of the file (same variant, drug, disease, effect, direction and level): its
  identifier is added to that finding instead of a duplicate;
* **skipped**, with the reason: outside tkigraph's scope (not predictive, no kinase
  inhibitor, a feature tkigraph does not model ...);
* **rejected**, with its line number and the reason: malformed or hostile.

:func:`run` drives an importer's ``row`` method over the records, rolling back the
triples of a record that fails half-way (see :class:`~tkigraph.sources.safe.GuardedGraph`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .rejects import Rejects
from .safe import GuardedGraph, UnsafeTerm, check_fields
from .table import Reject

#: one record of a source, as its reader yields it (field name -> value)
Record = dict[str, Any]

__all__ = ["IMPORTED", "MERGED", "Account", "Bad", "Skip", "run"]

#: outcomes an importer's ``row`` returns, with the number of findings it wrote
IMPORTED, MERGED = "imported", "merged"


class Skip(Exception):
    """The record is outside tkigraph's scope; the message is the reason (counted)."""


class Bad(Exception):
    """The record is malformed; the message is the reason (reported with its line)."""


@dataclass
class Account:
    """What became of every record: read = imported + merged + skipped + rejected."""

    path: str
    layout: str
    source: str = "civic"
    unit: str = "line"  #: what a reject's number counts (a line of the file)
    release: str | None = None
    newest_record: str | None = None  #: the date of the newest review or update in the file
    licence: str | None = None
    rows_read: int = 0
    imported: int = 0
    merged: int = 0
    findings: int = 0
    new_drugs: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    rejected: Rejects = field(default_factory=Rejects)
    notes: list[str] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def balanced(self) -> bool:
        return self.rows_read == self.imported + self.merged + self.skipped_total + len(self.rejected)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "layout": self.layout, "release": self.release,
                "newest_record": self.newest_record, "licence": self.licence,
                "rows_read": self.rows_read, "imported": self.imported, "merged": self.merged,
                "skipped": self.skipped_total, "rejected": len(self.rejected), "findings": self.findings,
                "new_drugs": self.new_drugs, "skipped_by_reason": dict(sorted(self.skipped.items())),
                "notes": self.notes}

    def summary(self) -> str:
        lines = [(f"rows read: {self.rows_read} = imported {self.imported} + merged {self.merged}"
                  f" + skipped {self.skipped_total} + rejected {len(self.rejected)}"),
                 f"findings: {self.findings} (new drugs: {self.new_drugs})"]
        by_count = sorted(self.skipped.items(), key=lambda i: (-i[1], i[0]))
        lines += [f"  skipped, {reason}: {n}" for reason, n in by_count]
        lines += [f"  rejected, {self.unit} {r.line}: {r.reason}" for r in self.rejected.first(20)]
        if len(self.rejected) > 20:
            lines.append(f"  ... and {len(self.rejected) - 20} more rejected rows")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def run(records: Iterable[tuple[int, Record | Reject]], row: Callable[[Record], tuple[str, int]], out: GuardedGraph,
        account: Account, *, ident: str, on_rollback: Callable[[], None] = lambda: None,
        progress: Callable[[int], None] | None = None) -> None:
    """Feed each record to ``row`` (which returns an outcome and a number of findings) and count it.

    ``ident`` names the record's identifier field (for the rejects report); ``on_rollback``
    runs after a skipped or rejected record is rolled back (the importer forgets what it cached).
    """
    for number, record in records:
        account.rows_read += 1
        if isinstance(record, Reject):
            account.rejected.append(record)
        else:
            _one(number, record, row, out, account, ident, on_rollback)
        if progress is not None:
            progress(1)


def _one(number: int, record: Record, row: Callable[[Record], tuple[str, int]], out: GuardedGraph,
         account: Account, ident: str, on_rollback: Callable[[], None]) -> None:
    ident_value = str(record.get(ident, ""))[:40]
    unsafe = check_fields({k: v for k, v in record.items() if isinstance(v, str)})
    if unsafe:
        account.rejected.append(Reject(number, unsafe, ascii(ident_value)[1:-1]))
        return
    out.begin_row()
    try:
        outcome, findings = row(record)
    except Skip as why:
        if out.rollback_row():
            on_rollback()
        account.skipped[str(why)] += 1
        return
    except (Bad, UnsafeTerm) as why:
        if out.rollback_row():
            on_rollback()
        account.rejected.append(Reject(number, str(why), ident_value))
        return
    out.commit_row()
    account.findings += findings
    if outcome == MERGED:
        account.merged += 1
    else:
        account.imported += 1


def main_for(import_file: Callable[[str], tuple[Any, Account]], usage: str, argv: list[str] | None,
             heading: Callable[[str, Account], str]) -> int:
    """The ``python -m tkigraph.sources.<name> FILE`` entry of an importer: import FILE in memory and
    print the account (``heading`` names the file and what it holds)."""
    import sys

    from ..errors import TkigraphError

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"usage: {usage}", file=sys.stderr)
        return 2
    try:
        graph, account = import_file(args[0])
    except TkigraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"{heading(args[0], account)}: {len(graph)} triples")
    print(account.summary())
    return 0

