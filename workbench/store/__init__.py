"""The project store: one SQLite database per project folder.

``connect`` opens it with WAL journaling, foreign keys and a busy timeout; ``atomic`` wraps a
unit of work in one transaction (savepoints when nested); ``migrate`` applies the numbered
schema migrations; ``append_audit`` writes the append-only audit log.
"""

from workbench.store.audit import append_audit
from workbench.store.connection import DB_NAME, atomic, connect
from workbench.store.schema import SCHEMA_VERSION, migrate, schema_version

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "append_audit",
    "atomic",
    "connect",
    "migrate",
    "schema_version",
]
