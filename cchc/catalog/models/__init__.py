"""Models of the procedure catalog (danh mục thủ tục hành chính)."""

from cchc.catalog.models.choices import (
    Channel,
    ComponentKind,
    CutKind,
    FeeKind,
    OnlineLevel,
    RequiredPart,
    ReviewStatus,
    TimeUnit,
    VersionStatus,
)
from cchc.catalog.models.procedures import (
    LIFECYCLE_FIELDS,
    Component,
    FeeRule,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    PublishedVersionImmutableError,
)
from cchc.catalog.models.reviews import ReviewCut, SimplificationReview

__all__ = [
    "LIFECYCLE_FIELDS",
    "Channel",
    "Component",
    "ComponentKind",
    "CutKind",
    "FeeKind",
    "FeeRule",
    "Field",
    "OnlineLevel",
    "Procedure",
    "ProcedureVersion",
    "ProcessStep",
    "PublishedVersionImmutableError",
    "RequiredPart",
    "ReviewCut",
    "ReviewStatus",
    "SimplificationReview",
    "TimeUnit",
    "VersionStatus",
]
