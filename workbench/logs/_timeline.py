"""The Riverside case's fixed facts (``timeline.yaml``) as the generator and charts need them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from workbench.safe_input import load_yaml

#: The example case shipped with the repository.
RIVERSIDE = Path(__file__).resolve().parents[2] / "corpora" / "riverside"


@dataclass(frozen=True)
class WardFacts:
    """A ward as timeline.yaml describes it."""

    id: str
    name: str
    beds: int
    nurses_day: int
    nurses_night: int


@dataclass(frozen=True)
class Timeline:
    """Dates and policy of the case, as local wall-clock times of the site."""

    timezone: str
    wards: tuple[WardFacts, ...]
    go_live: datetime
    end: datetime
    day_start: time
    night_start: time
    handover_minutes: int
    threshold_before: int
    threshold_after: int
    threshold_change: datetime
    outage_start: datetime
    outage_end: datetime
    outage_notice: datetime
    vacancy_ward: str
    vacancy_start: datetime
    vacancy_night_nurses: int
    new_graduates: date
    panel_release: datetime
    auto_page_at: int
    acknowledge_within: int
    events: tuple[dict, ...]

    def shifted(self, days: int) -> Timeline:
        """The same story ``days`` later (the benchmark repeats it to make big logs)."""
        step = timedelta(days=days)
        moved = {name: getattr(self, name) + step for name in (
            "go_live", "end", "threshold_change", "outage_start", "outage_end",
            "outage_notice", "vacancy_start", "new_graduates", "panel_release")}
        return replace(self, **moved)


def read_timeline(path: Path = RIVERSIDE / "timeline.yaml") -> Timeline:
    """Read the facts the logs must agree with from ``timeline.yaml``."""
    data = load_yaml(Path(path).read_text(encoding="utf-8"))
    events = {event["id"]: event for event in data["events"]}
    outage, change = events["lab-interface-outage"], events["threshold-change"]
    vacancy = events["night-vacancies-5E"]
    wards = tuple(WardFacts(w["id"], w["name"], int(w["beds"]), int(w["nurses"]["day"]),
                            int(w["nurses"]["night"])) for w in data["wards"])
    policy = data["system"]["policy"]
    return Timeline(
        timezone=data["site"]["timezone"], wards=wards,
        go_live=_when(data["deployment"]["start"]), end=_when(data["deployment"]["end"]),
        day_start=time.fromisoformat(data["shifts"]["day"]["start"]),
        night_start=time.fromisoformat(data["shifts"]["night"]["start"]),
        handover_minutes=int(data["shifts"]["handover_minutes"]),
        threshold_before=int(change["from"]), threshold_after=int(change["to"]),
        threshold_change=_when(change["at"]),
        outage_start=_when(outage["start"]), outage_end=_when(outage["end"]),
        # The IT notice (2025-04-01 10:30) is told in the outage's text, not a field of its own.
        outage_notice=_when(outage["start"]).replace(hour=10, minute=30) + timedelta(days=1),
        vacancy_ward="5E", vacancy_start=_when(vacancy["start"]), vacancy_night_nurses=3,
        new_graduates=_when(events["new-graduate-cohort"]["at"]).date(),
        panel_release=_when(events["explanation-panel"]["at"]),
        auto_page_at=int(policy["auto_page_rapid_response_at"]),
        acknowledge_within=int(policy["acknowledge_within_minutes"]),
        events=tuple(data["events"]),
    )


def _when(value) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    return datetime.fromisoformat(str(value))
