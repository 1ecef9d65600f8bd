"""Writing and checking the dossier history (nhật ký hồ sơ), and logging reads of personal data.

Every event stores the SHA-256 of its own content and of the previous event's hash (`prev_hash`); the dossier
keeps the length and the last hash of its chain (`history_length`, `history_head`). So a row edited in the
database, deleted, or slipped in afterwards no longer re-hashes or links, and `history_verify` names it
(docs/architecture.md, "Data that must never be lost or forged").

The hash covers a canonical JSON text, and `changes` is stored exactly as it was hashed (only strings, integers,
booleans, None, lists and string-keyed objects), so what is read back re-hashes identically on SQLite and on
PostgreSQL: dates, datetimes, Decimals, floats and the like are turned into strings before hashing and storing.

Limit: someone who can write to the database and recomputes every later hash and the dossier's head can still
rewrite a chain undetected; that needs a secret key or an outside anchor, which this module does not have.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model
from django.utils import timezone
from django.utils.duration import duration_iso_string

from cchc.dossiers.models import Dossier, DossierEvent, PersonalDataAccess

ProblemKind = Literal["edited", "deleted", "inserted", "chain_broken", "head_mismatch"]

_CHUNK = 2000


@dataclasses.dataclass(frozen=True)
class HistoryProblem:
    """One thing wrong with a dossier's history, with the event it concerns (None: the chain as a whole)."""

    dossier_id: int
    dossier_code: str
    seq: int | None
    kind: ProblemKind
    message: str


@dataclasses.dataclass(frozen=True)
class HistoryReport:
    """The outcome of a check: the problems, and how many dossiers and events were read."""

    problems: list[HistoryProblem]
    dossiers: int
    events: int


# -- canonical form ---------------------------------------------------------------------------------------------
def json_safe(value: Any) -> Any:
    """`value` made of JSON types that survive a JSONField round trip unchanged on SQLite and PostgreSQL.

    Floats become strings (PostgreSQL's jsonb may give back 1e20 as an integer), dict keys become strings,
    tuples and lists become lists; anything else that is not a plain JSON value raises TypeError.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            safe_key = json_safe(key)
            if not isinstance(safe_key, str):
                safe_key = json.dumps(safe_key)
            if safe_key in out:
                raise TypeError(f"Khóa trùng sau khi chuyển đổi: {safe_key!r}")
            out[safe_key] = json_safe(item)
        return out
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, Model):
        raise TypeError(f"Hãy ghi khóa hoặc tên thay cho đối tượng {type(value).__name__} trong nhật ký.")
    raise TypeError(f"Không ghi được giá trị kiểu {type(value).__name__} vào nhật ký hồ sơ.")


def _at_text(at: dt.datetime) -> str:
    if timezone.is_naive(at):
        raise ValueError("Thời điểm của sự kiện phải có múi giờ.")
    return at.astimezone(dt.UTC).isoformat()


def genesis_hash(*, dossier_id: int, code: str) -> str:
    """The `prev_hash` of a dossier's first event."""
    return hashlib.sha256(f"cchc:dossier-history:genesis:{dossier_id}:{code}".encode()).hexdigest()


def event_hash(
    *,
    dossier_id: int,
    seq: int,
    action: str,
    actor_id: int | None,
    at: dt.datetime,
    state_before: str,
    state_after: str,
    changes: Any,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical JSON of an event's content and the previous hash."""
    payload = {
        "dossier": dossier_id,
        "seq": seq,
        "action": action,
        "actor": actor_id,
        "at": _at_text(at),
        "state_before": state_before,
        "state_after": state_after,
        "changes": changes,
        "prev_hash": prev_hash,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- writing ----------------------------------------------------------------------------------------------------
def event_append(
    *,
    dossier: Dossier,
    action: str,
    actor: AbstractBaseUser | None,
    state_before: str,
    state_after: str,
    changes: dict[str, Any],
    at: dt.datetime | None = None,
    also: Mapping[str, Any] | None = None,
) -> DossierEvent:
    """Append one event to the dossier's chain and move the dossier's head to it.

    `also` holds other dossier fields to write in the same UPDATE as the head (a new dossier's code).

    Call it inside the transaction that changed the dossier, with the dossier row locked
    (select_for_update), so two events never take the same number; the unique (dossier, seq) constraint
    refuses a second writer working from a stale dossier.
    """
    if dossier.pk is None:
        raise ValueError("Hồ sơ chưa được lưu.")
    moment = at if at is not None else timezone.now()
    _at_text(moment)
    safe_changes = json_safe(dict(changes))
    actor_id = actor.pk if actor is not None else None
    seq = dossier.history_length + 1
    prev_hash = dossier.history_head if seq > 1 else genesis_hash(dossier_id=dossier.pk, code=dossier.code)
    action, state_before, state_after = str(action), str(state_before), str(state_after)
    digest = event_hash(
        dossier_id=dossier.pk,
        seq=seq,
        action=action,
        actor_id=actor_id,
        at=moment,
        state_before=state_before,
        state_after=state_after,
        changes=safe_changes,
        prev_hash=prev_hash,
    )
    event = DossierEvent(
        dossier=dossier,
        seq=seq,
        action=action,
        actor_id=actor_id,
        at=moment,
        state_before=state_before,
        state_after=state_after,
        changes=safe_changes,
        prev_hash=prev_hash,
        hash=digest,
    )
    event.save(force_insert=True)
    Dossier.objects.filter(pk=dossier.pk).update(history_length=seq, history_head=digest, **(also or {}))
    dossier.history_length = seq
    dossier.history_head = digest
    return event


def personal_data_access_log(*, dossier: Dossier, user: Any, purpose: str) -> None:
    """Record that `user` opened the personal data of `dossier`, and why (Decree 13/2023/NĐ-CP)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        raise ValueError("Chỉ ghi lượt xem của người dùng đã đăng nhập.")
    purpose = purpose.strip()
    max_length = PersonalDataAccess._meta.get_field("purpose").max_length or 60
    if not purpose or len(purpose) > max_length:
        raise ValueError(f"Mục đích xem phải có từ 1 đến {max_length} ký tự.")
    PersonalDataAccess.objects.create(dossier=dossier, user=user, at=timezone.now(), purpose=purpose)


# -- checking ---------------------------------------------------------------------------------------------------
_EVENT_FIELDS = (
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
)


def _span(first: int, last: int) -> str:
    return f"số {first}" if first == last else f"số {first} đến {last}"


class _Walk:
    """The check of one dossier's chain, fed its events in order of seq."""

    def __init__(self, dossier_id: int, code: str, length: int, head: str) -> None:
        self.dossier_id, self.code, self.length, self.head = dossier_id, code, length, head
        self.problems: list[HistoryProblem] = []
        self.expected = 1
        self.prev_hash = genesis_hash(dossier_id=dossier_id, code=code)
        self.last_seq = 0
        self.hash_at_length: str | None = None
        self.edited_at_length = False

    def _add(self, seq: int | None, kind: ProblemKind, message: str) -> None:
        self.problems.append(
            HistoryProblem(self.dossier_id, self.code, seq, kind, f"Hồ sơ {self.code}: {message}")
        )

    def feed(self, row: tuple[Any, ...]) -> None:
        _, seq, action, actor_id, at, state_before, state_after, changes, prev_hash, stored = row
        recomputed = event_hash(
            dossier_id=self.dossier_id,
            seq=seq,
            action=action,
            actor_id=actor_id,
            at=at,
            state_before=state_before,
            state_after=state_after,
            changes=changes,
            prev_hash=prev_hash,
        )
        edited = recomputed != stored
        if edited:
            self._add(seq, "edited", f"sự kiện số {seq} đã bị sửa (nội dung không khớp với mã băm).")
        gap = seq > self.expected
        if gap:
            self._add(self.expected, "deleted", f"sự kiện {_span(self.expected, seq - 1)} đã bị xóa.")
        if seq < 1 or seq > self.length:
            self._add(
                seq,
                "inserted",
                f"sự kiện số {seq} bị chèn thêm (hồ sơ chỉ ghi nhận {self.length} sự kiện).",
            )
        elif not gap and not edited and prev_hash != self.prev_hash:
            before = f"sự kiện số {seq - 1}" if seq > 1 else "điểm khởi đầu của chuỗi"
            self._add(
                seq,
                "chain_broken",
                f"sự kiện số {seq} không nối với {before}: một trong hai đã bị ghi lại hoặc chèn vào.",
            )
        if seq == self.length:
            self.hash_at_length = stored
            self.edited_at_length = edited
        self.prev_hash = stored
        self.expected = max(self.expected, seq + 1)
        self.last_seq = max(self.last_seq, seq)

    def finish(self) -> list[HistoryProblem]:
        if self.last_seq < self.length:
            first = self.last_seq + 1
            self._add(first, "deleted", f"sự kiện {_span(first, self.length)} đã bị xóa (cuối nhật ký).")
        elif self.length == 0:
            if self.head:
                self._add(None, "head_mismatch", "đầu chuỗi ghi trên hồ sơ không khớp với nhật ký rỗng.")
        elif (
            self.hash_at_length is not None and self.hash_at_length != self.head and not self.edited_at_length
        ):
            self._add(
                self.length,
                "head_mismatch",
                f"sự kiện cuối (số {self.length}) không khớp với đầu chuỗi ghi trên hồ sơ: "
                "sự kiện đã bị thay thế hoặc ghi lại.",
            )
        return self.problems


def history_check(*, dossier_ids: Iterable[int] | None = None) -> HistoryReport:
    """Walk the chains of the given dossiers (all when None) and report what does not verify.

    Dossiers and events are read as two streams ordered by dossier and seq and merged, so memory stays
    constant however long the history is.
    """
    dossiers = Dossier.objects.order_by("pk")
    events = DossierEvent.objects.order_by("dossier_id", "seq")
    if dossier_ids is not None:
        ids = sorted(set(dossier_ids))
        dossiers = dossiers.filter(pk__in=ids)
        events = events.filter(dossier_id__in=ids)
    dossier_rows: Iterator[tuple[Any, ...]] = dossiers.values_list(
        "pk", "code", "history_length", "history_head"
    ).iterator(chunk_size=_CHUNK)
    event_rows = events.values_list(*_EVENT_FIELDS).iterator(chunk_size=_CHUNK)

    problems: list[HistoryProblem] = []
    n_dossiers = n_events = 0
    pending = next(event_rows, None)
    for dossier_id, code, length, head in dossier_rows:
        n_dossiers += 1
        walk = _Walk(dossier_id, code, length, head)
        while pending is not None and pending[0] < dossier_id:  # cannot happen with the PROTECT foreign key
            pending = next(event_rows, None)
        while pending is not None and pending[0] == dossier_id:
            n_events += 1
            walk.feed(pending)
            pending = next(event_rows, None)
        problems.extend(walk.finish())
    return HistoryReport(problems=problems, dossiers=n_dossiers, events=n_events)


def history_verify(*, dossier_ids: Iterable[int] | None = None) -> list[HistoryProblem]:
    """The problems in the history of the given dossiers (all when None); empty when every chain verifies."""
    return history_check(dossier_ids=dossier_ids).problems
