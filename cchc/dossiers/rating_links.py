"""The signed rating link (liên kết đánh giá) sent in the notice to the applicant.

The link carries the dossier id and, optionally, the level chosen in the message, signed with the site's secret
key and a salt of its own (django.core.signing) and stamped with its creation time: it opens the rating page
without signing in, cannot be forged or pointed at another dossier, and expires after RATING_LINK_MAX_AGE.
Opening it (GET) records nothing: mail scanners and link previews follow links, so the rating is recorded by
the one button on the page it opens (POST).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cchc.dossiers.models import Dossier, RatingLevel

RATING_LINK_SALT = "cchc.portal.rating-link"
# The signed rating link in the notification (ours): valid for 30 days after it was written.
RATING_LINK_MAX_AGE: Final = dt.timedelta(days=30)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class RatingLinkInvalid(Exception):
    """The link was altered, cut or made with another key."""


class RatingLinkExpired(RatingLinkInvalid):
    """The link is genuine but older than RATING_LINK_MAX_AGE."""


@dataclass(frozen=True)
class RatingClaim:
    """What a genuine link says: the dossier, and the level chosen in the message ("" when none)."""

    dossier_id: int
    level: str


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=RATING_LINK_SALT)


def rating_token(dossier: Dossier, level: str | None = None) -> str:
    """The signed token of the link; `level` is one of RatingLevel or None (the page offers all three)."""
    if dossier.pk is None:
        raise ValueError("Hồ sơ chưa được lưu.")
    chosen = "" if level is None else RatingLevel(level).value
    return _signer().sign_object({"d": dossier.pk, "l": chosen})


def rating_token_read(token: str) -> RatingClaim:
    """The claim of a token, or RatingLinkExpired / RatingLinkInvalid."""
    try:
        payload: Any = _signer().unsign_object(token, max_age=RATING_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise RatingLinkExpired(str(exc)) from None
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise RatingLinkInvalid(str(exc)) from None
    if not isinstance(payload, dict):
        raise RatingLinkInvalid("payload")
    dossier_id, level = payload.get("d"), payload.get("l", "")
    if not isinstance(dossier_id, int) or isinstance(dossier_id, bool) or dossier_id <= 0:
        raise RatingLinkInvalid("dossier")
    if level not in ("", *RatingLevel.values):
        raise RatingLinkInvalid("level")
    return RatingClaim(dossier_id=dossier_id, level=str(level))


def public_base_url() -> str:
    """The site's public address, as for the tracking link printed on Mẫu 01 (settings.CCHC_PUBLIC_URL)."""
    base = getattr(settings, "CCHC_PUBLIC_BASE_URL", "") or getattr(settings, "CCHC_PUBLIC_URL", "")
    return str(base or DEFAULT_PUBLIC_URL).rstrip("/")


def rating_link(dossier: Dossier, level: str | None = None) -> str:
    """The absolute rating link for the notice templates, e.g. one per level in an e-mail.

    The page it opens is the portal's (cchc.portal.views); only its URL name is known here.
    """
    return public_base_url() + reverse("portal-rating-link", kwargs={"token": rating_token(dossier, level)})
