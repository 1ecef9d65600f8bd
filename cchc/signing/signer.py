"""Signing a PDF (ký số): PAdES baseline B-B signatures through pyHanko, added as an incremental update so the
signed document keeps its PDF/A identification and every byte before the signature.

`Signer` is the one interface the platform calls: `KeySigner` holds a key in memory (the local authority's
certificates in development and tests); `cchc.signing.pkcs11.TokenSigner` signs with a key that never leaves a
PKCS#11 token or hardware security module; `cchc.signing.remote.RemoteSigner` asks a remote signing service
(the Cloud Signature Consortium API). All of them go through `sign_with`.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

T = TypeVar("T")


def outside_event_loop(call: Callable[[], T]) -> T:
    """Run `call` here, or in a worker thread when this thread already runs an event loop: pyHanko's synchronous
    functions start one of their own (asyncio.run), which cannot nest (an async caller, a browser-driving test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


class SigningError(ValueError):
    """The document could not be signed; the message is Vietnamese, for the officer."""


@dataclass(frozen=True)
class Signature:
    """What to write into the signature: the field's name, the reason (lý do ký) and the place (nơi ký)."""

    field_name: str
    reason: str
    location: str


class Signer(Protocol):
    def sign(self, pdf: bytes, signature: Signature) -> bytes:
        """The PDF with one more signature, or SigningError."""
        ...


@dataclass(frozen=True)
class KeySigner:
    """A signer whose key and certificate (with the issuing chain) are PEM bytes held in memory."""

    key_pem: bytes
    certificate_pem: bytes
    chain_pem: bytes = b""

    def _signer(self) -> signers.SimpleSigner:
        (certificate,) = load_certs_from_pemder_data(self.certificate_pem)
        chain = list(load_certs_from_pemder_data(self.chain_pem)) if self.chain_pem else []
        return signers.SimpleSigner(
            signing_cert=certificate,
            signing_key=load_private_key_from_pemder_data(self.key_pem, passphrase=None),
            cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),  # type: ignore[no-untyped-call]
        )

    def sign(self, pdf: bytes, signature: Signature) -> bytes:
        return sign_with(pdf, signature, lambda: nullcontext(self._signer()))


def sign_with(
    pdf: bytes, signature: Signature, open_signer: Callable[[], AbstractContextManager[signers.Signer]]
) -> bytes:
    """`pdf` with one more PAdES signature by the pyHanko signer that `open_signer()` opens, added as an
    incremental update. The signer is opened, used and closed where the signing runs, so a token's session lives
    in one thread."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError) as error:
        raise SigningError(_("Tệp không phải PDF hợp lệ, không ký được.")) from error
    metadata = signers.PdfSignatureMetadata(
        field_name=signature.field_name,
        reason=signature.reason,
        location=signature.location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )

    def run() -> io.BytesIO:
        with open_signer() as signer:
            out: io.BytesIO = signers.sign_pdf(writer, metadata, signer=signer)
            return out

    try:
        out = outside_event_loop(run)
    except SigningError:
        raise
    except (PdfReadError, ValueError) as error:
        raise SigningError(_("Không ký được tài liệu này.")) from error
    return bytes(out.getbuffer())
