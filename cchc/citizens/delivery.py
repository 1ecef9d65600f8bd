"""Sending a one-time code: SMS through the configured gateway (cchc.dossiers.sms), e-mail through Django.

Called by cchc.citizens.services.otp_request after the code is committed. The citizen waits on the page for the
code, so it is sent at once rather than queued; a failure is reported to them so they can ask again.
"""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from cchc.citizens import rules
from cchc.citizens.contacts import Contact, ContactKind
from cchc.dossiers.sms import SmsError, sms_gateway

logger = logging.getLogger(__name__)


class CodeDeliveryError(Exception):
    """The gateway or the mail server did not accept the message."""


def code_message(code: str) -> str:
    """The SMS text; it fits one UCS-2 segment pair (134 characters, cchc.dossiers.notifications)."""
    minutes = int(rules.OTP_VALIDITY.total_seconds() // 60)
    return _(
        "Mã xác nhận đăng nhập Dịch vụ công: %(code)s. Hiệu lực %(minutes)s phút. Không đưa mã cho ai."
    ) % {
        "code": code,
        "minutes": minutes,
    }


def code_deliver(*, contact: Contact, code: str) -> None:
    """Send `code` to `contact`; raise CodeDeliveryError when it could not be handed over."""
    text = code_message(code)
    if contact.kind == ContactKind.SMS:
        try:
            sms_gateway().send(to=contact.value, text=text)
        except SmsError as error:
            logger.warning("one-time code SMS to %s failed: %s", contact.masked, error)
            raise CodeDeliveryError(str(error)) from error
        return
    subject = _("Mã xác nhận đăng nhập Dịch vụ công")
    body = (
        text
        + "\n\n"
        + _("Nếu bạn không yêu cầu đăng nhập, hãy bỏ qua thư này; tài khoản của bạn không bị thay đổi.")
        + "\n"
    )
    try:
        send_mail(subject, body, None, [contact.value])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("one-time code e-mail to %s failed: %s", contact.masked, error)
        raise CodeDeliveryError(str(error)) from error
