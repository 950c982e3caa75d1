"""Intercoder reliability: agreement statistics for coded units and for unitized text.

One module per estimator: ``alpha`` (Krippendorff's alpha and its bootstrap interval) and
``kappas`` (Cohen's, Fleiss' and Brennan-Prediger's kappa, Gwet's AC1, percent agreement) for
predefined units; ``unitizing`` (u-alpha and cu-alpha, Krippendorff et al. 2016, with a
document bootstrap) and ``unitizing_2004`` (Krippendorff 1995/2004) for spans that coders
drew themselves on a text. They share the private ``_data`` (reliability data, coincidences,
undefined results), ``_interval`` (the bootstrap interval's record and limits) and ``_spans``
(coded spans cut into units and gaps). ``agreement`` and ``reconcile`` work on a project.
"""

from workbench.reliability._data import (
    LEVELS,
    ReliabilityWarning,
    reliability_data,
)
from workbench.reliability._interval import AlphaInterval
from workbench.reliability.agreement import (
    OVERALL,
    SUGGESTER,
    agreement,
    unitizing_agreement,
)
from workbench.reliability.alpha import alpha_ci, coincidence_matrix, krippendorff_alpha
from workbench.reliability.kappas import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
)
from workbench.reliability.reconcile import CONSENSUS, disagreements, reconcile
from workbench.reliability.unitizing import unitizing_alpha, unitizing_alpha_ci
from workbench.reliability.unitizing_2004 import unitizing_alpha_2004

__all__ = [
    "CONSENSUS",
    "OVERALL",
    "SUGGESTER",
    "agreement",
    "disagreements",
    "reconcile",
    "unitizing_agreement",
    "LEVELS",
    "AlphaInterval",
    "ReliabilityWarning",
    "alpha_ci",
    "brennan_prediger",
    "cohen_kappa",
    "coincidence_matrix",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability_data",
    "unitizing_alpha",
    "unitizing_alpha_2004",
    "unitizing_alpha_ci",
]
