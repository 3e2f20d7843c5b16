"""Numbers typed the Vietnamese way (2.100,5) and the English way (2,100.5): one parser for
``aseanctl update`` and ``aseanctl collect read``, which refuses what reads both ways."""

from __future__ import annotations

import pytest

from aseanctl.i18n import render
from aseanctl.numtext import AmbiguousNumber, ambiguous_message, number_text, parse_number


@pytest.mark.parametrize(
    ("typed", "figure"),
    [
        ("2100", 2100),
        ("2,5", 2.5),  # the Vietnamese decimal comma
        ("2.5", 2.5),
        ("2.100,5", 2100.5),  # Vietnamese: dots group thousands
        ("2,100.5", 2100.5),  # English: commas group thousands
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("1.234.567,25", 1234567.25),
        ("0.100", 0.1),  # a group never starts with 0: a decimal
        ("1234.567", 1234.567),  # four digits before the dot: no group
        ("2.1000", 2.1),
        (" -2,5 ", -2.5),
        ("+40", 40),
        ("1e3", 1000),
        ("2,1000e1", 21),  # four decimals: no group, whatever the exponent
    ],
)
def test_what_people_type_reads_as_they_mean_it(typed: str, figure: float) -> None:
    assert parse_number(typed) == figure


@pytest.mark.parametrize(
    "typed", ["", "năm", "1.234.5", "12.34,5", "1,2.5", "1.234,", "1 000", "nan", "inf", "40%", "2,100e0", "2.100E-1"]
)
def test_what_is_not_a_number_is_none(typed: str) -> None:
    assert parse_number(typed) is None


@pytest.mark.parametrize(
    ("typed", "whole", "fraction"), [("2.100", 2100, 2.1), ("2,100", 2100, 2.1), ("-12.345", -12345, -12.345)]
)
def test_a_lone_separator_before_three_digits_is_refused_as_ambiguous(typed: str, whole: int, fraction: float) -> None:
    with pytest.raises(AmbiguousNumber) as refused:
        parse_number(typed)
    assert (refused.value.whole, refused.value.fraction) == (whole, fraction)


def test_the_refusal_says_what_to_write() -> None:
    with pytest.raises(AmbiguousNumber) as refused:
        parse_number("2.100")
    message = ambiguous_message(refused.value)
    assert render(message, "vi") == (
        "'2.100' có thể là 2100 hoặc 2,1: viết 2100 nếu là số nguyên, 2,1 (hoặc 2.1) nếu là số thập phân"
    )
    assert render(message, "en") == (
        "'2.100' reads as 2100 or as 2.1: write 2100 for the whole number, 2.1 (or 2,1) for the decimal"
    )


@pytest.mark.parametrize("figure", [2100.0, 2.5, 1.234, -1.234, 123.456, 0.001, 1e-5, 1.5e20, 99.999])
def test_number_text_reads_back_as_the_same_figure(figure: float) -> None:
    """collect read hands its figures to the recorder as text: 1.234 must not come back refused."""
    assert parse_number(number_text(figure)) == figure
