"""The digital signatures of a dossier's files, checked when the dossier page shows them (cchc.signing).

Each check runs against the installation's roots and current revocation lists, so a revoked certificate shows
at once; nothing is stored as a verdict. Files that are not PDFs, or PDFs without a signature, have no checks.
"""

from __future__ import annotations

from cchc.core.blobs import BlobError, blob_read
from cchc.dossiers.models import Dossier
from cchc.signing.keystore import installation_trust
from cchc.signing.verify import NotAPdf, SignatureCheck, Trust, verify_pdf


def _checks(name: str, sha256: str, trust: Trust) -> list[SignatureCheck] | str:
    try:
        content = blob_read(name, sha256)
    except BlobError as error:
        return str(error)
    if not content.startswith(b"%PDF-"):
        return []
    try:
        return verify_pdf(content, trust)
    except NotAPdf as error:
        return str(error)


def result_checks(dossier: Dossier) -> list[SignatureCheck] | str | None:
    """The electronic result's signatures; a Vietnamese message when its file cannot be read; None without one."""
    result = getattr(dossier, "result", None)
    if result is None or not result.sha256:
        return None
    return _checks(result.file.name, result.sha256, installation_trust())


def component_signatures(dossier: Dossier) -> dict[int, list[SignatureCheck]]:
    """The signatures of each uploaded component file that has any, by component id."""
    files = [c for c in dossier.components.all() if c.file and c.sha256]
    if not files:
        return {}
    trust = installation_trust()
    found = {c.pk: _checks(c.file.name, c.sha256, trust) for c in files}
    return {pk: checks for pk, checks in found.items() if isinstance(checks, list) and checks}
