"""Executed reports as evidence: the analysis notebooks run against a project, kept with the
digests of what went in and what came out (``provenance.json``)."""

from workbench.report.execute import NOTEBOOKS, run_id, run_report
from workbench.report.manifest import MANIFEST, Run
from workbench.report.provenance import (
    CODING_COLUMNS,
    VOLATILE_OUTPUT_FIELDS,
    canonical_json,
    input_digests,
    output_digests,
)

__all__ = ["CODING_COLUMNS", "MANIFEST", "NOTEBOOKS", "VOLATILE_OUTPUT_FIELDS", "Run",
           "canonical_json", "input_digests", "output_digests", "run_id", "run_report"]
