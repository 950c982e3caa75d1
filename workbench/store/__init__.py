"""The project store: one SQLite database per project folder.

``connect`` opens it with WAL journaling, foreign keys and a busy timeout; ``atomic`` wraps a
unit of work in one transaction (savepoints when nested); ``migrate`` applies the numbered
schema migrations; ``append_audit`` writes the append-only audit log and ``history`` reads
it; ``create_project_file`` and ``open_project_file`` make and open a project's database, and
``settings`` reads what it stores about itself.
"""

from workbench.store.audit import append_audit, history
from workbench.store.connection import DB_NAME, atomic, connect
from workbench.store.project_file import (
    connect_checked,
    create_project_file,
    default_user,
    open_project_file,
    settings,
)
from workbench.store.schema import SCHEMA_VERSION, migrate, schema_version

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "append_audit",
    "atomic",
    "connect",
    "connect_checked",
    "create_project_file",
    "default_user",
    "history",
    "migrate",
    "open_project_file",
    "schema_version",
    "settings",
]
