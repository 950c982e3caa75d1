"""One exception family for workbench, with numbered, actionable messages.

Every error a researcher can meet carries a stable code (``WB-IMPORT-003``: domain and number,
listed by domain in the README's "Errors" section) and a message that names the file, line,
field or id at fault and says what to do next.
"""

from __future__ import annotations

__all__ = [
    "WorkbenchError",
    "ProjectError",
    "ImportError_",
    "CodebookError",
    "CodingError",
    "InteropError",
    "ReliabilityError",
    "LogsError",
    "TriangulationError",
    "ReportError",
    "TeamError",
    "SemanticError",
    "TopicsError",
    "LearnError",
]


class WorkbenchError(Exception):
    """Base class: ``code`` is the stable error number, ``str(err)`` the full message."""

    prefix = "WB"

    def __init__(self, number: int, message: str) -> None:
        self.code = f"{self.prefix}-{number:03d}"
        self.message = message
        super().__init__(f"{self.code}: {message}")

    def __reduce__(self):
        """Pickle by number and message, so errors cross from worker processes intact."""
        return (self.__class__, (int(self.code.rsplit("-", 1)[1]), self.message))


class ProjectError(WorkbenchError):
    """The project folder or its database: missing, foreign, too new, locked."""

    prefix = "WB-PROJECT"


class ImportError_(WorkbenchError):
    """A file that cannot be imported (format, encoding, structure, attributes)."""

    prefix = "WB-IMPORT"


class CodebookError(WorkbenchError):
    """A codebook file or a codebook operation that would break the codebook."""

    prefix = "WB-CODEBOOK"


class CodingError(WorkbenchError):
    """A coding, memo or suggestion that cannot be stored as asked."""

    prefix = "WB-CODING"


class InteropError(WorkbenchError):
    """A file from another program (XML, REFI-QDA) that cannot be read safely or at all."""

    prefix = "WB-INTEROP"


class ReliabilityError(WorkbenchError):
    """Reliability data an agreement statistic cannot be computed on (shape, options, spans)."""

    prefix = "WB-RELIABILITY"


class LogsError(WorkbenchError):
    """Deployment logs: a mapping, a log file or a metric request that cannot be carried out."""

    prefix = "WB-LOGS"


class TriangulationError(WorkbenchError):
    """Linking coded evidence to log metrics: keys, timeline events, references, cells."""

    prefix = "WB-TRIANGULATE"


class ReportError(WorkbenchError):
    """An executed report: a notebook that is missing, has no parameters cell, or fails."""

    prefix = "WB-REPORT"


class TeamError(WorkbenchError):
    """Team coding across machines: a copy that cannot be made, or merged back safely."""

    prefix = "WB-TEAM"


class SemanticError(WorkbenchError):
    """Embeddings and semantic search: a backend, unit or query that cannot be used."""

    prefix = "WB-SEMANTIC"


class TopicsError(WorkbenchError):
    """Topic discovery: a unit, selection, number of topics or run that cannot be used."""

    prefix = "WB-TOPICS"


class LearnError(WorkbenchError):
    """Learned suggestions: a code, coder or set of examples a classifier cannot learn from."""

    prefix = "WB-LEARN"
