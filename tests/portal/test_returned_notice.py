"""The notice sent when the result is returned carries one signed rating link per level (Art. 33)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cchc.dossiers.models import Notification
from cchc.dossiers.services import PartyData
from tests.dossiers.conftest import World
from tests.portal.factories import returned

pytestmark = pytest.mark.django_db


def test_the_returned_notice_links_to_a_working_rating_page(world: World) -> None:
    applicant = PartyData(
        full_name="Lê Văn Cường", id_number="079203001111", phone="0912345678", email="c@x.vn"
    )
    dossier = returned(world, applicant=applicant)
    email = Notification.objects.get(dossier=dossier, template="returned", channel="email")
    links = re.findall(r"https?://\S+/danh-gia/\S+/", email.body)
    assert len(links) == 3 and len(set(links)) == 3
    assert "Rất hài lòng" in email.body and "Không hài lòng" in email.body
    path = links[0].split("://", 1)[1].split("/", 1)[1]
    page = Client().get("/" + path)
    assert page.status_code == 200
    assert "Rất hài lòng" in page.content.decode()
    sms = Notification.objects.get(dossier=dossier, template="returned", channel="sms")
    assert dossier.lookup_key in sms.body and len(sms.body) <= 134 and "…" not in sms.body
