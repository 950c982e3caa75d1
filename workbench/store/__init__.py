"""The project store: one SQLite database per project folder.

``connect`` opens it with WAL journaling, foreign keys and a busy timeout; ``atomic`` wraps a
unit of work in one transaction (savepoints when nested); ``migrate`` applies the numbered
schema migrations; ``append_audit`` writes the append-only audit log (``append_audit_rows``
brings in another copy's rows) and ``history`` reads it; ``create_project_file`` and
``open_project_file`` make and open a project's database, ``settings`` reads what it stores
about itself and ``set_meta`` records more (where a coder's copy came from).
"""

from workbench.store.audit import append_audit, append_audit_rows, history
from workbench.store.connection import DB_NAME, atomic, connect
from workbench.store.project_file import (
    connect_checked,
    create_project_file,
    default_user,
    open_project_file,
    set_meta,
    settings,
)
from workbench.store.schema import SCHEMA_VERSION, migrate, schema_version

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "append_audit",
    "append_audit_rows",
    "atomic",
    "connect",
    "connect_checked",
    "create_project_file",
    "default_user",
    "history",
    "migrate",
    "open_project_file",
    "schema_version",
    "set_meta",
    "settings",
]
