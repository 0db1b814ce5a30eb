"""An article's structure: lines, sections, paragraphs, quotes and sentences, with their offsets.

No rule here decides what a fact is; the rules in ``attribution``, ``dating`` and ``facts`` read
what this module finds. Quotes are found before sentences, so that a sentence never ends inside
a quote ("We were not consulted. We will not pay," he said. is one sentence), and a quote that
runs over several paragraphs (each opening with a quotation mark, only the last closing) is one.
"""

import re
import unicodedata
from dataclasses import dataclass, field

LINK_BAIT = re.compile(
    r"^\W*(you might also like|related|see also|read more|read next|click here|recommended|also read|"
    r"more from|sponsored|advertisement|watch next|don['’]t miss)\b",
    re.I,
)
BULLET = re.compile(r"^\s*(?:[•*\-–·]|\d{1,2}[.)])\s+")
TIMESTAMP = re.compile(r"^(?:(?:last\s+)?updated\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|GMT|UTC|CET|BST))?$", re.I)
# "Sorokin: …", "— Muñoz: …", "Maria Santos (Minister for Foreign Affairs): …", "Q: …": a turn of a transcript.
TURN = re.compile(r"^(?:[—–-]\s*)?(?P<label>[A-Z][^:.!?\"“”]{0,80}?(?:\([^)\n]{1,80}\))?)\s*:\s+(?=\S)")
SENTENCE_END = re.compile(r"(?<=[.!?])(?P<close>[\"”’)]?)\s+(?=[\"“‘(—–]?[A-Z0-9])")
ABBREVIATIONS = {
    "u.s", "d.c", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "st", "sen", "rep", "gen", "gov", "no", "vs", "u.k", "u.n", "e.g", "i.e",
    "a.m", "p.m", "lt", "col", "sgt", "prof",
}  # fmt: skip


def normalise(text: str) -> str:
    """Fold curly quotes and dashes so comparisons see one character for each."""
    table = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"}
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def quote_key(text: str) -> str:
    """A quote as compared for duplicates: folded quotes, case and spacing, no closing punctuation."""
    return re.sub(r"\s+", " ", normalise(text)).strip().strip(".,;:").casefold()


@dataclass
class Quote:
    """Words between quotation marks; ``parts`` are the (start, end) of each piece's words in the article."""

    parts: list[tuple[int, int]]
    text: str
    start: int  # the opening mark
    end: int  # after the closing mark
    paragraph: int
    halves: list["Quote"] = field(default_factory=list)  # a split quote's two halves, in order

    @property
    def words(self) -> str:
        return self.text.strip()


@dataclass
class Sentence:
    text: str
    start: int
    paragraph: int
    section: str
    quotes: list[Quote] = field(default_factory=list)
    excluded: str = ""  # why nothing (or no statement) comes from it
    framing_only: bool = False  # the author's framing: events and deadlines still, statements not

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def masked(self) -> str:
        """The sentence with each quote's words replaced by NULs, offsets unchanged."""
        chars = list(self.text)
        for quote in self.quotes:
            for start, end in quote.parts:
                for i in range(max(start - self.start, 0), min(end - self.start, len(chars))):
                    chars[i] = "\0"
        return "".join(chars)


@dataclass
class Paragraph:
    text: str
    start: int
    index: int
    section: str
    turn: str = ""  # a transcript turn's label ("Sorokin"), else ""
    body_start: int = 0  # where the text after a bullet or a turn label starts (offset in the article)
    entry: bool = False  # under a live blog's timestamp
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Document:
    text: str
    title: str
    paragraphs: list[Paragraph]
    exclusions: list[tuple[int, int, str, str]]  # (start, end, text, reason)
    live_blog: bool = False
    quotes: list[Quote] = field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]


def is_heading(line: str) -> bool:
    stripped = line.strip()
    if TIMESTAMP.match(stripped):
        return True
    return (
        0 < len(stripped) <= 120
        and not BULLET.match(line)
        and not TURN.match(stripped)
        and stripped[-1] not in ".!?\"”'’,;"
        and stripped[0].isupper()
        and len(stripped.split()) <= 16
    )


def read(text: str, title: str = "") -> Document:
    """Paragraphs with their sections; link-bait lines recorded as exclusions; quotes and sentences found."""
    doc = Document(text, title, [], [])
    section, offset, stamps = "Introduction", 0, 0
    folded_title = normalise(title).strip().casefold()
    for line in text.splitlines(keepends=True):
        start, body = offset, line.rstrip("\r\n")
        offset += len(line)
        stripped = body.strip()
        if not stripped or (folded_title and normalise(stripped).casefold() == folded_title):
            continue
        if LINK_BAIT.match(stripped):
            lead = len(body) - len(body.lstrip())
            doc.exclusions.append(
                (start + lead, start + len(body), stripped, "navigation or link-bait line: not about the topic")
            )
            continue
        if is_heading(body):
            section = stripped.rstrip(":").strip()
            stamps += bool(TIMESTAMP.match(stripped))
            continue
        doc.paragraphs.append(_paragraph(body, start, len(doc.paragraphs), section, stamps > 0))
    doc.live_blog = stamps >= 2
    if sum(bool(p.turn) for p in doc.paragraphs) < 3:  # a label or two ("Media contact:") make no transcript
        for paragraph in doc.paragraphs:
            if paragraph.turn:
                paragraph.turn, paragraph.body_start = (
                    "",
                    paragraph.start + len(paragraph.text) - len(paragraph.text.lstrip()),
                )
    carry: Quote | None = None
    for paragraph in doc.paragraphs:
        found, carry = _paragraph_quotes(paragraph, carry)
        doc.quotes.extend(found)
    for paragraph in doc.paragraphs:
        paragraph.sentences = split_sentences(paragraph, [q for q in doc.quotes if q.paragraph == paragraph.index])
    return doc


def _paragraph(body: str, start: int, index: int, section: str, entry: bool) -> Paragraph:
    paragraph = Paragraph(body, start, index, section, entry=entry)
    lead = len(body) - len(body.lstrip())
    bullet = BULLET.match(body)
    body_start = bullet.end() if bullet else lead
    if bullet and (lead_in := re.match(r"[^.:!?]{3,60}:\s+", body[body_start:])):
        body_start += lead_in.end()  # "Watch the Negotiations: A delegation is headed…": a label
    elif (turn := TURN.match(body[lead:])) and _label(turn.group("label")):
        paragraph.turn = turn.group("label").strip()
        body_start = lead + turn.end()
    paragraph.body_start = start + body_start
    return paragraph


def _label(label: str) -> bool:
    """A speaker's label is a name or a role: a few words, nearly all capitalised ("The President of the Assembly")."""
    words = re.sub(r"\([^)]*\)", "", label).split()
    return 0 < len(words) <= 7 and sum(w[:1].islower() for w in words) <= 2


OPEN, CLOSE = '"“', '"”'


def _paragraph_quotes(paragraph: Paragraph, carry: Quote | None) -> tuple[list[Quote], Quote | None]:
    """The paragraph's quotes; one left open continues into the next paragraph if that opens a quote."""
    text, base = paragraph.text, paragraph.start
    found: list[Quote] = []
    opened: int | None = None
    first = len(text) - len(text.lstrip())
    if carry is not None and text[first : first + 1] not in OPEN:
        carry = None  # the quote left open did not continue: it is dropped, not guessed at
    for i, ch in enumerate(text):
        if opened is None and ch in OPEN and _opens(text, i):
            opened = i
        elif opened is not None and ch in CLOSE and (ch == '"' or ch == "”"):
            found.append(_piece(carry, base, opened, i, paragraph.index, text))
            carry, opened = None, None
    if opened is not None:
        piece = _piece(carry, base, opened, len(text), paragraph.index, text, closed=False)
        return found, piece
    return found, None


def _opens(text: str, i: int) -> bool:
    """A straight quote opens at the start, after a space or an opening bracket or dash."""
    return text[i] == "“" or i == 0 or text[i - 1] in " \t([—–-/"


def _piece(carry, base, opened, closed_at, paragraph, text, closed=True) -> Quote:
    words = text[opened + 1 : closed_at]
    part = (base + opened + 1, base + closed_at)
    end = base + closed_at + (1 if closed else 0)
    if carry is not None:
        return Quote([*carry.parts, part], carry.text.rstrip() + " " + words, carry.start, end, carry.paragraph)
    return Quote([part], words, base + opened, end, paragraph)


def split_sentences(paragraph: Paragraph, quotes: list[Quote]) -> list[Sentence]:
    """Sentences of the paragraph's body; "U.S." and "Jan." end none, and none ends inside a quote."""
    text = paragraph.text[paragraph.body_start - paragraph.start :]
    base = paragraph.body_start
    inside = [(q.start - base, q.end - base) for q in quotes]
    pieces, cursor = [], 0
    for match in SENTENCE_END.finditer(text):
        cut = match.start() + len(match.group("close"))
        if any(a < cut < b for a, b in inside) or _abbreviation(text[cursor:cut]):
            continue
        pieces.append((cursor, cut))
        cursor = match.end()
    pieces.append((cursor, len(text.rstrip())))
    sentences = []
    for a, b in pieces:
        if text[a:b].strip():
            sentence = Sentence(text[a:b], base + a, paragraph.index, paragraph.section)
            sentence.quotes = [q for q in quotes if base + a <= q.start < base + b]
            sentences.append(sentence)
    return sentences


def _abbreviation(head: str) -> bool:
    last = re.search(r"([\w.]+)[.!?][\"”’)]?$", head)
    return bool(last and (last.group(1).lower() in ABBREVIATIONS or len(last.group(1)) == 1))
