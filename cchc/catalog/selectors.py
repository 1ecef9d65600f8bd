"""Reads of the procedure catalog shared by pages, the API and other apps."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, F, Func, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils import timezone

from cchc.catalog.models import (
    Component,
    FeeRule,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    VersionStatus,
)
from cchc.core.folding import fold, fold_terms

# Statuses whose versions were in force for some period (a retired one was, until its valid_to).
_ANNOUNCED = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
# Trigram fallback threshold: word similarity of the folded query to search_text (PostgreSQL only).
# What a result list shows (pages and API); the rest of a version is read on its own page.
_LIST_FIELDS = (
    "procedure__code",
    "procedure__is_local_code",
    "field__code",
    "field__name",
    "number",
    "name",
    "search_text",
    "level_province",
    "level_commune",
    "level_note",
    "agency",
    "online_level",
    "time_limit_amount",
    "time_limit_unit",
    "time_limit_cutoff",
    "time_limit_note",
)
# A national procedure code, e.g. 1.001193 or 2.000635.
_CODE = re.compile(r"\d+\.\d+")
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


def procedure_version_for_code(
    *, code: str, on: dt.date | None = None, parts: bool = True
) -> ProcedureVersion | None:
    """The version in force on a day (default: today) of the procedure with this code, its parts prefetched
    unless `parts` is False (a caller that reads them through `version_parts`)."""
    day = on or timezone.localdate()
    found = ProcedureVersion.objects.filter(_in_force_on(day), procedure__code__iexact=code.strip())
    if parts:
        found = found.prefetch_related("components", "fees", "process_steps")
    return found.select_related("procedure", "field").order_by("-valid_from", "-number").first()


@dataclass(frozen=True)
class VersionParts:
    """A version's checklist (thành phần hồ sơ), fees and process template."""

    components: tuple[Component, ...]
    fees: tuple[FeeRule, ...]
    steps: tuple[ProcessStep, ...]


_parts_cache: dict[tuple[int, Any], VersionParts] = {}


def version_parts(version: ProcedureVersion) -> VersionParts:
    """A version's parts. A published version never changes (PublishedVersionImmutableError), so its parts are
    read once per process; a draft's are read every time."""
    # Keyed by publication too: a primary key alone can come back after a rolled-back transaction (SQLite).
    key = (version.pk, version.published_at)
    cached = _parts_cache.get(key)
    if cached is not None:
        return cached
    parts = VersionParts(
        components=tuple(version.components.all()),
        fees=tuple(version.fees.all()),
        steps=tuple(version.process_steps.select_related("unit").order_by("order")),
    )
    if version.status != VersionStatus.DRAFT and len(_parts_cache) < 10_000:
        _parts_cache[key] = parts
    return parts


def forget_version_parts() -> None:
    """Drop the per-process copy of published versions' parts (tests roll back what they publish)."""
    _parts_cache.clear()


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


class _AllWordsMatch(Func):
    """PostgreSQL: every word of the folded query is a word of search_text (full-text, 'simple' dictionary).

    Answered from the GIN index on to_tsvector('simple', search_text) (migration 0005), in well under a
    millisecond for 6,000 procedures, whatever the words.
    """

    output_field = BooleanField()
    # Two arguments, the column and the query: "to_tsvector(…, col) @@ plainto_tsquery(…, %s)".
    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    arg_joiner = ") @@ plainto_tsquery('simple'::regconfig, "


def _all_words(queryset: QuerySet[ProcedureVersion], terms: list[str]) -> QuerySet[ProcedureVersion]:
    """Keep the versions whose search_text holds every term as a whole word.

    Vietnamese words are short syllables: a bare substring test would let "tu" (tử) match "tuc" (tục).
    PostgreSQL answers from its GIN full-text index (migration 0005), SQLite from its FTS5 table (0006).
    Folded terms hold only [0-9a-z.], so quoting each one as an FTS5 string is safe.
    """
    if settings.IS_POSTGRES:
        return queryset.filter(_AllWordsMatch(F("search_text"), Value(" ".join(terms))))
    match = " ".join(f'"{term}"' for term in terms)
    return queryset.filter(
        id__in=RawSQL("SELECT rowid FROM catalog_version_fts WHERE catalog_version_fts MATCH %s", (match,))
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
        # Filters alone list procedures; a query of only symbols ("😀", "…") matches nothing.
        return [] if query.strip() else list(base[:limit])
    plain = _all_words(base, terms)
    # Ranked in the database on the version table alone, so only `limit` rows are joined and read: the exact
    # code first (when the query looks like a code), then names that start with the query (with or without
    # "Thủ tục"), then shorter texts (fewer words beside the query). One query: the ranked ids are a subquery.
    starts = Q(search_text__startswith=f" {folded_query} ") | Q(
        search_text__startswith=f" thu tuc {folded_query} "
    )
    rank: dict[str, Any] = {
        "starts": Case(When(starts, then=Value(0)), default=Value(1)),
        "text_length": Length("search_text"),
    }
    order = ["starts", "text_length", "id"]
    if _CODE.fullmatch(folded_query):
        rank["exact_code"] = Case(When(procedure__code=folded_query, then=Value(0)), default=Value(1))
        order.insert(0, "exact_code")
    top = plain.select_related(None).annotate(**rank).order_by(*order).values("id")[:limit]
    found = list(
        ProcedureVersion.objects.filter(id__in=top)
        .select_related("procedure", "field")
        .only(*_LIST_FIELDS)
        .annotate(**rank)
        .order_by(*order)
    )
    if not found and settings.IS_POSTGRES:
        return _typo_tolerant(base, folded_query, limit)
    return found


def _typo_tolerant(base: QuerySet[ProcedureVersion], folded_query: str, limit: int) -> list[ProcedureVersion]:
    """PostgreSQL: versions whose search_text holds a close match of the query (pg_trgm word similarity).

    Only used when the exact words find nothing. word_similarity() against every candidate text is the cost:
    about 150 ms over 6,000 procedures here (bench/search_bench.py). A vocabulary of catalog words, corrected
    term by term, would be the next step if typos turn out to be frequent.
    """
    from django.contrib.postgres.search import TrigramWordSimilarity

    fuzzy = (
        base.filter(search_text__trigram_word_similar=folded_query)
        .annotate(similarity=TrigramWordSimilarity(folded_query, "search_text"))
        .filter(similarity__gte=TRIGRAM_MIN_SIMILARITY)
        .order_by("-similarity", "procedure__code")
    )
    return list(fuzzy[:limit])
