"""Fixtures for the dashboards: March 2026 dossiers driven through the real services, figures by hand.

Office hours 07:30-11:30 and 13:30-17:00; the procedure's limit is 3 working days, so a dossier received Monday
09/03/2026 09:00 is due Thursday 12/03/2026 17:00, one received Monday 02/03 09:00 is due Thursday 05/03 17:00.

Sở Tư pháp (justice):
- a: in person, received 09/03 09:00, resolved 10/03 15:00 (early), returned 11/03, rated very satisfied;
- b: online, received 09/03 09:00, resolved 16/03 15:00 (late);
- c: by post, received 02/03 09:00, still pending on 31/03: overdue.
  -> resolved 2, on time 1 (50,0%); new 3, online 1 (33,3%); overdue 1; rated 1, satisfied 1 (100,0%).
Sở Xây dựng (construction):
- d: in person, received 09/03 09:00, resolved 11/03 15:00 (early), returned 12/03, rated not satisfied.
  -> resolved 1, on time 1 (100,0%); new 1, online 0 (0,0%); overdue 0; rated 1, satisfied 0 (0,0%).
Channels: in person 2, online 1, post 1. Ratings: very satisfied 1, satisfied 0, not satisfied 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from cchc.dossiers.models import Channel, Dossier, RatingLevel
from cchc.portal.services import rating_give
from tests.dossiers.conftest import World, at
from tests.serviceindex.conftest import give_back, receive, resolve, world  # noqa: F401 - fixture by name

MARCH_QUERY = "?ky=month&nam=2026&so=3"


@dataclass
class March:
    world: World
    a: Dossier
    b: Dossier
    c: Dossier
    d: Dossier


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def make_march(world: World) -> March:  # noqa: F811
    a = resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    a = give_back(world, a, at(2026, 3, 11, 9))
    rating_give(dossier=a, level=RatingLevel.VERY_SATISFIED, at=at(2026, 3, 11, 10))
    b = resolve(world, receive(world, at(2026, 3, 9, 9), channel=Channel.ONLINE), at(2026, 3, 16, 15))
    c = receive(world, at(2026, 3, 2, 9), channel=Channel.POST)
    d = resolve(
        world, receive(world, at(2026, 3, 9, 9), competent_unit=world.construction), at(2026, 3, 11, 15)
    )
    d = give_back(world, d, at(2026, 3, 12, 9))
    rating_give(dossier=d, level=RatingLevel.NOT_SATISFIED, at=at(2026, 3, 12, 10))
    return March(world, a, b, c, d)


@pytest.fixture
def march(world: World) -> March:  # noqa: F811
    return make_march(world)
