"""Removing personal data from text that will be published (Decree 13/2023/NĐ-CP).

Staff edit the published question themselves; this is the safety net behind them: any run of 9 or more digits
(a phone number, a national ID number, a tax code, possibly written with spaces, dots or dashes) and any e-mail
address is replaced before the text reaches a public page.
"""

from __future__ import annotations

import re

HIDDEN = "***"
_NUMBER = re.compile(r"\+?\d(?:[ .\-]?\d){8,}")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def redact(text: str) -> str:
    """`text` with long digit runs and e-mail addresses replaced by ***."""
    return _NUMBER.sub(HIDDEN, _EMAIL.sub(HIDDEN, text))
