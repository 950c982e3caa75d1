"""Codebooks: codes in a hierarchy with definitions, and the tools around them.

Load, check and save YAML codebooks, compare two versions, and exchange codebooks with other
QDA programs as REFI-QDA ``.qdc`` files. The default sociotechnical codebook ships in
``codebooks/sociotechnical.yaml``.
"""

from workbench.codebook.diff import CHANGES, diff
from workbench.codebook.io import load_codebook, save_codebook, to_markdown_table
from workbench.codebook.model import ChangelogEntry, Code, Codebook
from workbench.codebook.qdc import code_guid, export_qdc, import_qdc
from workbench.codebook.validate import Problem, check, slugify, validate

__all__ = [
    "CHANGES",
    "ChangelogEntry",
    "Code",
    "Codebook",
    "Problem",
    "check",
    "code_guid",
    "diff",
    "export_qdc",
    "import_qdc",
    "load_codebook",
    "save_codebook",
    "slugify",
    "to_markdown_table",
    "validate",
]
