"""Rating (đánh giá mức độ hài lòng): after return only, once per dossier, through the service, the tracking page
and the signed link of the notice; history events that still verify."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.utils import timezone

from cchc.dossiers.history import history_verify
from cchc.dossiers.models import Dossier, DossierEvent, Rating, RatingLevel
from cchc.dossiers.rating_links import (
    RATING_LINK_MAX_AGE,
    RATING_LINK_SALT,
    RatingLinkExpired,
    RatingLinkInvalid,
    rating_link,
    rating_token,
    rating_token_read,
)
from cchc.portal import services
from cchc.portal.services import AlreadyGiven, NotReturnedYet
from tests.dossiers.conftest import World, at
from tests.portal.factories import received, resolved, returned

pytestmark = pytest.mark.django_db

RATE = "/tra-cuu/danh-gia/"
THANKS = "Cảm ơn Ông/Bà đã đánh giá mức độ hài lòng."
ALREADY = "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."


# -- the service ------------------------------------------------------------------------------------------------
def test_rating_a_returned_dossier_writes_the_row_and_a_history_event(world: World) -> None:
    dossier = returned(world)
    length = dossier.history_length
    rating = services.rating_give(
        dossier=dossier, level=RatingLevel.VERY_SATISFIED, comment="  Nhanh, chu đáo  ", at=at(2026, 3, 12, 9)
    )
    assert (rating.level, rating.comment, rating.rated_at) == (
        "very_satisfied",
        "Nhanh, chu đáo",
        at(2026, 3, 12, 9),
    )
    event = DossierEvent.objects.get(dossier=dossier, seq=length + 1)
    assert event.action == "rate"
    assert event.actor_id is None
    assert event.state_before == event.state_after == "returned"
    # The citizen's free text stays out of the append-only history.
    assert event.changes == {"level": "very_satisfied", "with_comment": True}
    assert history_verify(dossier_ids=[dossier.pk]) == []
    dossier.refresh_from_db()
    assert dossier.state == "returned"


@pytest.mark.parametrize("stage", ["received", "resolved"])
def test_rating_before_return_is_refused_and_changes_nothing(world: World, stage: str) -> None:
    dossier = received(world) if stage == "received" else resolved(world)
    length = dossier.history_length
    with pytest.raises(NotReturnedYet, match="sau khi hồ sơ đã trả kết quả"):
        services.rating_give(dossier=dossier, level=RatingLevel.SATISFIED)
    assert not Rating.objects.exists()
    dossier.refresh_from_db()
    assert dossier.history_length == length


def test_a_second_rating_is_refused_and_the_first_is_kept(world: World) -> None:
    dossier = returned(world)
    services.rating_give(dossier=dossier, level=RatingLevel.NOT_SATISFIED)
    length = Dossier.objects.get(pk=dossier.pk).history_length
    with pytest.raises(AlreadyGiven, match="chỉ được đánh giá một lần"):
        services.rating_give(dossier=dossier, level=RatingLevel.VERY_SATISFIED)
    assert Rating.objects.get().level == RatingLevel.NOT_SATISFIED
    assert Dossier.objects.get(pk=dossier.pk).history_length == length


@pytest.mark.parametrize("level", ["", "delighted", "Very_Satisfied"])
def test_an_unknown_level_is_refused(world: World, level: str) -> None:
    from cchc.dossiers.lifecycle import RuleBroken

    with pytest.raises(RuleBroken, match="không hợp lệ"):
        services.rating_give(dossier=returned(world), level=level)


def test_a_comment_too_long_is_refused(world: World) -> None:
    from cchc.dossiers.lifecycle import RuleBroken

    with pytest.raises(RuleBroken, match="1000 ký tự"):
        services.rating_give(dossier=returned(world), level=RatingLevel.SATISFIED, comment="x" * 1001)
    assert not Rating.objects.exists()


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="concurrent writers need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_ratings_at_the_same_moment_give_one_row(world: World) -> None:
    dossier = returned(world)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def rate(level: str) -> None:
        try:
            barrier.wait()
            services.rating_give(dossier=dossier, level=level)
            outcomes.append("ok")
        except AlreadyGiven:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(level,)) for level in [*RatingLevel.values, "satisfied"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "already", "already", "ok"]
    assert Rating.objects.filter(dossier=dossier).count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="rate").count() == 1
    assert history_verify(dossier_ids=[dossier.pk]) == []


# -- on the tracking page -----------------------------------------------------------------------------------------
def test_tracking_page_of_a_returned_dossier_offers_the_three_levels(world: World, client: Client) -> None:
    dossier = returned(world)
    html = client.get(f"/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}").content.decode()
    for value, label in RatingLevel.choices:
        assert f'name="muc" value="{value}"' in html
        assert str(label) in html
    assert f'<input type="hidden" name="khoa" value="{dossier.lookup_key}">' in html


def test_tracking_page_before_return_offers_no_rating(world: World, client: Client) -> None:
    dossier = resolved(world)
    html = client.get(f"/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}").content.decode()
    assert 'name="muc"' not in html


def test_rate_from_the_tracking_page_with_code_and_key(world: World, client: Client) -> None:
    dossier = returned(world)
    response = client.post(
        RATE, {"ma": dossier.code, "khoa": dossier.lookup_key, "muc": "satisfied", "y_kien": "Tốt"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert THANKS in html
    assert "Ông/Bà đã đánh giá: Hài lòng." in html
    assert 'name="muc"' not in html
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.level, rating.comment) == ("satisfied", "Tốt")


def test_rate_from_the_tracking_page_with_phone_digits(world: World, client: Client) -> None:
    dossier = returned(world)
    response = client.post(RATE, {"ma": dossier.code, "so": "5678", "muc": "not_satisfied"})
    assert response.status_code == 200
    assert Rating.objects.get(dossier=dossier).level == "not_satisfied"


def test_rate_with_a_wrong_key_is_not_found_and_records_nothing(world: World, client: Client) -> None:
    dossier = returned(world)
    response = client.post(RATE, {"ma": dossier.code, "khoa": "WRONGKEY", "muc": "satisfied"})
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_second_rating_on_the_page_gets_the_message_and_changes_nothing(world: World, client: Client) -> None:
    dossier = returned(world)
    data = {"ma": dossier.code, "khoa": dossier.lookup_key}
    client.post(RATE, {**data, "muc": "very_satisfied"})
    again = client.post(RATE, {**data, "muc": "not_satisfied"})
    assert again.status_code == 409
    assert ALREADY in again.content.decode()
    assert Rating.objects.get().level == "very_satisfied"


def test_rate_before_return_on_the_page_is_refused(world: World, client: Client) -> None:
    dossier = resolved(world)
    response = client.post(RATE, {"ma": dossier.code, "khoa": dossier.lookup_key, "muc": "satisfied"})
    assert response.status_code == 409
    assert "Chỉ đánh giá được sau khi hồ sơ đã trả kết quả." in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize("level", ["", "delighted"])
def test_a_forged_level_on_the_page_is_400(world: World, client: Client, level: str) -> None:
    dossier = returned(world)
    response = client.post(RATE, {"ma": dossier.code, "khoa": dossier.lookup_key, "muc": level})
    assert response.status_code == 400
    assert "mức độ hài lòng" in response.content.decode()
    assert not Rating.objects.exists()


def test_rating_needs_post(client: Client, db: None) -> None:
    assert client.get(RATE).status_code == 405


# -- the signed link ----------------------------------------------------------------------------------------------
def _path(link: str) -> str:
    return link.removeprefix(settings.CCHC_PUBLIC_URL.rstrip("/"))


def test_rating_link_is_absolute_and_reads_back(world: World) -> None:
    dossier = returned(world)
    link = rating_link(dossier, RatingLevel.VERY_SATISFIED)
    assert link.startswith(settings.CCHC_PUBLIC_URL.rstrip("/") + "/danh-gia/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    claim = rating_token_read(token)
    assert (claim.dossier_id, claim.level) == (dossier.pk, "very_satisfied")
    assert rating_token_read(rating_token(dossier)).level == ""


def test_rating_link_uses_the_public_base_url(world: World, settings: Any) -> None:
    settings.CCHC_PUBLIC_URL = "https://dichvucong.example.gov.vn/"
    assert rating_link(returned(world)).startswith("https://dichvucong.example.gov.vn/danh-gia/")


def test_opening_the_link_shows_the_dossier_and_records_nothing(world: World, client: Client) -> None:
    dossier = returned(world)
    response = client.get(_path(rating_link(dossier, RatingLevel.SATISFIED)))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Hồ sơ {dossier.code}" in html
    assert "Ông/Bà đã chọn “Hài lòng” trong thông báo." in html
    assert 'value="satisfied" class="level level-satisfied chosen" autofocus' in html
    assert not Rating.objects.exists()


def test_rating_through_the_link_without_signing_in(world: World, client: Client) -> None:
    dossier = returned(world)
    token = rating_token(dossier, RatingLevel.VERY_SATISFIED)
    response = client.post(RATE, {"lien_ket": token, "muc": "very_satisfied"})
    assert response.status_code == 200
    assert THANKS in response.content.decode()
    assert Rating.objects.get(dossier=dossier).level == "very_satisfied"
    # The same link again: refused, nothing changes.
    again = client.post(RATE, {"lien_ket": token, "muc": "not_satisfied"})
    assert again.status_code == 409
    assert Rating.objects.get(dossier=dossier).level == "very_satisfied"


def test_a_tampered_link_is_refused(world: World, client: Client) -> None:
    dossier = returned(world)
    other = returned(world)
    token = rating_token(dossier)
    value, stamp, signature = token.rsplit(":", 2)
    forged_payload = signing.b64_encode(f'{{"d":{other.pk},"l":""}}'.encode()).decode()
    for forged in (
        f"{forged_payload}:{stamp}:{signature}",  # pointed at another dossier
        f"{value}:{stamp}:{signature[:-2]}xx",  # signature altered
        token[:-1],  # cut
        "khong-phai-lien-ket",
    ):
        with pytest.raises(RatingLinkInvalid):
            rating_token_read(forged)
        page = client.get(f"/danh-gia/{forged}/")
        assert page.status_code == 400
        assert "Liên kết đánh giá không hợp lệ" in page.content.decode()
        post = client.post(RATE, {"lien_ket": forged, "muc": "satisfied"})
        assert post.status_code == 400
    assert not Rating.objects.exists()


def test_a_link_signed_for_another_purpose_is_refused(world: World) -> None:
    dossier = returned(world)
    foreign = signing.TimestampSigner(salt="another-purpose").sign_object({"d": dossier.pk, "l": ""})
    with pytest.raises(RatingLinkInvalid):
        rating_token_read(foreign)


class _SignerFrom(signing.TimestampSigner):
    """A genuine signer whose clock is `age` in the past: it makes real links of a given age."""

    def __init__(self, age_seconds: float) -> None:
        super().__init__(salt=RATING_LINK_SALT)
        self.age_seconds = age_seconds

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time() - self.age_seconds))


def test_an_expired_link_is_refused_with_its_own_message(world: World, client: Client) -> None:
    dossier = returned(world)
    max_age = RATING_LINK_MAX_AGE.total_seconds()
    assert max_age == 30 * 24 * 3600
    fresh = _SignerFrom(max_age - 60).sign_object({"d": dossier.pk, "l": "satisfied"})
    old = _SignerFrom(max_age + 60).sign_object({"d": dossier.pk, "l": "satisfied"})
    assert rating_token_read(fresh).dossier_id == dossier.pk
    with pytest.raises(RatingLinkExpired):
        rating_token_read(old)
    page = client.get(f"/danh-gia/{old}/")
    assert page.status_code == 410
    assert "Liên kết đánh giá đã hết hạn" in page.content.decode()
    assert client.post(RATE, {"lien_ket": old, "muc": "satisfied"}).status_code == 410
    assert not Rating.objects.exists()


def test_a_link_to_a_dossier_not_yet_returned_is_refused_on_posting(world: World, client: Client) -> None:
    dossier = resolved(world)
    token = rating_token(dossier)
    assert client.get(f"/danh-gia/{token}/").status_code == 200
    response = client.post(RATE, {"lien_ket": token, "muc": "satisfied"})
    assert response.status_code == 409
    assert not Rating.objects.exists()


def test_rated_at_defaults_to_now(world: World) -> None:
    before = timezone.now()
    rating = services.rating_give(dossier=returned(world), level=RatingLevel.SATISFIED)
    assert before <= rating.rated_at <= timezone.now()
