"""Every number of online payment, in one place, each with its source.

Sources: the VNPAY "pay" API 2.1.0 as publicly documented (sandbox.vnpayment.vn/apis/docs), and the national
payment channel codes of the dossier sync (docs/domain.md §3). A "(verify)" marks a value whose exact source
text was not at hand; it is kept here so that it is easy to change.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

# VNPAY 2.1.0: vnp_Version, vnp_Command, vnp_CurrCode of a payment request.
VNPAY_VERSION: Final = "2.1.0"
VNPAY_COMMAND: Final = "pay"
VNPAY_CURRENCY: Final = "VND"
# VNPAY 2.1.0: vnp_OrderType, the goods category code; fees and charges are bills (billpayment) (verify).
VNPAY_ORDER_TYPE: Final = "billpayment"
# VNPAY 2.1.0: vnp_Amount is the amount in VND multiplied by 100 (no decimal separator).
VNPAY_AMOUNT_FACTOR: Final = 100
# VNPAY 2.1.0: vnp_CreateDate and vnp_ExpireDate are yyyyMMddHHmmss in GMT+7.
VNPAY_DATE_FORMAT: Final = "%Y%m%d%H%M%S"
# VNPAY 2.1.0: vnp_ResponseCode and vnp_TransactionStatus "00" mean the transaction succeeded.
VNPAY_SUCCESS: Final = "00"

# How long the gateway accepts a payment after it was started (vnp_ExpireDate); VNPAY's examples use 15 minutes.
PAYMENT_LIFETIME: Final = dt.timedelta(minutes=15)
# The reconciliation list flags a payment still pending this long after it started: the gateway has let it
# expire (PAYMENT_LIFETIME), so its notification (IPN) was lost or refused.
PENDING_ALERT_AFTER: Final = dt.timedelta(minutes=60)

# VNPAY accepts amounts from 5,000 VND to under 1,000,000,000 VND per transaction (sandbox message for
# code 71/"số tiền không hợp lệ") (verify).
MIN_AMOUNT_VND: Final = 5_000
MAX_AMOUNT_VND: Final = 999_999_999

# The national payment channel code written on a paid fee line (DossierFee.payment_channel):
# 1 national public service portal, 2 provincial portal (docs/domain.md §3). This installation is a
# provincial portal unless CCHC_PAYMENT_CHANNEL says otherwise.
CHANNEL_NATIONAL_PORTAL: Final = 1
CHANNEL_PROVINCIAL_PORTAL: Final = 2
DEFAULT_CHANNEL: Final = CHANNEL_PROVINCIAL_PORTAL

# Guessing a dossier's lookup key on the payment page: failures per client address within the window.
ACCESS_MAX_FAILURES: Final = 20
ACCESS_WINDOW_SECONDS: Final = 900

# A callback's parameters are logged as received, bounded so that forged callbacks cannot fill the database.
CALLBACK_MAX_PARAMS: Final = 40
CALLBACK_MAX_VALUE_CHARS: Final = 500
