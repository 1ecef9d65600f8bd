"""Panels other apps add to the staff dossier page, without `dossiers` importing them.

An app registers a function at start-up (its AppConfig.ready) that returns a `Panel` for a dossier, or None
when it has nothing to say about it. `cchc.postal` shows the result's shipment this way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django_stubs_ext import StrOrPromise

from cchc.dossiers.models import Dossier


@dataclass(frozen=True)
class Panel:
    """A titled list of (label, value) lines, already formatted for people."""

    key: str  # a stable id, for the page's anchor and for tests
    title: StrOrPromise
    rows: tuple[tuple[StrOrPromise, str], ...]


PanelSource = Callable[[Dossier], Panel | None]
_SOURCES: list[PanelSource] = []


def register_panel(source: PanelSource) -> None:
    """Add a source of panels (once, however often an app's ready() runs)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def panels_for(dossier: Dossier) -> list[Panel]:
    return [panel for source in _SOURCES if (panel := source(dossier)) is not None]
