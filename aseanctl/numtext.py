"""Numbers as people type them, in one place: ``aseanctl update --progress/--actual`` and the
forms that ``aseanctl collect read`` takes back read a figure the same way.

Vietnamese writes 2.100,5 for what English writes 2,100.5.  Whichever separator comes last
is the decimal one when both appear, and a separator repeated (1.234.567) only groups
thousands.  A lone separator followed by exactly three digits (2.100, 2,100) reads both ways
(2100 or 2.1) and is refused rather than guessed; any other lone separator is the decimal
one (2,5 and 2.5 are 2.5; 0.100 cannot be a thousands group).
"""

from __future__ import annotations

import re

from .problems import Msg

_PLAIN = re.compile(r"[0-9]+(?:[eE][+-]?[0-9]+)?")
_ONE_SEPARATOR = re.compile(r"([0-9]+)([.,])([0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED = {sep: re.compile(rf"[1-9][0-9]{{0,2}}(?:\{sep}[0-9]{{3}})+") for sep in ".,"}
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}")
_AMBIGUOUS_EXPONENT = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}[eE][+-]?[0-9]+")


class AmbiguousNumber(ValueError):
    """``text`` (2.100) reads as the whole number ``whole`` (2100) or the decimal ``fraction`` (2.1)."""

    def __init__(self, text: str, whole: int, fraction: float) -> None:
        super().__init__(text)
        self.text, self.whole, self.fraction = text, whole, fraction


def parse_number(text: str) -> float | None:
    """The figure ``text`` says (see the module's docstring); None when it is not a number.
    Raises :class:`AmbiguousNumber` for 2.100 and 2,100."""
    body = text.strip()
    sign = -1.0 if body.startswith("-") else 1.0
    body = body[1:] if body[:1] in "+-" else body
    if _PLAIN.fullmatch(body):
        return sign * float(body)
    if _AMBIGUOUS.fullmatch(body):
        whole, fraction = body.replace(",", ".").split(".")
        raise AmbiguousNumber(text.strip(), int(sign) * int(whole + fraction), sign * float(f"{whole}.{fraction}"))
    if _ONE_SEPARATOR.fullmatch(body):
        if _AMBIGUOUS_EXPONENT.fullmatch(body):  # 2,100e0: as ambiguous as 2,100, and no way anyone types a figure
            return None
        return sign * float(body.replace(",", "."))
    last = max(body.rfind("."), body.rfind(","))
    if last < 0:
        return None
    decimal = body[last]
    group = "," if decimal == "." else "."
    if body.count(decimal) > 1:  # 1.234.567: every separator groups thousands
        return sign * float(body.replace(decimal, "")) if _GROUPED[decimal].fullmatch(body) else None
    integer, fraction = body[:last], body[last + 1 :]
    if not fraction.isascii() or not fraction.isdigit() or not _GROUPED[group].fullmatch(integer):
        return None
    return sign * float(f"{integer.replace(group, '')}.{fraction}")


def number_text(value: float) -> str:
    """``value`` as text that :func:`parse_number` reads back as the same figure (2100 -> "2100",
    2.5 -> "2.5", 1.234 -> "1.2340": never a lone separator before three digits)."""
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    return f"{text}0" if _AMBIGUOUS.fullmatch(text.lstrip("-")) else text


def ambiguous_message(ambiguous: AmbiguousNumber) -> Msg:
    """What to write instead of 2.100: 2100, or 2,1 (2.1 in English)."""
    return Msg(
        "number.ambiguous",
        {
            "found": ambiguous.text,
            "whole": str(ambiguous.whole),
            "fraction_vi": number_text(ambiguous.fraction).replace(".", ","),
            "fraction_en": number_text(ambiguous.fraction),
        },
    )
