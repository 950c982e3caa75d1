"""The merge report: what a merge added, left out and found different, per copy."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: The columns of a merge report's findings.
FINDING_COLUMNS = ["source", "finding", "coder", "document", "code", "n", "detail"]
#: Findings that need a person's decision: listed first in the summary.
TO_CHECK = ("document text differs", "code only in the copy", "code retired here",
            "code merged in the copy", "same passage coded differently",
            "memo edited on both sides", "codings left out", "memo left out")


def finding_row(finding: str, *, coder: str = "", document: str = "", code: str = "",
                n: int = 1, detail: str = "") -> dict:
    """One row of a merge report (``FINDING_COLUMNS`` but the source, which
    :func:`.plan.decide` adds)."""
    return {"finding": finding, "coder": coder, "document": document, "code": code, "n": n,
            "detail": detail}


@dataclass(frozen=True)
class MergeReport:
    """What a merge did, one row per finding.

    ``findings`` columns: source (which copy), finding, coder, document, code, n (how many
    codings or memos; 0 for a fact about the codebook or the documents), detail.
    """

    findings: pd.DataFrame

    @classmethod
    def of(cls, frames: list[pd.DataFrame]) -> MergeReport:
        """One report from the findings of several copies."""
        rows = [f for f in frames if len(f)]
        return cls(pd.concat(rows, ignore_index=True) if rows
                   else pd.DataFrame(columns=FINDING_COLUMNS))

    def added(self) -> pd.DataFrame:
        """Codings added per copy and coder: source, coder, n."""
        rows = self.findings[self.findings["finding"] == "codings added"]
        return rows[["source", "coder", "n"]].reset_index(drop=True)

    def to_check(self) -> pd.DataFrame:
        """The findings a person should look at (see ``TO_CHECK``)."""
        return self.findings[self.findings["finding"].isin(TO_CHECK)].reset_index(drop=True)

    def __str__(self) -> str:
        lines = []
        for source, rows in self.findings.groupby("source", sort=False):
            added = rows[rows["finding"] == "codings added"]
            total = int(added["n"].sum())
            per = ", ".join(f"{r.coder} {r.n}" for r in added.itertuples()) or "none new"
            lines.append(f"{source}: {total} codings added ({per})")
            for r in rows[rows["finding"] != "codings added"].itertuples():
                who = " / ".join(x for x in (r.coder, r.document, r.code) if x)
                count = f" ({r.n})" if r.n else ""
                said = ": ".join(x for x in (who, r.detail) if x)
                lines.append(f"  {r.finding}{count}{': ' if said else ''}{said}")
        return "\n".join(lines) or "nothing to merge"

    def _repr_html_(self) -> str:
        return self.findings.to_html(index=False)
