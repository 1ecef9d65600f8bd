"""What the identity provider says about a citizen (OpenID Connect Core 1.0 §5.1 claims), normalised for the
profile. The relying party itself (discovery, PKCE, the ID token's checks, the browser's flow) is cchc.core.oidc,
which staff sign in through too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from cchc.citizens.contacts import normalise_email, normalise_phone
from cchc.core.oidc import OidcIdentity, id_number_from_claims


@dataclass(frozen=True)
class OidcPerson:
    """What the provider states about the person, normalised; "" or None where it said nothing usable."""

    full_name: str = ""
    birth_date: dt.date | None = None
    id_number: str = ""
    phone: str = ""
    phone_verified: bool = False
    email: str = ""
    email_verified: bool = False


def _birth_date(value: Any) -> dt.date | None:
    # Core §5.1: YYYY-MM-DD, with 0000 for an undisclosed year; dd/mm/yyyy is accepted too.
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(str(value), pattern).date()
        except ValueError:
            continue
    return None


def person_from_claims(claims: Mapping[str, Any], *, id_number_claim: str) -> OidcPerson:
    """The person described by the ID token and userinfo claims (Core §5.1), each value checked."""
    name = str(claims.get("name") or "").strip()
    if not name:
        parts = (claims.get("family_name"), claims.get("middle_name"), claims.get("given_name"))
        name = " ".join(str(part).strip() for part in parts if part)
    phone = email = ""
    with contextlib.suppress(ValidationError):
        phone = normalise_phone(str(claims.get("phone_number") or ""))
    with contextlib.suppress(ValidationError):
        email = normalise_email(str(claims.get("email") or "")) if claims.get("email") else ""
    return OidcPerson(
        full_name=" ".join(name.split())[:255],
        birth_date=_birth_date(claims.get("birthdate")) if claims.get("birthdate") else None,
        id_number=id_number_from_claims(claims, id_number_claim),
        phone=phone,
        phone_verified=phone != "" and claims.get("phone_number_verified") is True,
        email=email,
        email_verified=email != "" and claims.get("email_verified") is True,
    )


def person_of(identity: OidcIdentity) -> OidcPerson:
    return person_from_claims(identity.claims, id_number_claim=identity.id_number_claim)
