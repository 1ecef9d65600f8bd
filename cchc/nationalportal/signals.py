"""A change of a dossier's national status writes its message in the same transaction (the outbox row)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from cchc.dossiers.models import DossierEvent
from cchc.nationalportal.services import message_record


@receiver(post_save, sender=DossierEvent, dispatch_uid="nationalportal_record_message")
def record_message(sender: type[DossierEvent], instance: DossierEvent, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        message_record(instance)
