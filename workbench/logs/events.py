"""The canonical ``events`` table: one row per thing that happened around a deployed alert.

A decision-support system's log is a stream of events about *entities* (a patient encounter,
a ticket, a case). Whatever a site calls its columns, a mapping (:mod:`workbench.logs.mapping`)
turns them into these columns, and every metric (:mod:`workbench.logs.metrics`) is a query over
them, so the same definitions run on DuckDB, Spark or any engine Ibis speaks to.

Columns
-------
event_id : text, unique. The site's own event identifier.
ts : timestamp with time zone, stored in UTC. When the event happened.
local_ts : timestamp without time zone. The same instant on the site's wall clock (the mapping's
    ``timezone``): shifts, days and weeks are cut on it, because a night shift is a local thing.
    Durations are always computed from ``ts``, so a change to or from daylight saving time
    never makes a wait one hour longer or shorter.
event_type : one of :data:`EVENT_TYPES`.
entity_id : text. The patient encounter (ticket, case) the event is about; for interface
    events the interface's name.
alert_id : text. For ``alert_fired`` the alert's own id; for the events that answer an alert
    (:data:`ALERT_RESPONSES`, and a rapid response call made because of an alert) the id of
    that alert. A mapping without an alert column gets it derived: each answer belongs to the
    latest alert fired before it on the same entity.
unit : text. Ward, unit or site.
actor_role, actor_id : text. Who acted: for ``alert_fired`` the staff member the alert was sent
    to (the system itself is not an actor); ``system`` for automatic events. ``actor_id`` is
    pseudonymous.
score, threshold : numbers. The model's score and the threshold in force.
inputs_stale : boolean. True when at least one of the score's inputs was older than the
    system's staleness limit when the score was computed (Lookout: 12 hours). Only alerts
    carry it; the stale-input share is computed from it.
action : text. For ``alert_acknowledged`` one of :data:`ACK_ACTIONS`; for
    ``rapid_response_called`` one of :data:`CALL_ACTIONS`.
reason : text. The free-text reason typed with an acknowledgement (required for dismissals).
outcome : text. For ``deterioration`` one of :data:`OUTCOMES`.
comment : text. Anything else the source system wrote down.

Staffing is read from the log itself: a nurse signs on to a ward phone at the start of a shift
(``shift_started``) and off at the end (``shift_ended``); alerts per nurse per shift divide by
these sign-ons, so no separate roster table is needed.
"""

from __future__ import annotations

__all__ = [
    "ACK_ACTIONS",
    "ALERT_RESPONSES",
    "CALL_ACTIONS",
    "COLUMNS",
    "EVENT_TYPES",
    "NURSE_ROLES",
    "OUTCOMES",
    "REQUIRED",
]

#: Canonical columns and their DuckDB types, in table order.
COLUMNS: dict[str, str] = {
    "event_id": "VARCHAR",
    "ts": "TIMESTAMPTZ",
    "local_ts": "TIMESTAMP",
    "event_type": "VARCHAR",
    "entity_id": "VARCHAR",
    "alert_id": "VARCHAR",
    "unit": "VARCHAR",
    "actor_role": "VARCHAR",
    "actor_id": "VARCHAR",
    "score": "DOUBLE",
    "threshold": "DOUBLE",
    "inputs_stale": "BOOLEAN",
    "action": "VARCHAR",
    "reason": "VARCHAR",
    "outcome": "VARCHAR",
    "comment": "VARCHAR",
}

#: Columns every mapping must fill and every row must have a value in.
REQUIRED = ("event_id", "ts", "event_type")

#: The closed vocabulary of event types, with what each records.
EVENT_TYPES: dict[str, str] = {
    "alert_fired": "the score reached the threshold and an alert went to the actor",
    "alert_delivered": "the alert reached the actor's phone",
    "alert_opened": "the actor opened the alert on the phone",
    "alert_acknowledged": "the actor closed the alert with an action (and a reason)",
    "alert_overdue": "the alert was not acknowledged in time; the actor (charge nurse) was told",
    "rapid_response_called": "the rapid response team was called, automatically or by staff",
    "deterioration": "an outcome from the quality register: see OUTCOMES",
    "interface_down": "an interface (entity_id) stopped delivering data to the unit",
    "interface_up": "the interface delivers again",
    "threshold_changed": "a new alert threshold (threshold) took effect on the unit",
    "shift_started": "a staff member signed on to a ward phone for a shift",
    "shift_ended": "a staff member signed off",
}

#: Events that answer an alert and must not precede it.
ALERT_RESPONSES = ("alert_delivered", "alert_opened", "alert_acknowledged", "alert_overdue")

#: What a nurse can choose when acknowledging (Riverside policy, timeline.yaml).
ACK_ACTIONS = ("assessed_no_action", "escalated_to_provider", "called_rapid_response",
               "dismissed")

#: How a rapid response call was made.
CALL_ACTIONS = ("auto_page", "nurse_call")

#: Deterioration outcomes counted by the countermetric.
OUTCOMES = ("rapid_response_call", "unplanned_icu_transfer", "cardiac_arrest")

#: Roles that carry patients and so receive alerts (the denominator of alerts per nurse).
NURSE_ROLES = ("nurse", "charge_nurse")
