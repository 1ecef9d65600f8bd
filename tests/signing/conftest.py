"""The dossier tests' `world`, for a real form of the platform to sign."""

from tests.dossiers.conftest import world  # noqa: F401 - the fixture is used by name
