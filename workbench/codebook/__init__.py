"""Codebooks: codes in a hierarchy with definitions, and the tools around them.

Load, check and save YAML codebooks and compare two versions (REFI-QDA ``.qdc`` files are
read and written by :mod:`workbench.refi_qda`). The default sociotechnical codebook ships in
``codebooks/sociotechnical.yaml``.
"""

from workbench.codebook.diff import CHANGES, diff
from workbench.codebook.io import load_codebook, save_codebook, to_markdown_table
from workbench.codebook.model import ChangelogEntry, Code, Codebook
from workbench.codebook.validate import Problem, check, slugify, validate

__all__ = [
    "CHANGES",
    "ChangelogEntry",
    "Code",
    "Codebook",
    "Problem",
    "check",
    "diff",
    "load_codebook",
    "save_codebook",
    "slugify",
    "to_markdown_table",
    "validate",
]
