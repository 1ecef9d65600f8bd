"""Reads of the procedure catalog shared by pages, the API and other apps."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.catalog.models import Field, OnlineLevel, Procedure, ProcedureVersion, VersionStatus
from cchc.core.folding import fold, fold_terms

# Statuses whose versions were in force for some period (a retired one was, until its valid_to).
_ANNOUNCED = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
# Trigram fallback threshold: word similarity of the folded query to search_text (PostgreSQL only).
TRIGRAM_MIN_SIMILARITY = 0.7  # typos score ~0.8, unrelated phrases 0.55–0.65


def _in_force_on(on: dt.date) -> Q:
    return Q(status__in=_ANNOUNCED, valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def version_in_force(procedure: Procedure, on: dt.date) -> ProcedureVersion | None:
    """The version of `procedure` in force on a day (the one a dossier received that day is tied to)."""
    return (
        ProcedureVersion.objects.filter(_in_force_on(on), procedure=procedure)
        .order_by("-valid_from", "-number")
        .first()
    )


def procedure_version_for_code(*, code: str, on: dt.date | None = None) -> ProcedureVersion | None:
    """The version in force on a day (default: today) of the procedure with this code, parts prefetched."""
    day = on or timezone.localdate()
    return (
        ProcedureVersion.objects.filter(_in_force_on(day), procedure__code__iexact=code.strip())
        .select_related("procedure", "field")
        .prefetch_related("components", "fees", "process_steps")
        .order_by("-valid_from", "-number")
        .first()
    )


def published_versions(*, on: dt.date | None = None) -> QuerySet[ProcedureVersion]:
    """Every procedure's version in force on a day (default: today), with procedure and field loaded."""
    day = on or timezone.localdate()
    return (
        ProcedureVersion.objects.filter(_in_force_on(day))
        .select_related("procedure", "field")
        .order_by("procedure__code")
    )


def _filtered(
    queryset: QuerySet[ProcedureVersion],
    *,
    field: Field | int | str | None,
    level: str | None,
    agency: str | None,
    online_level: OnlineLevel | str | None,
) -> QuerySet[ProcedureVersion]:
    if field is not None:
        if isinstance(field, Field):
            queryset = queryset.filter(field=field)
        elif isinstance(field, int):
            queryset = queryset.filter(field_id=field)
        else:
            queryset = queryset.filter(Q(field__code=field) | Q(field__name_folded=fold(field)))
    if level in ("province", "tinh"):
        queryset = queryset.filter(level_province=True)
    elif level in ("commune", "xa"):
        queryset = queryset.filter(level_commune=True)
    if agency:
        queryset = queryset.filter(agency_folded__icontains=fold(agency))
    if online_level:
        queryset = queryset.filter(online_level=online_level)
    return queryset


def _rank(version: ProcedureVersion, folded_query: str, terms: list[str]) -> tuple[int, int, int, str]:
    """Exact code match first, then names starting with the query, then fewer extra words."""
    name = fold(version.name)
    exact_code = 0 if version.procedure.code == folded_query else 1
    starts = 0 if name.startswith(folded_query) or name.startswith(f"thu tuc {folded_query}") else 1
    extra_words = max(len(name.split()) - len(terms), 0)
    return (exact_code, starts, extra_words, version.procedure.code)


def _whole_word(term: str) -> Q:
    """`term` as a whole word of search_text (words are single spaces apart, see fold()).

    Vietnamese words are short syllables: a bare substring test would let "tu" (tử) match "tuc" (tục).
    The plain icontains comes first so PostgreSQL can use the trigram index.
    """
    return Q(search_text__icontains=term) & (
        Q(search_text__iexact=term)
        | Q(search_text__istartswith=f"{term} ")
        | Q(search_text__iendswith=f" {term}")
        | Q(search_text__icontains=f" {term} ")
    )


def procedure_search(
    *,
    query: str,
    field: Field | int | str | None = None,
    level: str | None = None,
    agency: str | None = None,
    online_level: OnlineLevel | str | None = None,
    limit: int = 20,
) -> list[ProcedureVersion]:
    """Accent-free, case-insensitive search over name, code and field of the versions in force today.

    Every folded query term must appear in `search_text` as a whole word. On PostgreSQL, when that finds nothing, the
    trigram word similarity (pg_trgm) gives typo tolerance ("giay phep xay dugn").
    """
    terms = fold_terms(query)
    folded_query = " ".join(terms)
    base = _filtered(published_versions(), field=field, level=level, agency=agency, online_level=online_level)
    if not terms:
        return list(base[:limit])
    plain = base
    for term in terms:
        plain = plain.filter(_whole_word(term))
    found = list(plain)
    if not found and settings.IS_POSTGRES:
        from django.contrib.postgres.search import TrigramWordSimilarity

        fuzzy = (
            base.annotate(similarity=TrigramWordSimilarity(folded_query, "search_text"))
            .filter(similarity__gte=TRIGRAM_MIN_SIMILARITY)
            .order_by("-similarity", "procedure__code")
        )
        return list(fuzzy[:limit])
    found.sort(key=lambda version: _rank(version, folded_query, terms))
    return found[:limit]
