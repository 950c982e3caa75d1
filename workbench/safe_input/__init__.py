"""Reading input from an unknown sender without trusting it (bounded YAML and XML, checked
zips)."""

from workbench.safe_input.xml_data import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT,
    MAX_XML_BYTES,
    check_size,
    parse_lxml,
    parse_xml,
)
from workbench.safe_input.yaml_data import MAX_YAML_VALUES, UnsafeYaml, load_yaml
from workbench.safe_input.zips import (
    MAX_ZIP_ENTRIES,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL,
    UnsafeZip,
    check_zip,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_TEXT",
    "MAX_XML_BYTES",
    "MAX_YAML_VALUES",
    "MAX_ZIP_ENTRIES",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_TOTAL",
    "UnsafeYaml",
    "UnsafeZip",
    "check_size",
    "check_zip",
    "load_yaml",
    "parse_lxml",
    "parse_xml",
]
