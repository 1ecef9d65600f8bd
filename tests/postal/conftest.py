"""The dossier tests' `world`: a province with a centre, departments and their staff."""

from tests.dossiers.conftest import world  # noqa: F401 - the fixture is used by name
