"""Text normalisation shared by indexing, the task models and evaluation.

Two levels:
- `typography` keeps case and accents but unifies apostrophes, ellipses and spaces, so labels
  from the CSV files and from the workbooks join;
- `fold` is the matching key: lower case, no accents, punctuation turned into spaces.

Job titles get extra help: ROME writes both genders ("Vendeur / Vendeuse en boulangerie"),
recruiters write inclusive forms ("Technicien(ne)", "Chargé·e", "Développeur/euse") and wrap
the title in noise ("(H/F)", "CDI", "- Annecy (74)", "Senior").
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

NORMALISATION_VERSION = "1"

_TYPO = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "´": "'",
        "`": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "…": "...",
    }
)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z+#]+")


def typography(text: str) -> str:
    """Unify typographic variants; keep case and accents."""
    # The CSV files sometimes escape an apostrophe by doubling it ("L''Assistant").
    text = unicodedata.normalize("NFC", text).translate(_TYPO).replace("''", "'")
    return _SPACES.sub(" ", text).strip()


# Every combining mark of the Basic Multilingual Plane, as one character class: removing them with
# a regular expression is several times faster than testing each character in Python, and
# folding is most of the time spent cutting a long offer into words.
_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.combining(chr(c))) + "]"
)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    if _ASTRAL.search(decomposed):  # outside the plane above: the exact test
        return "".join(c for c in decomposed if not unicodedata.combining(c))
    return _COMBINING.sub("", decomposed)


def fold(text: str) -> str:
    """Matching key: lower case, accents and punctuation removed, single spaces.

    '+' and '#' survive so that "C++" and "C#" stay distinct from "C".
    """
    folded = strip_accents(typography(text)).lower()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", folded)).strip()


# Markup in offers relayed as HTML, escaped once or twice ("<br />", "&lt;br /&gt;", "&#39;",
# "&amp;#xa0;"). Tags that end a line where a browser would keep bullets apart.
_MARKUP = re.compile(
    r"(?P<tag>(?:<|&lt;)\s*/?\s*(?P<name>[a-z][a-z0-9]*)\b[^<>&]{0,200}?(?:>|&gt;))"
    r"|(?P<entity>&(?:amp;)?(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});)",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset("br p li ul ol div h1 h2 h3 h4 h5 h6 tr".split())


def _shown(match: re.Match[str]) -> str | None:
    """What a reader sees of one piece of markup; None when it is not markup after all."""
    if match.group("tag"):
        return "\n" if match.group("name").lower() in _BLOCK_TAGS else " "
    shown = html.unescape(html.unescape(match.group("entity")))
    if len(shown) != 1:  # not an entity after all ("&cie;"): leave the text alone
        return None
    return shown.replace("\u00a0", " ")


def plain_text_offsets(text: str) -> tuple[str, list[int] | None]:
    """An offer relayed as HTML as its reader sees it: entities decoded ("R&#233;aliser" reads
    "Réaliser", "l&#39;équipe" "l'équipe"), tags turned into a line break (br, p, li…) or a
    space. With it, where each of its characters is in `text`, so that spans found in the
    plain text point into the original; None when the text had no markup (same offsets)."""
    if "<" not in text and "&" not in text:
        return text, None
    pieces: list[str] = []
    where: list[int] = []
    position = 0
    for match in _MARKUP.finditer(text):
        shown = _shown(match)
        if shown is None:
            continue
        pieces += [text[position : match.start()], shown]
        where += [*range(position, match.start()), match.start()]
        position = match.end()
    if not pieces:
        return text, None
    pieces.append(text[position:])
    where += range(position, len(text))
    return "".join(pieces), where


def plain_text(text: str) -> str:
    """`plain_text_offsets` without the offsets."""
    return plain_text_offsets(text)[0]


# Function words of French, folded: never content, never "corrected" into a job word.
STOPWORDS = frozenset(
    """
    a au aux avec ce ces cette d dans de des du elle en et etre il ils je l la le les leur leurs
    lui ma mais me meme mes mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur
    ta te tes ton tu un une vos votre vous y s n c j m t etc selon afin ainsi aupres chez dont
    entre lors plus tout tous toute toutes sous vers via si sont est sera seront avoir faire
    """.split()
)


def words(text: str) -> list[str]:
    return fold(text).split()


# --- gender -----------------------------------------------------------------------------------


def _share_stem(a: str, b: str) -> bool:
    """Two gendered forms of one word share a stem: conducteur/conductrice, chef/cheffe."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    n = 0
    for x, y in zip(fa, fb, strict=False):
        if x != y:
            break
        n += 1
    return n >= min(4, len(fa), len(fb)) or fa.startswith(fb) or fb.startswith(fa)


def gender_forms(label: str) -> list[str]:
    """Masculine and feminine forms of a ROME label (see `_gender_forms`). Only referential
    labels come here, so the cache is bounded by the release: the indexes, the autocomplete
    and the tagger each ask for every appellation's forms at start-up."""
    return list(_gender_forms(label))


@functools.lru_cache(maxsize=65_536)
def _gender_forms(label: str) -> tuple[str, ...]:
    """Masculine and feminine forms of a ROME label ("Vendeur / Vendeuse en X").

    The pair is the first " / "; the masculine side's last k words align with the feminine
    side's first k words ("Responsable commercial / commerciale export"). Labels with no such
    pair come back unchanged, alone.
    """
    text = typography(label)
    left, sep, right = text.partition(" / ")
    if not sep:
        return (text,)
    lw, rw = left.split(), right.split()
    for k in range(min(len(lw), len(rw)), 0, -1):
        if all(_share_stem(lw[len(lw) - k + i], rw[i]) for i in range(k)):
            masculine = " ".join(lw + rw[k:])
            feminine = " ".join(lw[: len(lw) - k] + rw)
            return (masculine, feminine)
    return (text,)


_INCLUSIVE_SUFFIX = r"(?:e|ne|se|euse|eure|trice|ere|ère|esse|eur|le|te|es|fe)"
_PAREN_SUFFIX = re.compile(r"\s?\(\s*" + _INCLUSIVE_SUFFIX + r"\s*\)", re.IGNORECASE)
_DOT_SUFFIX = re.compile(r"(?<=\w)[·.•]" + _INCLUSIVE_SUFFIX + r"\b", re.IGNORECASE)
_SLASH_SUFFIX = re.compile(r"(?<=\w)\s?/\s?" + _INCLUSIVE_SUFFIX + r"\b", re.IGNORECASE)
_WORD_PAIR = re.compile(r"\b([\w'-]+)\s*/\s*([\w'-]+)\b")
_HF = re.compile(
    r"[(\[]?\s*\b(?:h|f|m|w|x)\s*[/\\-]\s*(?:h|f|m|w|x)(?:\s*[/\\-]\s*(?:h|f|m|w|x))?\b\s*[)\]]?"
    r"|[(\[]\s*(?:homme|femme)s?\s*(?:/|ou|et)\s*(?:homme|femme)s?\s*[)\]]",
    re.IGNORECASE,
)


def drop_gender_marks(text: str) -> str:
    """Remove "H/F", "(F/H/X)", "(hommes ou femmes)": recruiting marks, not words."""
    return _HF.sub(" ", text)


def collapse_gender(text: str) -> str:
    """Keep one form of inclusive writing: "Technicien(ne)" → "Technicien", "Chargé·e" →
    "Chargé", "Ingénieure / Ingénieur" → "Ingénieur". Removes "H/F", "(F/H/X)".
    """
    out = _HF.sub(" ", typography(text))
    out = _PAREN_SUFFIX.sub("", out)
    out = _DOT_SUFFIX.sub("", out)
    out = _SLASH_SUFFIX.sub("", out)

    def pair(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if not _share_stem(a, b):
            return m.group(0)
        # The shorter form is the masculine one in nearly every pair ("Jardinière / jardinier",
        # "Ingénieure / Ingénieur"), and it is the form the dense index holds.
        return b if len(fold(b)) < len(fold(a)) else a

    out = _WORD_PAIR.sub(pair, out)
    return _SPACES.sub(" ", out).strip(" -,;:")


# --- offer titles -----------------------------------------------------------------------------

# Words that describe the contract, schedule or seniority rather than the job.
_NOISE_WORDS = (
    r"cdi|cdd|cdic|interim|intérim|intérimaire|interimaire|alternance|alternant|alternante|"
    r"apprentissage|contrat pro(?:fessionnalisation)?|stage|stagiaire|freelance|"
    r"temps plein|temps partiel|mi-temps|saisonnier|saisonnière|saison\s*\d*|"
    r"senior|junior|confirmé|confirmée|confirme|expérimenté|expérimentée|experimente|"
    r"débutant|débutante|débutant accepté|urgent|h/f|f/h|loge|logé|logée|nourri"
)
_NOISE = re.compile(r"(?<![\w-])(?:" + _NOISE_WORDS + r")(?![\w-])", re.IGNORECASE)
_DANGLING = re.compile(r"\s+(?:en|in|de|d'|pour|a|à|et)\s*$", re.IGNORECASE)
_DEPT = re.compile(r"\(\s*\d{2,3}(?:\d{3})?\s*\)|\b\d{5}\b")
_HASHTAG = re.compile(r"[#*]+\s*(\w+)\s*\**")
_SEGMENT_SPLIT = re.compile(r"\s+[-|–—]\s+|\s*\|\s*|\s+[-–—]$|^[-–—]\s+")


@dataclass(frozen=True, slots=True)
class CleanTitle:
    """An offer title split into the job title and what came around it."""

    main: str
    extra: tuple[str, ...]


def _merge_gender_segments(segments: list[str]) -> list[str]:
    """One title written twice ("Conducteur - Conductrice de travaux") is not two segments."""
    out: list[str] = []
    for seg in segments:
        if out and len(out[-1].split()) == 1 and seg.split():
            first = seg.split()[0]
            if fold(first) != fold(out[-1]) and _share_stem(out[-1], first):
                masculine = out[-1] if len(fold(out[-1])) <= len(fold(first)) else first
                out[-1] = " ".join([masculine, *seg.split()[1:]])
                continue
        out.append(seg)
    return out


def _trim_segment(segment: str) -> str:
    """Punctuation around a segment, and parentheses that wrap it whole or have no partner
    inside it: "Infirmier coordinateur (IDEC)" keeps its closing one."""
    out = segment.strip(" ,;:/-")
    while out:
        opened, closed = out.count("("), out.count(")")
        if out[0] == "(" and out[-1] == ")" and _balanced(out[1:-1]):
            out = out[1:-1]
        elif out[-1] == ")" and closed > opened:
            out = out[:-1]
        elif out[0] == "(" and opened > closed:
            out = out[1:]
        else:
            break
        out = out.strip(" ,;:/-")
    return out


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def clean_offer_title(title: str) -> CleanTitle:
    """Strip gender marks, contract/seniority words and places; keep side segments apart.

    "ALTERNANCE - Ingénieur Développeur BI - Rennes (H/F)" → main "Ingénieur Développeur BI",
    extra ("Rennes",). Side segments may still carry evidence (a technology) so callers can use
    them with a lower weight.
    """
    text = collapse_gender(title)
    text = _HASHTAG.sub(r" \1 ", text)
    text = _DEPT.sub(" ", text)
    text = _NOISE.sub(" ", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    segments = [_trim_segment(s) for s in _SEGMENT_SPLIT.split(text)]
    segments = [_trim_segment(_DANGLING.sub("", _SPACES.sub(" ", s))) for s in segments]
    segments = _merge_gender_segments([s for s in segments if fold(s)])
    if not segments:
        return CleanTitle(main="", extra=())
    return CleanTitle(main=segments[0], extra=tuple(segments[1:]))
