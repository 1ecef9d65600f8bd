from tests.dossiers.conftest import world

__all__ = ["world"]
