"""Accent-free Vietnamese folding for search."""

import pytest

from cchc.core.folding import fold, fold_terms


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ĐĂNG KÝ khai sinh", "dang ky khai sinh"),
        ("Giấy phép xây dựng", "giay phep xay dung"),
        ("đ Đ", "d d"),
        ("Thủ tục   cấp—lại (bản sao)", "thu tuc cap lai ban sao"),
        ("1.001193", "1.001193"),
        ("Nguyễn Thị Ánh Tuyết", "nguyen thi anh tuyet"),
        ("Quyết định số 12/2025/QĐ-UBND", "quyet dinh so 12 2025 qd ubnd"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_handles_decomposed_input() -> None:
    # "ế" typed as e + combining circumflex + combining acute (NFD) folds the same as the composed form.
    assert fold("Tie\u0302\u0301ng Vie\u0323\u0302t") == fold("Tiếng Việt") == "tieng viet"


def test_fold_terms_drops_empty_words() -> None:
    assert fold_terms("  Đăng   ký , kinh doanh ") == ["dang", "ky", "kinh", "doanh"]


def test_dots_stay_inside_codes_but_not_at_word_ends() -> None:
    assert fold_terms("khai sinh. 1.001612 ...") == ["khai", "sinh", "1.001612"]
