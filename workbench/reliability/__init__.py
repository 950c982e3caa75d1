"""Intercoder reliability: agreement statistics for coded units and for unitized text.

``stats`` holds the coefficients for predefined units (Krippendorff's alpha, Cohen's, Fleiss'
and Brennan-Prediger's kappa, Gwet's AC1, percent agreement); ``unitizing`` holds
Krippendorff's alpha for spans that coders drew themselves on a text.
"""

from workbench.reliability.agreement import (
    OVERALL,
    SUGGESTER,
    agreement,
    unitizing_agreement,
)
from workbench.reliability.kappas import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
)
from workbench.reliability.reconcile import CONSENSUS, disagreements, reconcile
from workbench.reliability.stats import (
    LEVELS,
    AlphaInterval,
    ReliabilityWarning,
    alpha_ci,
    coincidence_matrix,
    krippendorff_alpha,
    reliability_data,
)

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
]
