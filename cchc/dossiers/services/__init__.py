"""Every state change of a dossier, one named function per action (Decree 118/2025/NĐ-CP).

Each runs in one transaction: it locks the dossier row, applies the lifecycle table (cchc.dossiers.lifecycle),
writes what the action produced, and appends a history event to the dossier's hash chain.
"""

from cchc.dossiers.services._common import Intake, PartyData
from cchc.dossiers.services.citizen import SuppliedFile, dossier_supplement_online
from cchc.dossiers.services.processing import (
    dossier_apologise,
    dossier_assign,
    dossier_close_unsupplemented,
    dossier_complete_supplement,
    dossier_hand_over,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return,
    dossier_stop,
    dossier_withdraw,
)
from cchc.dossiers.services.reception import (
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement_at_reception,
    dossier_submit,
    online_acceptance_due,
)

__all__ = [
    "Intake",
    "PartyData",
    "SuppliedFile",
    "dossier_apologise",
    "dossier_assign",
    "dossier_close_unsupplemented",
    "dossier_complete_supplement",
    "dossier_hand_over",
    "dossier_receive",
    "dossier_refuse",
    "dossier_request_supplement",
    "dossier_request_supplement_at_reception",
    "dossier_resolve",
    "dossier_return",
    "dossier_stop",
    "dossier_submit",
    "dossier_supplement_online",
    "dossier_withdraw",
    "online_acceptance_due",
]
