"""Message catalogs: every text a reader sees, per language, with Babel's number and date formats.

A language is a folder ``revkit/data/messages/<lang>/`` of YAML files. Their
nested keys flatten to one key per message (``verdict.full_revops.label``); a
message is text with ``{name}`` placeholders, or — where it counts something —
a mapping of CLDR plural categories (``one``, ``few``, ``many``, ``other``) to
text, chosen with Babel's plural rules for ``count``. A language may count where
English does not (Russian agrees a noun with the number before it): its message
can be such a mapping where the English one is a single text, as long as the
caller passes ``count``. ``meta.yaml`` names the Babel locale that formats
numbers and dates for the language, its date patterns and whether amounts
carry the currency's code or its symbol.

Results stay language-neutral (ids, numbers, dates); the report, the CLI's
summaries and the catalogs' display names are rendered through a ``Messages``
of the wanted language at view time.
"""

from __future__ import annotations

import string
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import yaml

from revkit.errors import KitError, UsageError
from revkit.paths import DATA_DIR
from revkit.yaml_check import DATA_LOADER

MESSAGES_DIR = DATA_DIR / "messages"
DEFAULT_LANGUAGE = "en"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
DASH = "–"  # shown where a value is missing


def languages() -> list[str]:
    """The shipped languages (folder names), English first."""
    found = sorted(p.name for p in MESSAGES_DIR.iterdir() if (p / "meta.yaml").is_file())
    return sorted(found, key=lambda lang: lang != DEFAULT_LANGUAGE)


def check_language(lang: str | None) -> str:
    """``lang`` if shipped (``None`` → the default), else a ``UsageError`` listing the shipped ones."""
    lang = (lang or DEFAULT_LANGUAGE).strip().lower()
    if lang not in languages():
        raise UsageError(f"unknown language {lang!r}; shipped: {', '.join(languages())}")
    return lang


def _flatten(node, prefix: str, out: dict, source: Path) -> None:
    for key, value in node.items():
        if not isinstance(key, str):  # `yes:` or `1:` unquoted: YAML reads a boolean or a number
            raise KitError(f"{source}: message key {key!r} under {prefix or 'the top'} must be "
                           "quoted text")
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_plural(value):
            _flatten(value, name + ".", out, source)
            continue
        if name in out:
            raise KitError(f"{source}: message {name!r} is defined twice")
        out[name] = value


def _is_plural(value: dict) -> bool:
    return bool(value) and set(value) <= set(PLURAL_CATEGORIES) and "other" in value


@cache
def catalog(lang: str) -> dict[str, object]:
    """Every message of a language, ``{key: text or {category: text}}``."""
    folder = MESSAGES_DIR / lang
    out: dict[str, object] = {}
    for file in sorted(folder.glob("*.yaml")):
        if file.name == "meta.yaml":
            continue
        with open(file, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=DATA_LOADER) or {}
        _flatten(data, "", out, file)
    return out


@cache
def meta(lang: str) -> dict:
    with open(MESSAGES_DIR / lang / "meta.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=DATA_LOADER)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Messages:
    """The messages and formats of one language; ``m("key", **fields)`` renders a message."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE):
        from babel import Locale

        self.lang = lang
        self.locale = Locale.parse(meta(lang)["locale"])
        self._catalog = catalog(lang)

    # -- messages
    def __call__(self, key: str, /, count: int | float | None = None, **fields) -> str:
        try:
            message = self._catalog[key]
        except KeyError:
            raise KitError(f"message {key!r} is missing from the {self.lang!r} catalog") from None
        if isinstance(message, dict):
            # an explicit "zero" form wins for a count of 0 (as ICU's "=0"), in every language
            form = "zero" if count == 0 and "zero" in message else self._plural(count)
            message = message.get(form, message["other"])
        if count is not None:
            whole = isinstance(count, int) or float(count).is_integer()
            fields.setdefault("count", self.integer(count) if whole else self.plain(count))
        try:
            return message.format(**fields)
        except (KeyError, IndexError, ValueError) as exc:
            raise KitError(f"message {key!r} ({self.lang}) cannot be filled: {exc}") from None

    def has(self, key: str) -> bool:
        return key in self._catalog

    def get(self, key: str, default: str | None = None, /, **fields) -> str | None:
        """The message, or ``default`` where the catalog has none (e.g. an id from a custom file)."""
        return self(key, **fields) if key in self._catalog else default

    def _plural(self, count) -> str:
        return self.locale.plural_form(abs(count)) if count is not None else "other"

    # -- formats (Babel, for this language's locale)
    def number(self, value, decimals: int = 1) -> str:
        """A number with exactly ``decimals`` decimals and the locale's separators."""
        from babel.numbers import format_decimal

        if value is None:
            return DASH
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        # rounded half up from the number's shortest decimal form, as a reader rounds
        # the figure they see (0.05 → 0.1), not half-even on its binary value
        exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals),
                                                     rounding=ROUND_HALF_UP)
        return format_decimal(exact + 0, format=pattern, locale=self.locale)

    def integer(self, value) -> str:
        return self.number(value, 0)

    def plain(self, value) -> str:
        """A number as short as it can be written (``50``, ``0.5``, ``1,500``)."""
        from babel.numbers import format_decimal

        return DASH if value is None else format_decimal(value, locale=self.locale)

    def score(self, value) -> str:
        """A 0–100 score as shown everywhere in the report (one decimal)."""
        return self.number(value, 1)

    def signed(self, value, decimals: int = 1) -> str:
        if value is None:
            return DASH
        text = self.number(abs(float(value)), decimals)
        # the sign of what is shown: -0.04 reads as +0.0, never as "-0.0"
        negative = float(value) < 0 and text.strip("0.,") != ""
        return ("-" if negative else "+") + text

    def percent(self, value, decimals: int = 0) -> str:
        """A 0–1 share as a percentage in the language's own form (``94 %``)."""
        if value is None:
            return DASH
        return self("format.percent", value=self.number(float(value) * 100, decimals))

    def percent_short(self, value) -> str:
        """A 0–1 share as a whole percentage in the locale's own sign placement (``55%``)."""
        from babel.numbers import format_percent

        return DASH if value is None else format_percent(value, locale=self.locale)

    def money(self, value, currency: str, decimals: int = 0) -> str:
        if value is None:
            return DASH
        return self("format.money", amount=self.number(value, decimals),
                    currency=self.currency(currency))

    def currency(self, code: str) -> str:
        """A currency as the language writes it beside an amount: its ISO code (``USD``), or
        its symbol in the locale (``$``) where ``meta.yaml`` says ``currency_display: symbol``."""
        from babel.numbers import get_currency_symbol

        if not code or meta(self.lang).get("currency_display", "code") != "symbol":
            return code
        return get_currency_symbol(code, locale=self.locale)

    def date(self, iso: str | None, short: bool = False) -> str:
        """An ISO date (``2026-03-16``) in the language's date format; ``short`` where a table
        has little room (``short_date_format``, else the date format)."""
        import datetime as dt

        from babel.dates import format_date

        if not iso:
            return DASH
        try:
            day = dt.date.fromisoformat(str(iso))
        except ValueError:
            return str(iso)
        pattern = meta(self.lang).get("date_format", "medium")
        if short:
            pattern = meta(self.lang).get("short_date_format", pattern)
        return format_date(day, format=pattern, locale=self.locale)

    def quarter(self, text: str | None) -> str:
        """A roadmap quarter (``2026-Q2``) in the language's form (``format.quarter``)."""
        year, sep, number = str(text or "").partition("-Q")
        if not (sep and year.isdigit() and number.isdigit()):
            return str(text or "")
        return self("format.quarter", year=year, quarter=number)

    def join(self, items: list[str], empty: str = "") -> str:
        """``a, b and c`` in the language's own list form."""
        from babel.lists import format_list

        items = [str(i) for i in items]
        return format_list(items, locale=self.locale) if items else empty

    # -- catalog names
    def team(self, team_id: str) -> str:
        return self.get(f"team.{team_id}", str(team_id))

    def name(self, kind: str, item_id: str) -> str:
        """Display name of a catalog entry (``metric``, ``handoff``, ``function``, ``benefit``)."""
        return self.get(f"{kind}.{item_id}.name", str(item_id).replace("_", " "))


@cache
def get(lang: str = DEFAULT_LANGUAGE) -> Messages:
    """The (cached) messages of a shipped language."""
    return Messages(check_language(lang))
