"""Vietnamese first, English on request: the language changes only by the user's explicit choice."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_vietnamese_is_the_default_even_for_english_browsers(client) -> None:
    response = client.get("/thu-tuc/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in body
    assert "Tra cứu thủ tục hành chính" in body


def test_choosing_english_translates_the_pages(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})
    assert response.status_code == 302
    body = client.get("/thu-tuc/").content.decode()
    assert '<html lang="en">' in body
    assert "Tra cứu thủ tục hành chính" not in body
    assert "procedure" in body.lower()


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client) -> None:
    client.cookies["django_language"] = "xx"
    assert client.get("/thu-tuc/")["Content-Language"] == "vi"


def test_the_english_catalog_is_compiled_and_complete() -> None:
    """Every message has an English translation, and the shipped .mo matches the .po (no msgfmt needed)."""
    import gettext
    import re
    from pathlib import Path

    import cchc

    folder = Path(cchc.__file__).parent / "locale" / "en" / "LC_MESSAGES"
    po = (folder / "django.po").read_text()
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
    assert not re.search(r'^msgstr ""\n\n', po.split("\n\n", 1)[1] + "\n\n", re.M)
    catalog = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    assert catalog.gettext("Tra cứu thủ tục hành chính") != "Tra cứu thủ tục hành chính"
    assert catalog.pgettext("date", "ngày") == "dated"
