"""Finding a dossier for the public (tra cứu hồ sơ) without telling which codes exist.

A dossier opens with its code plus its lookup key (mã tra cứu, printed on Mẫu 01 and in its QR code), or its code
plus the last 4 digits of the applicant's phone number. An unknown code and a wrong key or phone take the same
path: one query, one constant-time comparison (against a value that never matches when there is no dossier),
one counted failure, and the same answer. Failures are counted per code and per client address, and every lookup
per address, through cchc.orgs.throttle, so the limits hold across app servers when the cache is Redis.

Each lookup is logged with the code masked and no key, phone or address (Decree 13/2023/NĐ-CP). A lookup by the
applicant is not written to PersonalDataAccess: that log records staff reading someone else's data, and the page
shows no more than the masked name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.crypto import constant_time_compare

from cchc.dossiers.models import Dossier, Party, PartyRole
from cchc.orgs.throttle import throttle_check, throttle_fail, throttle_key
from cchc.portal.rules import TRACKING_SCOPE, tracking_limits

logger = logging.getLogger("cchc.portal.tracking")

Method = Literal["key", "phone"]
# Compared with the input when there is no dossier (or no phone): it can never equal a valid key or 4 digits.
_NEVER = "#" * 8


@dataclass(frozen=True)
class Lookup:
    """The dossier found, or None; `retry_after` > 0 when the lookup was refused by the throttle."""

    dossier: Dossier | None
    retry_after: int = 0

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0


def normalise_code(raw: str) -> str:
    return "".join(raw.split()).upper()


def normalise_key(raw: str) -> str:
    return "".join(char for char in raw.upper() if char not in " -.\t")


def mask_code(code: str) -> str:
    """A code for the logs: its first half kept, the rest replaced by "*"."""
    keep = len(code) // 2
    return code[:keep] + "*" * (len(code) - keep)


def phone_last4(phone: str) -> str:
    digits = "".join(char for char in phone if char.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def tracked_dossiers() -> QuerySet[Dossier]:
    """Dossiers with the procedure and the receiving unit joined. The result, delivery and rating are not: most
    lookups are of dossiers in progress, which have none, and three more joins cost the page a third of its
    time (bench/RESULTS.md); cchc.portal.public.public_dossier reads them only when the dossier has them."""
    return Dossier.objects.select_related("procedure_version__procedure", "receiving_unit")


def _counters(code: str, address: str) -> dict[str, str]:
    return {
        "code": throttle_key(scope=TRACKING_SCOPE, kind="code", value=code),
        "addr": throttle_key(scope=TRACKING_SCOPE, kind="addr", value=address),
        "addr_all": throttle_key(scope=TRACKING_SCOPE, kind="addr_all", value=address),
    }


def _retry_after(counters: dict[str, str]) -> int:
    limits = tracking_limits()
    retry = 0
    for kind, key in counters.items():
        limit, window = limits[kind]
        retry = max(retry, throttle_check(keys=[key], limit=limit, window=window).retry_after)
    return retry


def _count(counters: dict[str, str], *kinds: str) -> None:
    limits = tracking_limits()
    for kind in kinds:
        throttle_fail(keys=[counters[kind]], window=limits[kind][1])


def dossier_lookup(*, code: str, address: str, key: str = "", phone: str = "") -> Lookup:
    """The dossier with this code whose lookup key is `key`, or, without a key, whose applicant's phone ends
    with the 4 digits `phone`. Inputs are expected normalised (normalise_code, normalise_key)."""
    method: Method = "key" if key else "phone"
    counters = _counters(code, address)
    retry = _retry_after(counters)
    if retry:
        logger.info("tracking code=%s via=%s outcome=throttled", mask_code(code), method)
        return Lookup(dossier=None, retry_after=retry)
    _count(counters, "addr_all")
    applicant_phone = Party.objects.filter(dossier=OuterRef("pk"), role=PartyRole.APPLICANT).values("phone")
    row = tracked_dossiers().annotate(applicant_phone=Subquery(applicant_phone[:1])).filter(code=code).first()
    if method == "key":
        expected = row.lookup_key if row is not None else _NEVER
        matched = constant_time_compare(key, expected)
    else:
        expected = (
            phone_last4(getattr(row, "applicant_phone", None) or "") if row is not None else ""
        ) or _NEVER
        matched = len(phone) == 4 and constant_time_compare(phone, expected)
    if row is None or not matched:
        _count(counters, "code", "addr")
        logger.info("tracking code=%s via=%s outcome=not_found", mask_code(code), method)
        return Lookup(dossier=None)
    logger.info("tracking code=%s via=%s outcome=found", mask_code(code), method)
    return Lookup(dossier=row)
