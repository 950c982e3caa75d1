"""Triangulation: link coded evidence to deployment-log metrics by unit, role and time.

The one thing no QDA tool does. The pieces, each in its own module:

* :mod:`.keys` - the crosswalk between qualitative attributes (``ward``, "staff nurse") and
  log keys (``unit``, ``nurse``);
* :mod:`.timeline` and :mod:`.references` - timeline events, and a researcher's links from a
  passage to an event or a period;
* :mod:`.evidence` - every coded segment's time extent and precision, never guessed;
* :mod:`.cells` and :mod:`.matrix` - the mixed matrix: material, code densities and log
  metrics per key value x period;
* :mod:`.gap` - the repair-gap analysis (does repair talk follow the system's gap?);
* :mod:`.around` - a timeline event's before and after, with intervals;
* :mod:`.inferences` and :mod:`.convergence` - meta-inferences as records (claim, fit,
  evidence, the metric query re-run and checked) and the convergence coding matrix.
* :mod:`.displays` and :mod:`.joint` - joint displays (side-by-side, statistics by theme,
  case-ordered, timeline) as tidy tables, charts and offline pages.
"""

from workbench.triangulate.around import around
from workbench.triangulate.convergence import ConvergenceMatrix, convergence_matrix
from workbench.triangulate.evidence import TimeRules
from workbench.triangulate.inferences import (
    FARMER,
    FETTERS,
    FRAMEWORKS,
    INFERENCE_COLUMNS,
    infer,
    inferences,
    retract_inference,
    revise_inference,
)
from workbench.triangulate.joint import KINDS, Display, joint_display
from workbench.triangulate.keys import ALL, LOG_KEYS, Key, crosswalk, read_keys, set_keys
from workbench.triangulate.matrix import MixedMatrix, mixed_matrix
from workbench.triangulate.metrics import METRIC_COLUMNS
from workbench.triangulate.references import refer, references, unrefer
from workbench.triangulate.repair import RepairGap, repair_gap
from workbench.triangulate.timeline import TimelineEvent, set_timeline, timeline

__all__ = [
    "ALL",
    "FARMER",
    "FETTERS",
    "FRAMEWORKS",
    "INFERENCE_COLUMNS",
    "KINDS",
    "LOG_KEYS",
    "METRIC_COLUMNS",
    "ConvergenceMatrix",
    "Display",
    "Key",
    "MixedMatrix",
    "RepairGap",
    "TimeRules",
    "TimelineEvent",
    "around",
    "convergence_matrix",
    "crosswalk",
    "infer",
    "inferences",
    "joint_display",
    "mixed_matrix",
    "read_keys",
    "refer",
    "references",
    "repair_gap",
    "retract_inference",
    "revise_inference",
    "set_keys",
    "set_timeline",
    "timeline",
    "unrefer",
]
