"""Vietnamese text folding for accent-free search (tìm kiếm không dấu).

"Đăng ký khai sinh", "dang ky khai sinh" and "ĐĂNG KÝ KHAI SINH" all fold to "dang ky khai sinh".
The folded form is stored in its own column so that both SQLite and PostgreSQL search it the same way.
"""

from __future__ import annotations

import re
import unicodedata

# đ/Đ are letters of their own in Unicode, not d + a combining mark, so NFD does not split them.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
_SPACES = re.compile(r"[^0-9a-z.]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics, turn đ into d and squeeze everything else to single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA).lower())
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", bare).strip()


def fold_terms(text: str) -> list[str]:
    """The folded words of a query, without empty ones.

    A dot belongs to a word only inside it (the code 1.001612); at either end it is punctuation ("khai sinh.").
    """
    terms = (term.strip(".") for term in fold(text).split(" "))
    return [term for term in terms if term]
