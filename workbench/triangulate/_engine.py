"""The project's deployment logs as an Ibis table for one analysis, closed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.logs.backends import connect, has_logs, site_shifts
from workbench.logs.mapping import Shifts

if TYPE_CHECKING:
    import ibis.expr.types as ir


@contextmanager
def project_events(folder: Path) -> Iterator[tuple[ir.Table | None, Shifts]]:
    """(events, the site's shift times) of a project folder; (None, default shifts) when it
    has no logs."""
    if not has_logs(folder):
        yield None, Shifts()
        return
    events = connect(folder)
    try:
        yield events, site_shifts(events)
    finally:
        events.get_backend().disconnect()
