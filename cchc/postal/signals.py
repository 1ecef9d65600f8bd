"""A result returned by post opens its shipment in the same transaction (the outbox row)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from cchc.dossiers.models import Delivery
from cchc.postal.services import shipment_open


@receiver(post_save, sender=Delivery, dispatch_uid="postal_open_shipment")
def open_shipment(sender: type[Delivery], instance: Delivery, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        shipment_open(instance)
