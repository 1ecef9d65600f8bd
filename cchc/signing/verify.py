"""Verifying the signatures of a PDF (xác thực chữ ký số) against the trusted roots and their revocation lists.

Each signature is judged on what a reader of the document needs to know: is the document unchanged since it was
signed, is the signature mathematically right, and was the certificate issued by a trusted authority, within its
validity and not revoked at the signing time. Nothing is fetched: the roots and the revocation lists are given
(`Trust`), so verification works offline and the same way on every server. Messages are Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from functools import partial

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from cchc.signing.signer import outside_event_loop

logger = logging.getLogger("cchc.signing")

TAMPERED = _("Tài liệu đã bị thay đổi sau khi ký.")
BROKEN = _("Chữ ký số không đúng với nội dung tài liệu.")
EXPIRED = _("Chứng thư số đã hết hạn (hoặc chưa có hiệu lực) vào thời điểm ký.")
REVOKED = _("Chứng thư số đã bị thu hồi.")
UNTRUSTED = _("Chứng thư số không do tổ chức chứng thực tin cậy cấp.")
UNCHECKED = _("Không kiểm tra được chứng thư số.")
NOT_PDF = _("Tệp không phải PDF hợp lệ.")


@dataclass(frozen=True)
class Trust:
    """The roots signatures must chain to, and their current revocation lists (DER)."""

    roots: tuple[bytes, ...]
    crls: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class SignatureCheck:
    """One signature: valid or not, with the reason; who signed (common name, organisation) and when."""

    field: str
    valid: bool
    problem: str
    signer: str
    organisation: str
    signed_at: dt.datetime | None


class NotAPdf(ValueError):
    pass


def _context(trust: Trust, moment: dt.datetime | None) -> ValidationContext:
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(root) for root in trust.roots],
        crls=list(trust.crls),
        allow_fetching=False,
        revocation_mode="hard-fail",
        moment=moment,
    )


def _problem(status: PdfSignatureStatus) -> StrOrPromise:
    if not status.intact:
        return TAMPERED
    if not status.valid:
        return BROKEN
    if status.revoked:
        return REVOKED
    indication = status.trust_problem_indic
    # Outside the certificate's validity with no proof the signature existed before (no trusted timestamp).
    if indication in (
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    ):
        return EXPIRED
    if indication in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE):
        return REVOKED
    if indication is AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return UNTRUSTED
    if not status.bottom_line:
        # A change after signing that the PDF rules do not allow (coverage, DocMDP), or a chain problem.
        if status.modification_level is not None and not status.docmdp_ok:
            return TAMPERED
        return UNCHECKED if status.trusted else UNTRUSTED
    return ""


def _name(certificate: asn1_x509.Certificate, key: str) -> str:
    return str(certificate.subject.native.get(key, ""))


def verify_pdf(pdf: bytes, trust: Trust, *, moment: dt.datetime | None = None) -> list[SignatureCheck]:
    """Every signature of `pdf`, in document order (empty when it has none); NotAPdf for a file that is not one.

    `moment` is when to judge the certificates (default: now): a certificate that expires later does not make
    an earlier signature invalid only when a trusted timestamp proves the signing time, which B-B signatures
    do not carry, so the default is the safe one.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        reader.root  # noqa: B018 - reading the catalogue is what tells a PDF from something else
    except (PdfReadError, ValueError, KeyError) as error:
        raise NotAPdf(str(NOT_PDF)) from error
    try:
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError):  # a signature whose content cannot even be parsed
        logger.warning("the signatures of a PDF could not be read", exc_info=True)
        return [SignatureCheck("", False, str(BROKEN), "", "", None)]
    checks = []
    for signature in embedded:
        try:
            status = outside_event_loop(partial(validate_pdf_signature, signature, _context(trust, moment)))
        except Exception:  # a malformed signature in an uploaded file is a verdict, not a crash
            logger.warning("signature %s could not be validated", signature.field_name, exc_info=True)
            checks.append(SignatureCheck(signature.field_name, False, str(UNCHECKED), "", "", None))
            continue
        problem = str(_problem(status))
        checks.append(
            SignatureCheck(
                field=signature.field_name,
                valid=not problem,
                problem=problem,
                signer=_name(status.signing_cert, "common_name"),
                organisation=_name(status.signing_cert, "organization_name"),
                signed_at=status.signer_reported_dt,
            )
        )
    return checks
