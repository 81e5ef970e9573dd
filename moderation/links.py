"""Where a comment's links go: the sites it points to, judged by their registered domain.

Every address counts: links (the anchors the sanitiser made, or typed addresses), bare domains
written in the text ("cheapmeds.com", "cheapmeds dot com"), and the domain of an email address.
Each is reduced to its host and its registered domain through the Public Suffix List
(`publicsuffixlist`, which ships the list with the package and never fetches it: the list is as
current as the locked package version), so "shop.example.co.uk" is "example.co.uk" and
"someone.blogspot.com" is a site of its own.

Editors keep a list of trusted domains (a host counts as trusted when it is one of them or under
one: "www.nhs.uk" under "nhs.uk") and of blocked ones. Link shorteners and other redirectors are
never trusted, whatever the list says: where they lead is unknown.

Pure functions; the rule that uses them is moderation.rules.linked_sites.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

# Seeds the editors' trusted list on a fresh install: major public health sources.
DEFAULT_TRUSTED_DOMAINS = (
    "nhs.uk",
    "nice.org.uk",
    "gov.uk",
    "cdc.gov",
    "nih.gov",
    "fda.gov",
    "medlineplus.gov",
    "who.int",
    "ecdc.europa.eu",
    "mayoclinic.org",
    "clevelandclinic.org",
    "hopkinsmedicine.org",
    "cochrane.org",
    "cochranelibrary.com",
    "bmj.com",
    "thelancet.com",
    "nejm.org",
    "jamanetwork.com",
    "nature.com",
    "cancerresearchuk.org",
    "cancer.org",
    "cancer.gov",
    "diabetes.org.uk",
    "bhf.org.uk",
    "mind.org.uk",
    "samaritans.org",
    "patient.info",
    "healthdirect.gov.au",
    "canada.ca",
    "wikipedia.org",
)

# Redirectors: the address says nothing of where it leads (messaging links too: "t.me/...").
SHORTENERS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "buff.ly",
        "cutt.ly",
        "goo.gl",
        "is.gd",
        "lnkd.in",
        "ow.ly",
        "rb.gy",
        "rebrand.ly",
        "s.id",
        "shorturl.at",
        "t.co",
        "t.ly",
        "t.me",
        "tiny.cc",
        "tinyurl.com",
        "v.gd",
        "wa.me",
        "linktr.ee",
    }
)

_psl = None
_psl_lock = threading.Lock()


def _suffixes():
    """The Public Suffix List, parsed once per process (a fifth of a second), from the package."""
    global _psl
    if _psl is None:
        with _psl_lock:
            if _psl is None:
                from publicsuffixlist import PublicSuffixList

                # accept_unknown=False: "report.pdf" is a file name, not a domain.
                _psl = PublicSuffixList(accept_unknown=False)
    return _psl


def registered_domain(host: str) -> str | None:
    """The domain someone registered for this host ("www.example.co.uk" -> "example.co.uk").

    A host that is itself a public suffix under which names are registered ("nhs.uk" is one) is
    its own registered domain. None when the host ends in no known suffix.
    """
    host = host.strip(".").lower()
    if not host or "." not in host:
        return None
    psl = _suffixes()
    found = psl.privatesuffix(host)
    if found:
        return found
    return host if psl.publicsuffix(host) == host else None


# Typed addresses: with a scheme, or starting with "www.".
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
# A bare domain: labels of letters, digits and hyphens joined by dots, the last one (the
# suffix's) starting with a letter. Letters of any script: IDNs count.
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_BARE = re.compile(rf"(?<![\w.-])((?:{_LABEL}\.)+[^\W\d_][\w-]*)(?![\w-])")
# "cheapmeds dot com", "cheapmeds (dot) com", "cheapmeds[.]com", "cheapmeds . com".
_SPELLED_DOT = re.compile(
    r"(?<=[^\W_])\s*(?:[(\[{]\s*(?:dot|\.)\s*[)\]}]\s*|\s+dot\s+|\s+\.\s*|\.\s+)(?=[^\W\d_])",
    re.IGNORECASE,
)
# After a spelled-out or spaced dot, only these suffixes are read as a domain ("works. So"
# is a sentence, "pills . com" an address).
_COMMON_SUFFIXES = frozenset(
    {
        "com",
        "net",
        "org",
        "info",
        "biz",
        "xyz",
        "ru",
        "shop",
        "online",
        "site",
        "store",
        "top",
        "club",
    }
)
_WORD_AFTER = re.compile(r"[^\W\d_]+")


def _unspell(text: str) -> str:
    """Join the spelled-out or spaced dots of addresses; leave sentences alone."""

    def join(match: re.Match[str]) -> str:
        after = _WORD_AFTER.match(text, match.end())
        word = after.group() if after else ""
        if word.lower() in _COMMON_SUFFIXES and word in (word.lower(), word.upper()):
            return "."
        return match.group()

    return _SPELLED_DOT.sub(join, text)


def _host_of(address: str) -> str | None:
    if "://" not in address:
        address = f"http://{address}"
    try:
        host = urlsplit(address).hostname
    except ValueError:
        return None
    return host.strip(".").lower() if host else None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def hosts_in(body: str, body_html: str = "") -> tuple[str, ...]:
    """Every host a comment points to or names, lower-cased, each once, in order of appearance."""
    # NFKC maps look-alike forms (mathematical bold, fullwidth) to plain letters, keeping case.
    text = unicodedata.normalize("NFKC", body)
    found: list[str] = []
    for match in _URL.finditer(text):
        if host := _host_of(match.group()):
            found.append(host)
    for match in _HREF.finditer(body_html):
        if host := _host_of(unescape(match.group(1))):
            found.append(host)
    for match in _BARE.finditer(_URL.sub(" ", _unspell(text))):
        candidate = match.group(1)
        suffix = candidate.rsplit(".", 1)[1]
        # "it.So" is a missing space, not Somalia: a suffix in title case is a sentence.
        if suffix != suffix.lower() and suffix != suffix.upper():
            continue
        if registered_domain(candidate.lower()):
            found.append(candidate.lower())
    return tuple(dict.fromkeys(h for h in found if h))


# Phone numbers: ten digits or more, or "+" and eight or more, with spaces, dots, dashes or
# brackets between them. Shorter runs are doses, years and dates.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d ().-]{6,}\d(?![\w])")
# Helplines a reader may well give another (digits only): Samaritans, NHS, Mind, CALM, Shout,
# the US 988 lifeline. They never count as a number to check.
HELPLINES = frozenset({"116123", "111", "999", "0800585858", "03001233393", "85258", "988"})


def phone_numbers(body: str) -> tuple[str, ...]:
    """The phone numbers a comment gives (digits only), helplines left out."""
    found = []
    for match in _PHONE.finditer(unicodedata.normalize("NFKC", body)):
        text = match.group()
        digits = re.sub(r"\D", "", text)
        if digits in HELPLINES:
            continue
        if len(digits) >= 10 or (text.startswith("+") and len(digits) >= 8):
            found.append(digits)
    return tuple(dict.fromkeys(found))


def normalise_domain(entry: str) -> str:
    """An editor's list entry as a host: "https://www.NHS.uk/conditions" -> "nhs.uk".

    Raises ValueError with a sentence for the editor when it is not a domain.
    """
    raw = entry.strip()
    host = _host_of(raw) if raw else None
    if host and host.startswith("www."):
        host = host[4:]
    if not host or _is_ip(host) or not registered_domain(host):
        raise ValueError(f"“{raw}” is not a domain name (for example: nhs.uk).")
    return host


def domain_list(text: str) -> tuple[str, ...]:
    """The domains of an editors' list (one a line; blank lines and # notes ignored)."""
    entries = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            try:
                entries.append(normalise_domain(line))
            except ValueError:
                continue  # validated when saved; an old bad entry must not break screening
    return tuple(dict.fromkeys(entries))


def domain_list_errors(text: str) -> list[str]:
    errors = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            try:
                normalise_domain(line)
            except ValueError as error:
                errors.append(str(error))
    return errors


def _listed(host: str, entries: Iterable[str]) -> bool:
    return any(host == entry or host.endswith(f".{entry}") for entry in entries)


@dataclass(frozen=True)
class LinkJudgement:
    """The registered domains a comment points to, sorted by what the editors' lists say."""

    blocked: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # neither trusted nor blocked, or a shortener
    trusted: tuple[str, ...] = ()


def judge(hosts: Iterable[str], *, trusted: Iterable[str], blocked: Iterable[str]) -> LinkJudgement:
    trusted, blocked = tuple(trusted), tuple(blocked)
    sorted_out: dict[str, list[str]] = {"blocked": [], "unknown": [], "trusted": []}
    for host in hosts:
        domain = host if _is_ip(host) else (registered_domain(host) or host)
        if _listed(host, blocked) or _listed(domain, blocked):
            kind = "blocked"
        elif domain in SHORTENERS or host in SHORTENERS or not _listed(host, trusted):
            kind = "unknown"
        else:
            kind = "trusted"
        if domain not in sorted_out[kind]:
            sorted_out[kind].append(domain)
    return LinkJudgement(**{kind: tuple(domains) for kind, domains in sorted_out.items()})
