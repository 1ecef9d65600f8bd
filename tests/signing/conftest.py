"""A real form of the platform to sign: Mẫu 01 (PDF/A-2b) of a dossier of the dossier tests' `world`."""

from pathlib import Path
from typing import Any

import pytest

from cchc.dossiers import services
from cchc.dossiers.forms import form_pdf
from tests.dossiers.conftest import World, at, world  # noqa: F401 - the fixture is used by name


@pytest.fixture
def receipt(world: World) -> bytes:  # noqa: F811 - `world` is the fixture imported above
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )
    return form_pdf(dossier=dossier, form="01")


@pytest.fixture
def local(settings: Any, tmp_path: Path) -> Path:
    """The local development authority on, kept in a folder of the test's own."""
    settings.CCHC_SIGNING_DIR = tmp_path / "signing"
    settings.CCHC_SIGNING_LOCAL_CA = True
    settings.CCHC_SIGNING_TRUST_DIR = ""
    return tmp_path / "signing"


def blank_pdf() -> bytes:
    """A one-page blank A4 PDF, standing in for a scan made at the counter."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    writer = PdfFileWriter()
    size = [generic.NumberObject(n) for n in (0, 0, 595, 842)]
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/MediaBox"): generic.ArrayObject(size),
            }
        )
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
