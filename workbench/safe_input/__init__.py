"""Reading input from an unknown sender without trusting it (bounded YAML, checked zips)."""

from workbench.safe_input.yaml_data import MAX_YAML_VALUES, UnsafeYaml, load_yaml
from workbench.safe_input.zips import (
    MAX_ZIP_ENTRIES,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL,
    UnsafeZip,
    check_zip,
)

__all__ = [
    "MAX_YAML_VALUES",
    "MAX_ZIP_ENTRIES",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_TOTAL",
    "UnsafeYaml",
    "UnsafeZip",
    "check_zip",
    "load_yaml",
]
