"""The simulation behind :mod:`workbench.logs.generate`: one ward over one run of the timeline.

Everything is simulated in UTC seconds and turned into the site's wall-clock time only to decide
shifts and handovers, so waits across a daylight-saving change come out right. Steps:

1. **Roster.** Each shift, the ward's nurses (timeline.yaml: day and night counts; 5E nights 3
   from the vacancies) sign on to ward phones within 12 minutes of the shift start and off up
   to 35 minutes after its end. One of them is the charge nurse.
2. **Patients.** Beds are filled by back-to-back encounters (gamma-distributed stays). Each
   encounter has an *alert-proneness* drawn from a gamma distribution with shape 0.6, so a few
   "regulars" alert again and again, as nurses describe; about a third never alert at all.
3. **Alerts.** Candidate alerts arrive per encounter as a Poisson process (more in the morning,
   when labs come back), snapped to the 15-minute scoring cycle. Scores are a mixture: a
   ward-specific share just over 60 (60-69), the rest 70 and above with an exponential tail.
   An alert fires when the score reaches the threshold in force, so the threshold change
   removes exactly the 60-69 alerts (about 40% overall).
4. **Responses.** Time to acknowledge is log-normal around a ward and shift median, doubled
   for alerts fired during handover, doubled on 4N in the lab outage (x1.2 elsewhere), longer
   on 5E nights with three nurses and a little shorter after the threshold change. At night
   many alerts are batched: acknowledged at the nurse's next pass at the computer, one after
   another. Actions and dismissal reasons depend on the shift, the outage, the score and the
   explanation panel (longer reasons after 2025-05-06).
5. **Outcomes.** Deteriorations are a Poisson process per ward. A share is *missed* (no alert
   on that patient in the 12 hours before: 27% before the threshold change, 36% after, 55%
   on 4N in the outage); the rest follow an alert on the same patient.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.logs._timeline import Timeline, WardFacts


@dataclass(frozen=True)
class Behaviour:
    """How alerts on one ward behave: the generator's assumptions, calibrated to the corpus.

    alerts_per_day : alerts a day at threshold 60 (nurses' counts: 4N 5-8 a day nurse and
        8-10 a night nurse, 6W nights 6-7, 5E "8-10 a night", "fifteen a shift" by day).
    low_share : share of alerts scoring 60-69 (P12: volume down about 40%; P06 on 6W, 6-7 a
        night down to 2-3; P03 on 5E, "a third fewer").
    ack_day, ack_night : median minutes to acknowledge before batching (P12: about nine in ten
        within 30 minutes hospital-wide; P03: 5E nights "the worst bar on the chart").
    stay_days : mean length of stay.
    deteriorations_per_day : deteriorations on the ward (P12: missed ones are "single digits a
        week, hospital-wide").
    lab_weight : how much the ward's scores lean on labs (timeline.yaml lab_dependent).
    """

    code: str
    alerts_per_day: float
    low_share: float
    ack_day: float
    ack_night: float
    stay_days: float
    deteriorations_per_day: float
    lab_weight: float


BEHAVIOURS = {
    "4N": Behaviour("RRMC 4 NORTH", 72, 0.34, 6.5, 9.0, 4.5, 0.60, 1.0),
    "5E": Behaviour("RRMC 5 EAST", 78, 0.31, 5.5, 9.5, 3.5, 0.55, 0.5),
    "6W": Behaviour("RRMC 6 WEST", 48, 0.50, 5.0, 7.5, 3.0, 0.40, 0.5),
}

TERSE = ("aware", "known", "ok", "seen", "ok", "known", "exp", "chronic", "baseline", "pt ok",
         "stable", "aware")
FULL = {
    "4N": ("CKD - creatinine at his baseline, reviewed",
           "COPD, sats at baseline 88-90%, obs stable",
           "pt improving, RR 20, sats 95 RA", "reviewed - obs stable, will recheck 1 hr",
           "pain after fall, analgesia given, reassess 1 hr", "cirrhosis - labs always deranged"),
    "5E": ("HR 110 post-op pain, analgesia given, reassess 1 hr",
           "post op day 1, expected, reviewed",
           "day 2 post op, WCC expected, reviewed", "post op obs - reviewed with charge nurse",
           "temp 37.9 post op, encouraging fluids, recheck"),
    "6W": ("chronic AF, rate controlled, reviewed", "known - rate controlled",
           "HF, weight stable, sats at baseline", "telemetry reviewed, rate 100-110 baseline",
           "post cath, BP low-ish after sedation, recheck"),
}
PANEL = ("score driven by heart rate, pt in pain, analgesia given",
         "HR 104, driven by pain, medicated", "panel: age, HR, Hb - chronic anaemia, Hb stable",
         "panel says lactate - repeat 1.4, reviewed", "top factors RR and sats - at baseline, COPD")
STALE = ("stale labs", "labs old", "labs old?", "stale labs - checked lab sys",
         "labs stale, checked in lab system", "stale labs - K ok in lab sys",
         "stale labs - checked lab sys - stable")
CALL_REASONS = ("nurse concern", "hypotension", "tachycardia", "new confusion", "low sats",
                "resp rate up")
ACTIONS = ("ASSESSED", "ESC_PROV", "CALL_RRT", "DISMISS")

HOUR = 3600
DAY = 86_400


def pseudonym(*parts: object) -> str:
    """A stable pseudonymous staff id (the logs never hold names)."""
    return "u" + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:7]


@dataclass(frozen=True)
class _Clock:
    """Conversions between UTC seconds and the site's wall clock, and the timeline's moments."""

    timeline: Timeline

    def utc(self, local) -> np.ndarray:
        index = pd.DatetimeIndex(np.atleast_1d(np.asarray(local, dtype="datetime64[s]")))
        utc = index.tz_localize(self.timeline.timezone, nonexistent="shift_forward",
                                ambiguous="NaT").tz_convert("UTC").tz_localize(None)
        return utc.values.astype("datetime64[s]").astype(np.int64)

    def local(self, seconds: np.ndarray) -> pd.DatetimeIndex:
        index = pd.to_datetime(seconds, unit="s", utc=True)
        return index.tz_convert(self.timeline.timezone).tz_localize(None)

    def at(self, name: str) -> int:
        return int(self.utc([getattr(self.timeline, name)])[0])


def simulate_ward(ward: WardFacts, timeline: Timeline, rng: np.random.Generator, *,
                  run: int = 0, unit: str | None = None) -> pd.DataFrame:
    """All events of one ward over one run of the timeline, in the site's export columns.

    ``EVENT_TS`` holds UTC seconds here; :mod:`workbench.logs.generate` writes local time.
    ``run`` numbers repeated runs (the benchmark's) so that ids stay unique; ``unit`` names the
    ward in the export (default: the Riverside department name).
    """
    clock, behaviour = _Clock(timeline), BEHAVIOURS[ward.id[-2:]]
    roster = _roster(ward, timeline, clock, rng, run)
    stays = _encounters(ward, behaviour, clock, rng)
    alerts = _alerts(ward, behaviour, timeline, clock, stays, roster, rng)
    parts = [_roster_events(roster), _threshold_and_interface_events(ward, timeline, clock)]
    parts += _alert_events(alerts, timeline)
    parts.append(_direct_calls(ward, timeline, clock, stays, roster, rng))
    parts.append(_deteriorations(ward, behaviour, clock, stays, alerts, roster, rng))
    events = pd.concat([p for p in parts if len(p)], ignore_index=True)
    events["DEPT"] = unit or behaviour.code
    ward_code = f"{run:04d}{ward.id[-2:]}"
    events["ALERT_REF"] = _prefixed(events["ALERT_REF"], f"LKT-{ward_code}-")
    encounters = _prefixed(events.pop("ENC"), f"E{ward_code}")
    events["ENC_CSN"] = np.where(pd.isna(encounters), events["ENC_CSN"], encounters)
    start, end = clock.at("go_live"), clock.at("end")
    events = events[(events["EVENT_TS"] >= start) & (events["EVENT_TS"] <= end)]
    return events.sort_values("EVENT_TS", kind="stable", ignore_index=True)


def _prefixed(numbers: pd.Series, prefix: str) -> np.ndarray:
    """Numbers as ids with a prefix (``LKT-00004N-17``); missing stays missing."""
    text = prefix + numbers.astype("Int64").astype(str).str.zfill(6)
    return np.where(numbers.notna(), text, None)


def _roster(ward: WardFacts, timeline: Timeline, clock: _Clock, rng, run: int) -> pd.DataFrame:
    """One row per nurse-shift: shift start (UTC s), shift type, nurse id, role."""
    days = pd.date_range(timeline.go_live.date(), timeline.end.date(), freq="D")
    starts_local, kinds = [], []
    for day in days:
        for kind, at in (("day", timeline.day_start), ("night", timeline.night_start)):
            starts_local.append(pd.Timestamp.combine(day.date(), at))
            kinds.append(kind)
    starts = clock.utc(starts_local)
    night_pool = [pseudonym(run, ward.id, "night", i) for i in range(ward.nurses_night * 2 + 2)]
    day_pool = [pseudonym(run, ward.id, "day", i) for i in range(ward.nurses_day * 2 + 2)]
    grads = {"4N": ("day",), "5E": ("night", "night"), "6W": ("day",)}[ward.id[-2:]]
    rows = []
    for start, kind, local in zip(starts, kinds, starts_local, strict=True):
        count = ward.nurses_day if kind == "day" else ward.nurses_night
        pool = list(day_pool if kind == "day" else night_pool)
        if ward.id == timeline.vacancy_ward and kind == "night" and local >= timeline.vacancy_start:
            count, pool = timeline.vacancy_night_nurses, pool[2:]
        if local.date() >= timeline.new_graduates:
            pool += [pseudonym(run, ward.id, "new", i) for i, k in enumerate(grads) if k == kind]
        chosen = rng.choice(len(pool), size=count, replace=False)
        for rank, index in enumerate(chosen):
            rows.append((start, kind, pool[index], "charge_nurse" if rank == 0 else "nurse"))
    return pd.DataFrame(rows, columns=["start", "shift", "nurse", "role"])


def _encounters(ward: WardFacts, behaviour: Behaviour, clock: _Clock, rng) -> pd.DataFrame:
    """Back-to-back stays in every bed, from two weeks before go-live to the end."""
    first, last = clock.at("go_live") - 14 * DAY, clock.at("end")
    per_bed = int((last - first) / DAY / behaviour.stay_days * 2) + 4
    stay = rng.gamma(2.0, behaviour.stay_days / 2, size=(ward.beds, per_bed)) * DAY
    gap = rng.uniform(1, 6, size=(ward.beds, per_bed)) * HOUR
    ends = first + np.cumsum(np.maximum(stay, 0.3 * DAY) + gap, axis=1)
    starts = ends - np.maximum(stay, 0.3 * DAY)
    keep = (ends > clock.at("go_live")) & (starts < last)
    quiet = rng.random(keep.sum()) < 0.35
    weight = np.where(quiet, 0.0, np.minimum(rng.gamma(0.9, 1 / 0.9, size=keep.sum()), 6))
    return pd.DataFrame({"start": starts[keep].astype(np.int64), "end": ends[keep].astype(
        np.int64), "weight": weight / max(weight.mean(), 1e-9), "quiet": quiet})


def _alerts(ward, behaviour: Behaviour, timeline: Timeline, clock: _Clock, stays, roster,
            rng) -> pd.DataFrame:
    """Alerts that fired: time, encounter, score, staleness, nurse, and how they were answered."""
    rate = behaviour.alerts_per_day / DAY / ward.beds * 1.3
    span = (stays["end"] - stays["start"]).to_numpy()
    counts = rng.poisson(rate * stays["weight"].to_numpy() * span)
    encounter = np.repeat(np.arange(len(stays)), counts)
    t = stays["start"].to_numpy()[encounter] + (rng.random(counts.sum()) * span[encounter])
    offset = 60 * {"4N": 3, "5E": 7, "6W": 11}[ward.id[-2:]]
    t = (np.floor((t - offset) / 900) * 900 + offset + rng.integers(0, 40, t.size)).astype(
        np.int64)
    frame = pd.DataFrame({"t": t, "encounter": encounter}).drop_duplicates(
        ["encounter", "t"])
    local = clock.local(frame["t"].to_numpy())
    hour = local.hour.to_numpy()
    busy = np.select([(hour >= 5) & (hour < 10), hour < 4], [1.25, 0.85], 1.0)
    outage = _between(frame["t"], clock.at("outage_start"), clock.at("outage_end"))
    busy = busy * np.where(outage & (behaviour.lab_weight == 1.0), 1.1, 1.0)
    frame = frame[rng.random(len(frame)) < busy / 1.3 / 1.02]
    score = _scores(len(frame), behaviour.low_share, rng)
    threshold = np.where(frame["t"] >= clock.at("threshold_change"), timeline.threshold_after,
                         timeline.threshold_before)
    upgrade = _between(frame["t"], *_upgrade_window(clock, timeline))
    keep = (score >= threshold) & ~upgrade
    frame = frame.assign(score=score, threshold=threshold)[keep].sort_values(
        ["t", "encounter"], kind="stable")
    frame["alert"] = np.arange(1, len(frame) + 1)
    return _respond(frame.reset_index(drop=True), ward, behaviour, timeline, clock, roster,
                    rng)


def _scores(n: int, low_share: float, rng) -> np.ndarray:
    low = 60 + np.floor(-4 * np.log(1 - rng.random(n) * (1 - np.exp(-10 / 4))))
    high = np.minimum(70 + np.floor(rng.exponential(4.5, n)), 99)
    return np.where(rng.random(n) < low_share, low, high)


def _upgrade_window(clock: _Clock, timeline: Timeline) -> tuple[int, int]:
    """Lookout 2.4 (the explanation panel) went in overnight: scoring stopped 02:00-02:40."""
    start = clock.at("panel_release") + 2 * HOUR
    return start, start + 40 * 60


def _between(t, start: int, end: int) -> np.ndarray:
    t = np.asarray(t)
    return (t >= start) & (t < end)


def _respond(alerts, ward, behaviour: Behaviour, timeline: Timeline, clock: _Clock, roster,
             rng) -> pd.DataFrame:
    t = alerts["t"].to_numpy()
    local = clock.local(t)
    minute = local.hour.to_numpy() * 60 + local.minute.to_numpy()
    day_min = timeline.day_start.hour * 60 + timeline.day_start.minute
    night_min = timeline.night_start.hour * 60 + timeline.night_start.minute
    night = (minute < day_min) | (minute >= night_min)
    # Handover runs from a quarter of an hour before the shift change (06:45-07:30).
    lead, length = timeline.handover_minutes // 3, timeline.handover_minutes
    handover = ((minute >= day_min - lead) & (minute < day_min - lead + length)) | (
        (minute >= night_min - lead) & (minute < night_min - lead + length))
    outage = _between(t, clock.at("outage_start"), clock.at("outage_end"))
    after = t >= clock.at("threshold_change")
    short = night & (ward.id[-2:] == timeline.vacancy_ward) & (t >= clock.at("vacancy_start"))
    worst = outage & (behaviour.lab_weight == 1.0)
    shifts = np.searchsorted(roster["start"].unique(), t, side="right") - 1
    nurse, charge = _assign(roster, shifts, rng)
    median = np.where(night, behaviour.ack_night, behaviour.ack_day)
    median = median * np.where(handover, 2.6, 1.0) * np.where(short, 1.3, 1.0)
    median = median * np.where(worst, 2.1, np.where(outage, 1.2, 1.0)) * np.where(after, .85, 1)
    wait = median * np.exp(0.7 * rng.standard_normal(t.size)) * 60
    batched = night & ~handover & (rng.random(t.size) < np.where(short, 0.6, 0.45))
    codes, nurses = pd.factorize(nurse)
    phase = np.array([int(n[1:], 16) % 1200 for n in nurses])[codes]
    ack = np.where(batched, np.ceil((t + wait - phase) / 1200) * 1200 + phase, t + wait)
    ack = (ack + rng.integers(5, 60, t.size)).astype(np.int64)
    never = rng.random(t.size) < np.where(worst, 0.02, 0.006)
    stale = _stale(t, clock, outage, rng)
    action = _actions(night, short, outage, worst, after, alerts["score"].to_numpy(), rng)
    reason = _reasons(action, night, short, t, ward, clock, timeline, rng)
    return alerts.assign(night=night, nurse=nurse, charge=charge, ack=np.where(never, -1, ack),
                         stale=stale, action=action, reason=reason)


def _assign(roster: pd.DataFrame, shifts: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """A random nurse of the shift for each alert, and that shift's charge nurse."""
    _, first, counts = np.unique(roster["start"].to_numpy(), return_index=True,
                                 return_counts=True)
    flat = roster["nurse"].to_numpy()
    shifts = np.clip(shifts, 0, len(first) - 1)
    pick = first[shifts] + np.floor(rng.random(shifts.size) * counts[shifts]).astype(int)
    return flat[pick], flat[first[shifts]]


def _stale(t, clock: _Clock, outage, rng) -> np.ndarray:
    """Stale inputs: 4% of alerts normally; in the outage labs age past 12 h within hours."""
    since = (t - clock.at("outage_start")) / HOUR
    share = np.where(outage, np.clip(0.35 + since / 6, 0, 0.985), 0.04)
    backfill = _between(t, clock.at("outage_end"), clock.at("outage_end") + HOUR)
    share = np.where(backfill, 0.5, share)
    return rng.random(t.size) < share


def _actions(night, short, outage, worst, after, score, rng) -> np.ndarray:
    """ASSESSED / ESC_PROV / CALL_RRT / DISMISS probabilities by circumstance, then a draw."""
    p = np.where(night[:, None], [0.38, 0.15, 0.015, 0.455], [0.50, 0.17, 0.02, 0.31])
    p = p + short[:, None] * np.array([-0.10, 0.02, 0.0, 0.08])
    p = np.where(worst[:, None], [0.20, 0.13, 0.05, 0.62], p)
    p = p + (outage & ~worst)[:, None] * np.array([-0.06, 0.0, 0.0, 0.06])
    p = p * np.where(after[:, None], [1.0, 1.0, 1.0, 0.8], 1.0)
    p = np.where((score >= 80)[:, None], [0.35, 0.45, 0.10, 0.10], p)
    p = np.clip(p, 0.001, None)
    p = p / p.sum(axis=1, keepdims=True)
    draw = (rng.random(len(p))[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    return np.array(ACTIONS)[np.minimum(draw, 3)]


def _reasons(action, night, short, t, ward, clock: _Clock, timeline: Timeline, rng):
    """Dismissal reasons: terse at night, about stale labs on 4N in the outage, longer with
    the explanation panel; a few escalations say they came after the nurse had already acted."""
    n = t.size
    terse = rng.random(n) < np.where(short, 0.88, np.where(night, 0.8, 0.35))
    panel = (t >= clock.at("panel_release")) & (rng.random(n) < 0.45)
    terse = terse & ~(panel & (rng.random(n) < 0.5))
    noticed = clock.at("outage_start") + int(4.5 * HOUR)
    lab_share = 0.7 if ward.id.endswith("4N") else 0.15
    start = noticed if ward.id.endswith("4N") else clock.at("outage_notice")
    labs = _between(t, start, clock.at("outage_end")) & (rng.random(n) < lab_share)
    full = np.array(FULL[ward.id[-2:]])
    reason = np.where(terse, np.array(TERSE)[rng.integers(0, len(TERSE), n)],
                      full[rng.integers(0, len(full), n)])
    reason = np.where(panel & ~terse, np.array(PANEL)[rng.integers(0, len(PANEL), n)], reason)
    reason = np.where(labs, np.array(STALE)[rng.integers(0, len(STALE), n)], reason)
    hhmm = clock.local(t - rng.integers(10, 120, n) * 60).strftime("%H:%M")
    already = np.char.add("already reviewed ", np.asarray(hhmm, dtype=str))
    escalated = (action == "ESC_PROV") & (rng.random(n) < 0.1)
    return np.where(action == "DISMISS", reason, np.where(escalated, already, None))


def _alert_events(alerts: pd.DataFrame, timeline: Timeline) -> list[pd.DataFrame]:
    """fired, delivered, opened, acknowledged, overdue, and the rapid response calls of alerts."""
    t, ack = alerts["t"].to_numpy(), alerts["ack"].to_numpy()
    n, rng = len(alerts), np.random.default_rng(int(t.sum() % 2**32))
    answered = ack > 0
    role = np.where(alerts["nurse"] == alerts["charge"], "CRN", "RN")
    common = {"ENC": alerts["encounter"], "ALERT_REF": alerts["alert"],
              "USER_ROLE": role, "USER_HASH": alerts["nurse"]}
    delivered = t + rng.integers(3, 25, n)
    opened_at = np.where(answered, t + (ack - t) * rng.uniform(0.1, 0.9, n),
                         t + rng.integers(60, 1200, n))
    opened = rng.random(n) < np.where(alerts["night"], 0.6, 0.8)
    overdue = ~answered | (ack - t > 1800)
    auto = alerts["score"].to_numpy() >= timeline.auto_page_at
    called = answered & (alerts["action"].to_numpy() == "CALL_RRT")
    frames = [
        _frame(t, "ALERT_FIRE", **common, LKT_SCORE=alerts["score"],
               LKT_THRESH=alerts["threshold"], STALE_FLAG=np.where(alerts["stale"], "Y", "N")),
        _frame(delivered, "ALERT_DLVR", **common),
        _frame(np.maximum(opened_at, delivered + 5).astype(np.int64), "ALERT_READ",
               mask=opened, **common),
        _frame(ack, "ACK", mask=answered, **common, ACK_OPTION=alerts["action"],
               ACK_REASON=alerts["reason"]),
        _frame(t + 1800, "ACK_OVERDUE", mask=overdue, **{**common, "USER_ROLE": "CRN",
                                                          "USER_HASH": alerts["charge"]}),
        _frame(t + rng.integers(5, 40, n), "RRT_CALL", mask=auto, **{
            **common, "USER_ROLE": "SYS", "USER_HASH": "lookout"}, ACK_OPTION="AUTO_PAGE",
            FREE_TEXT=f"auto-page: score >= {timeline.auto_page_at}"),
        _frame(np.maximum(ack - rng.integers(60, 480, n), t + 30), "RRT_CALL", mask=called,
               **common, ACK_OPTION="RN_CALL", FREE_TEXT="called from alert"),
    ]
    return frames


def _frame(ts, code: str, mask=None, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"EVENT_TS": np.asarray(ts, dtype=np.int64), "EVT_CODE": code,
                          **{k: (v.to_numpy() if isinstance(v, pd.Series) else v)
                             for k, v in columns.items()}})
    return frame if mask is None else frame[np.asarray(mask)]


def _roster_events(roster: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(int(roster["start"].sum() % 2**32))
    n, role = len(roster), np.where(roster["role"] == "charge_nurse", "CRN", "RN")
    on = roster["start"].to_numpy() + rng.integers(0, 12 * 60, n)
    off = roster["start"].to_numpy() + 12 * HOUR + rng.integers(5 * 60, 35 * 60, n)
    return pd.concat([_frame(on, "PHONE_LOGIN", USER_ROLE=role, USER_HASH=roster["nurse"]),
                      _frame(off, "PHONE_LOGOUT", USER_ROLE=role, USER_HASH=roster["nurse"])])


def _threshold_and_interface_events(ward, timeline: Timeline, clock: _Clock) -> pd.DataFrame:
    upgrade = _upgrade_window(clock, timeline)
    informatics = {"USER_ROLE": "INF", "USER_HASH": pseudonym("informatics")}
    engine = {"USER_ROLE": "SYS", "USER_HASH": "interface-engine"}
    return pd.concat([
        _frame([clock.at("go_live")], "THRESH_CHG", **informatics,
               LKT_THRESH=timeline.threshold_before, FREE_TEXT="go-live"),
        _frame([clock.at("threshold_change")], "THRESH_CHG", **informatics,
               LKT_THRESH=timeline.threshold_after,
               FREE_TEXT="CDS committee decision of 2025-04-15"),
        _frame([clock.at("outage_start")], "IF_DOWN", ENC_CSN="LAB-HL7-IN", **engine,
               FREE_TEXT="back-dated from incident ticket: certificate expired, results rejected"),
        _frame([clock.at("outage_end")], "IF_UP", ENC_CSN="LAB-HL7-IN", **engine,
               FREE_TEXT="certificate renewed; results resent"),
        _frame([upgrade[0]], "IF_DOWN", ENC_CSN="LOOKOUT-SCORING", **engine,
               FREE_TEXT="planned: Lookout 2.4 upgrade"),
        _frame([upgrade[1]], "IF_UP", ENC_CSN="LOOKOUT-SCORING", **engine,
               FREE_TEXT="Lookout 2.4 live (explanation panel)"),
    ])


def _present(stays: pd.DataFrame, t: np.ndarray, rng, quiet_only: bool) -> np.ndarray:
    """For each time, a random encounter in a bed then (a quiet one if asked); -1 if none."""
    start, end, quiet = (stays[c].to_numpy() for c in ("start", "end", "quiet"))
    chosen = np.full(t.size, -1)
    for i, moment in enumerate(t):
        here = np.flatnonzero((start <= moment) & (end > moment) & (quiet | ~quiet_only))
        if here.size:
            chosen[i] = rng.choice(here)
    return chosen


def _direct_calls(ward, timeline: Timeline, clock: _Clock, stays, roster, rng) -> pd.DataFrame:
    """Rapid response calls made on a nurse's judgement, without an alert: 0.35 a day per
    ward, plus 6 a day on 4N (0.6 elsewhere) while the lab feed was down (P01, P07)."""
    start, end = clock.at("go_live"), clock.at("end")
    times = [rng.uniform(start, end, rng.poisson(0.35 * (end - start) / DAY))]
    out_start, out_end = clock.at("outage_start") + 5 * HOUR, clock.at("outage_end")
    extra = 6.0 if ward.id.endswith("4N") else 0.6
    times.append(rng.uniform(out_start, out_end, rng.poisson(extra * (out_end - out_start)
                                                             / DAY)))
    t = np.sort(np.concatenate(times)).astype(np.int64)
    encounter = _present(stays, t, rng, quiet_only=False)
    shifts = np.searchsorted(roster["start"].unique(), t, side="right") - 1
    nurse, _ = _assign(roster, shifts, rng)
    outage = _between(t, out_start, out_end)
    text = np.where(outage & (rng.random(t.size) < 0.6), "nurse concern - labs not in chart",
                    np.array(CALL_REASONS)[rng.integers(0, len(CALL_REASONS), t.size)])
    return _frame(t, "RRT_CALL", mask=encounter >= 0, ENC=encounter, USER_ROLE="RN",
                  USER_HASH=nurse, ACK_OPTION="RN_CALL", FREE_TEXT=text)


def _deteriorations(ward, behaviour: Behaviour, clock: _Clock, stays, alerts, roster,
                    rng) -> pd.DataFrame:
    """Deteriorations from the quality register, caught (an alert on the patient 15 min to
    11.5 h before) or missed (a patient with no alert), with the rates in the module doc."""
    start, end = clock.at("go_live"), clock.at("end")
    t = np.sort(rng.uniform(start + 12 * HOUR, end, rng.poisson(
        behaviour.deteriorations_per_day * (end - start) / DAY))).astype(np.int64)
    after = t >= clock.at("threshold_change")
    outage = _between(t, clock.at("outage_start"), clock.at("outage_end"))
    missed_p = np.where(outage & (behaviour.lab_weight == 1.0), 0.55,
                        np.where(after, 0.32, 0.27))
    missed = rng.random(t.size) < missed_p
    fired, encounter_of = alerts["t"].to_numpy(), alerts["encounter"].to_numpy()
    encounter = _present(stays, t, rng, quiet_only=True)
    for i in np.flatnonzero(~missed):
        window = np.flatnonzero((fired >= t[i] - 11.5 * HOUR) & (fired <= t[i] - 900))
        if window.size:
            encounter[i] = encounter_of[rng.choice(window)]
    outcome = np.array(["RRT", "ICU_UNPL", "ARREST"])[
        (rng.random(t.size)[:, None] > np.cumsum([0.62, 0.32, 0.06])).sum(axis=1)]
    register = _frame(t, "DETERIORATION", mask=encounter >= 0, ENC=encounter,
                      OUTCOME_CD=outcome, FREE_TEXT="quality register")
    called = t - rng.integers(0, 300, t.size)
    caller, _ = _assign(roster, np.searchsorted(roster["start"].unique(), called,
                                                side="right") - 1, rng)
    calls = _frame(called, "RRT_CALL", mask=(encounter >= 0) & (outcome == "RRT"),
                   ENC=encounter, USER_ROLE="RN", USER_HASH=caller, ACK_OPTION="RN_CALL",
                   FREE_TEXT="nurse concern")
    return pd.concat([register, calls])
