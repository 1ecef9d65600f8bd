"""Signing a PDF (ký số): PAdES baseline B-B signatures through pyHanko, added as an incremental update so the
signed document keeps its PDF/A identification and every byte before the signature.

`Signer` is the one interface the platform calls: `KeySigner` holds a key in memory (the local authority's
certificates in development and tests, or a key file); a PKCS#11 token or a remote signing service is another
implementation of the same method (pyHanko's `pkcs11` signer), which this package does not ship yet.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
        try:
            out = outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=self._signer()))
        except (PdfReadError, ValueError) as error:
            raise SigningError(_("Không ký được tài liệu này.")) from error
        return bytes(out.getbuffer())
