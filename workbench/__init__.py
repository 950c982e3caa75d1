"""workbench: code interviews and field notes, and link them to an AI system's deployment logs."""

__version__ = "0.1.0"

from workbench.project import Project  # noqa: E402

__all__ = ["Project", "__version__"]
