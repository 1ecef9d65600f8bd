"""Template filters of the payment pages."""

from __future__ import annotations

from django import template

from cchc.payments.amounts import format_vnd

register = template.Library()


@register.filter(name="vnd")
def vnd(amount: int | str | None) -> str:
    """50000 → "50.000 đ"; "" for no amount."""
    if amount is None or amount == "":
        return ""
    return format_vnd(int(amount))
