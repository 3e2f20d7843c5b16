"""How dates, numbers and owners read, in both languages: one definition, shared by the
views (``aseanctl status``, ``show``, ``log``, ``owners``) and the reports, so a day or a
per cent never reads one way on the terminal and another in a report.

Pure and light: no rich, no Jinja2; ``aseanctl status --format json`` imports nothing more
for it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from .i18n import Lang
from .model import Owner


@lru_cache(maxsize=4096)  # a report or a table formats the same few hundred days thousands of times
def format_date(day: dt.date | str | None, lang: Lang, empty: str = "") -> str:
    """dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English; ``day`` is a date or an ISO day, and
    no day is ``empty``."""
    if not day:
        return empty
    iso = day if isinstance(day, str) else day.isoformat()
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if lang == "vi" else iso


def format_number(value: float, lang: Lang) -> str:
    """At most one decimal, with the decimal comma in Vietnamese: 40 -> "40", 27.5 -> "27,5"."""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "vi" else text


def localized(text: str | None, text_en: str | None, lang: Lang) -> str | None:
    """The English text in English when there is one, else the (Vietnamese) text."""
    return (text_en if lang == "en" else None) or text


def owner_name(owner_id: str | None, owners: dict[str, Owner], lang: Lang) -> str:
    """An owner's full name in the language ("Sở Nội vụ"); its id when it has no name or is
    not in owners.yaml; "" for no owner."""
    if owner_id is None:
        return ""
    owner = owners.get(owner_id)
    if owner is None:
        return owner_id
    return localized(owner.name, owner.name_en, lang) or owner_id


def owner_short(owner_id: str | None, owners: dict[str, Owner], empty: str = "") -> str:
    """An owner as a table cell has room for it: its short name ("SNV"), else its id."""
    if owner_id is None:
        return empty
    owner = owners.get(owner_id)
    return owner.short if owner is not None and owner.short else owner_id
