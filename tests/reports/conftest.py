"""The fixtures of the plan tests: the world, Home Affairs and the province committee."""

from tests.plans.conftest import (  # noqa: F401 - fixtures used by name
    committee,
    home_affairs,
    world,
)
