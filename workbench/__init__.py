"""workbench: code interviews and field notes, and link them to an AI system's deployment logs."""

__version__ = "0.1.0"

__all__ = ["Project", "__version__"]


def __getattr__(name: str):
    """Import :class:`~workbench.project.Project` on first use (PEP 562).

    ``import workbench`` (and so every ``workbench`` command, ``--help`` included) stays light:
    the analysis libraries behind ``Project`` are loaded only by code that uses it.
    """
    if name == "Project":
        from workbench.project import Project

        globals()["Project"] = Project
        return Project
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
