"""Reading a researcher's YAML file (a crosswalk, a timeline) with numbered errors."""

from __future__ import annotations

from pathlib import Path

import yaml

from workbench.errors import TriangulationError
from workbench.safe_input import UnsafeYaml, load_yaml


def read_yaml(path: Path, what: str, number: int):
    """The plain data in ``path`` (bounded YAML); any failure is ``WB-TRIANGULATE-<number>``
    naming the file and ``what`` it should hold."""
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise TriangulationError(number, f"{path}: cannot read the {what} ({err}).") from err
    except UnsafeYaml as err:
        raise TriangulationError(number, f"{path.name}: the {what} is refused: {err}."
                                 ) from err
    except yaml.YAMLError as err:
        raise TriangulationError(number, f"{path.name} is not valid YAML: {err}. Fix the "
                                 "file.") from err
