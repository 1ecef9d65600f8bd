"""Simulated dossiers turned into database rows: codes, ids, the history hash chains, the child rows.

The history hash is the one of cchc.dossiers.history.event_hash (same canonical JSON), written here with string
formatting because it runs for every event; the tests check each chain with history_verify, which recomputes
it with event_hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from cchc.dossiers.codes import DEFAULT_PATTERN, LOOKUP_KEY_ALPHABET, LOOKUP_KEY_LENGTH
from cchc.dossiers.history import genesis_hash
from cchc.dossiers.models import (
    Apology,
    Delivery,
    Dossier,
    DossierEvent,
    DossierFee,
    DossierResult,
    HandOver,
    Party,
    PartyKind,
    PartyRole,
    Rating,
    State,
    SupplementRequest,
)
from cchc.simulator.bulk import Table
from cchc.simulator.timeline import APOLOGY_REASON, Life
from cchc.workdays.calendar import TZ

UTC = dt.UTC

DOSSIER = Table(
    Dossier,
    (
        "id", "code", "lookup_key", "procedure_version_id", "receiving_unit_id", "competent_unit_id",
        "counter_id", "current_unit_id", "assignee_id", "channel", "state", "version", "time_limit_amount",
        "time_limit_unit", "time_limit_cutoff", "submitted_at", "received_at", "original_appointment_at",
        "appointment_at", "resolved_at", "returned_at", "ended_at", "end_reason", "history_length",
        "history_head", "created_at", "created_by_id", "return_method", "return_address", "citizen_id",
        "idempotency_key", "due_soon_warned_at", "overdue_marked_at",
    ),
)  # fmt: skip
PARTY = Table(
    Party,
    (
        "dossier_id",
        "role",
        "kind",
        "full_name",
        "id_number",
        "birth_date",
        "phone",
        "email",
        "address",
        "area_id",
    ),
)
FEE = Table(
    DossierFee,
    (
        "id",
        "dossier_id",
        "fee_rule_id",
        "description",
        "amount_vnd",
        "paid_at",
        "payment_channel",
        "receipt_number",
    ),
)
EVENT = Table(
    DossierEvent,
    (
        "dossier_id",
        "seq",
        "action",
        "actor_id",
        "at",
        "state_before",
        "state_after",
        "changes",
        "prev_hash",
        "hash",
    ),
    json_columns=("changes",),
)
HAND_OVER = Table(
    HandOver,
    ("dossier_id", "at", "from_unit_id", "from_user_id", "to_unit_id", "to_user_id", "outcome", "note"),
)
SUPPLEMENT = Table(
    SupplementRequest,
    ("dossier_id", "stage", "requested_at", "requested_by_id", "missing", "reason", "completed_at"),
    json_columns=("missing",),
)
APOLOGY = Table(
    Apology,
    ("dossier_id", "issued_at", "issued_by_id", "reason", "previous_appointment_at", "new_appointment_at"),
)
RESULT = Table(
    DossierResult,
    (
        "dossier_id",
        "document_number",
        "document_date",
        "summary",
        "file",
        "sha256",
        "signed_by_id",
        "document_code",
    ),
)
DELIVERY = Table(Delivery, ("dossier_id", "method", "address", "delivered_at", "delivered_by_id", "proof"))
RATING = Table(Rating, ("dossier_id", "level", "comment", "rated_at"))

CHILD_TABLES = (PARTY, FEE, EVENT, HAND_OVER, SUPPLEMENT, APOLOGY, RESULT, DELIVERY, RATING)

_FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
)
_MIDDLE = ("Văn", "Thị", "Minh", "Hoàng", "Ngọc", "Thanh", "Quốc", "Thị Mỹ", "Hữu", "Kim")
_GIVEN = (
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Khoa",
    "Lan",
    "Linh",
    "Nam",
    "Phúc",
    "Tâm",
    "Trí",
)


def moment_texts(moment: dt.datetime) -> tuple[str, str]:
    """(the hash's ISO text in UTC, the database's naive UTC text)."""
    iso = moment.astimezone(UTC).isoformat()
    return iso, iso[:19].replace("T", " ")


def _db(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()[:19].replace("T", " ")


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_CHANGES: dict[tuple[Any, ...], str] = {}


def changes_text(changes: dict[str, Any]) -> str:
    """The canonical JSON of an event's changes, memoised: most events repeat the same few changes."""
    try:
        key = (*changes.items(), *map(type, changes.values()))  # types too: True == 1, 1 == 1.0
        found = _CHANGES.get(key)
    except TypeError:  # a list value: not memoised
        return _json(_safe(changes))
    if found is None:
        if len(_CHANGES) > 200_000:
            _CHANGES.clear()
        found = _CHANGES[key] = _json(_safe(changes))
    return found


def _safe(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v.astimezone(UTC).isoformat() if isinstance(v, dt.datetime) else v) for k, v in changes.items()
    }


def chain_hash(
    *,
    dossier_id: int,
    seq: int,
    action: str,
    actor_id: int | None,
    at_iso: str,
    state_before: str,
    state_after: str,
    changes_json: str,
    prev_hash: str,
) -> str:
    """event_hash's canonical JSON, by string formatting (actions and states are plain ASCII words)."""
    text = (
        f'{{"action":"{action}","actor":{"null" if actor_id is None else actor_id},"at":"{at_iso}",'
        f'"changes":{changes_json},"dossier":{dossier_id},"prev_hash":"{prev_hash}","seq":{seq},'
        f'"state_after":"{state_after}","state_before":"{state_before}"}}'
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Batch:
    """The rows of a batch of dossiers, by table."""

    rows: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {t.name: [] for t in (DOSSIER, *CHILD_TABLES)}
    )
    feedback: list[tuple[int, Life]] = field(default_factory=list)  # (dossier id, life)


def codes_assign(lives: list[Life], sequences: dict[tuple[str, dt.date], int]) -> list[str]:
    """Dossier codes in the daily-sequence format (Decree 118/2025 Art. 28), in order of each dossier's first
    moment, continuing `sequences` ((prefix, day) → last number), which is updated."""
    pattern: str = getattr(settings, "DOSSIER_CODE_PATTERN", DEFAULT_PATTERN)
    codes = [""] * len(lives)
    order = sorted(range(len(lives)), key=lambda i: lives[i].start)
    for index in order:
        life = lives[index]
        key = (life.competent.identifier, life.start.astimezone(TZ).date())
        number = sequences.get(key, 0) + 1
        sequences[key] = number
        codes[index] = pattern.format(prefix=key[0], day=key[1], seq=number)
    return codes


def batch_build(
    *,
    lives: list[Life],
    codes: list[str],
    first_dossier_id: int,
    first_fee_id: int,
    actors: dict[str, int],
    rng: random.Random,
    horizon: dt.datetime,
    decimal_text: Callable[[Any], Any],
) -> Batch:
    """Every row of these dossiers; ids are consecutive from the reserved firsts, in list order."""
    batch = Batch()
    rows = batch.rows
    dossiers, parties, fees, events = rows[DOSSIER.name], rows[PARTY.name], rows[FEE.name], rows[EVENT.name]
    reception = actors["reception"]
    fee_id = first_fee_id
    for offset, (life, code) in enumerate(zip(lives, codes, strict=True)):
        dossier_id = first_dossier_id + offset
        offer = life.offer
        fee_ids = list(range(fee_id, fee_id + len(offer.fees)))
        fee_id += len(offer.fees)
        paid: dict[int, tuple[dt.datetime, int | None]] = {}
        # The history chain.
        prev = genesis_hash(dossier_id=dossier_id, code=code)
        transitions = 0
        for seq, event in enumerate(life.events, start=1):
            changes = event.changes
            if event.action == "pay":
                owed = [
                    i for i, fee in zip(fee_ids, offer.fees, strict=True) if fee.amount > 0 and i not in paid
                ]
                for i in owed:
                    paid[i] = (event.at, changes["payment_channel"])
                changes = dict(
                    changes, fees=owed, amount_vnd=sum(f.amount for f in offer.fees if f.amount > 0)
                )
            else:
                transitions += event.action != "rate"
            changes_json = changes_text(changes)
            at_iso, at_db = moment_texts(event.at)
            actor_id = actors[event.actor] if event.actor else None
            digest = chain_hash(
                dossier_id=dossier_id,
                seq=seq,
                action=event.action,
                actor_id=actor_id,
                at_iso=at_iso,
                state_before=event.before,
                state_after=event.after,
                changes_json=changes_json,
                prev_hash=prev,
            )
            events.append(
                (
                    dossier_id,
                    seq,
                    event.action,
                    actor_id,
                    at_db,
                    event.before,
                    event.after,
                    changes_json,
                    prev,
                    digest,
                )
            )
            prev = digest
        # Open dossiers count as already warned by the deadline watch (cchc.dossiers.deadline_watch), so a
        # simulated past does not flood staff with notices.
        due = life.appointment_at if life.state == State.PROCESSING else None
        warned = _db(horizon) if due is not None and due <= horizon + dt.timedelta(days=2) else None
        overdue = _db(horizon) if due is not None and due < horizon else None
        current = life.current or life.receiving
        dossiers.append(
            (
                dossier_id, code, _lookup_key(rng), offer.version_id, life.receiving.id, life.competent.id,
                life.counter_id, current.id, None, life.channel, life.state, max(1, transitions),
                decimal_text(offer.amount), offer.unit, offer.cutoff.isoformat() if offer.cutoff else None,
                _db(life.submitted_at), _db(life.received_at), _db(life.original_appointment_at),
                _db(life.appointment_at), _db(life.resolved_at), _db(life.returned_at),
                _db(life.ended_at), life.end_reason,
                len(life.events), prev, _db(life.start), reception, life.return_method,
                life.competent.area_name if life.return_method == "post" else "", None, None, warned, overdue,
            )
        )  # fmt: skip
        parties.append(_party(rng, dossier_id, life))
        for i, fee in zip(fee_ids, offer.fees, strict=True):
            when, channel = paid.get(i, (None, None))
            fees.append(
                (i, dossier_id, fee.rule_id, fee.description[:255], fee.amount, _db(when), channel, "")
            )
        _children(rows, dossier_id, life, actors)
        if life.feedback_at is not None:
            batch.feedback.append((dossier_id, life))
    return batch


def _children(
    rows: dict[str, list[tuple[Any, ...]]], dossier_id: int, life: Life, actors: dict[str, int]
) -> None:
    for at, source, target, actor, step in life.hand_overs:
        rows[HAND_OVER.name].append(
            (dossier_id, _db(at), source.id, actors[actor], target.id, None, "", step)
        )
    for stage, asked, done, reason, missing in life.supplements:
        asker = actors["reception"] if stage == "reception" else actors["specialist"]
        rows[SUPPLEMENT.name].append(
            (dossier_id, stage, _db(asked), asker, _json(missing), reason, _db(done))
        )
    if life.apology is not None:
        issued, previous, new = life.apology
        rows[APOLOGY.name].append(
            (dossier_id, _db(issued), actors["leader"], APOLOGY_REASON, _db(previous), _db(new))
        )
    if life.result is not None:
        number, day = life.result
        # A paper result: no file, so no document code (mã số giấy tờ belongs to electronic results).
        rows[RESULT.name].append((dossier_id, number, day.isoformat(), "", "", "", actors["leader"], ""))
    if life.delivery is not None:
        method, at = life.delivery
        address = life.competent.area_name if method == "post" else ""
        rows[DELIVERY.name].append((dossier_id, method, address, _db(at), actors["reception"], ""))
    if life.rating is not None:
        level, at = life.rating
        rows[RATING.name].append((dossier_id, level, "", _db(at)))


def _lookup_key(rng: random.Random) -> str:
    return "".join(rng.choices(LOOKUP_KEY_ALPHABET, k=LOOKUP_KEY_LENGTH))


def _party(rng: random.Random, dossier_id: int, life: Life) -> tuple[Any, ...]:
    name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
    year = rng.randint(1950, 2006)
    sex = rng.randint(0, 1)
    # CCCD: province of birth (3), century and sex (1), year (2), random (6) (Circular 59/2021/TT-BCA Art. 7).
    id_number = f"089{sex + (2 if year >= 2000 else 0)}{year % 100:02d}{rng.randrange(1_000_000):06d}"
    phone = f"09{rng.randrange(100_000_000):08d}"
    birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    return (
        dossier_id, PartyRole.APPLICANT.value, PartyKind.INDIVIDUAL.value, name, id_number, birth, phone, "",
        life.receiving.area_name, life.receiving.area_id,
    )  # fmt: skip
