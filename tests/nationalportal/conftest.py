from tests.dossiers.conftest import world
from tests.signing.conftest import local, receipt

__all__ = ["local", "receipt", "world"]
