"""Who is speaking: names in the text, matched to actors, and new names drafted as actors.

``Reader.match`` is the one place a name meets the actor table: by default ``match_name`` (this
module's own index of names and aliases), or any function ``(phrase, on) -> (slug, score) | None``
passed to ``extract(match=…)`` – the shared matcher (``apps.actors.matching``, with roles held on the
article's date and Cyrillic transliterated) plugs in there, and is also asked about a title phrase
("the Russian foreign minister") the article itself does not explain. Everything else here is about
reading the article – which words are a name, which title belongs to whom, who "he" is – which no
actor table knows.

Grammar, not a list of names:

- A **name** is a run of capitalised words; titles ("President", "Deputy Minister", "Mr") and
  adjectives of nationality ("Kestrian", "Brazilian": one capitalised word ending -ian, -ese, -ish…)
  are not part of it; a possessive ("Muñoz's spokeswoman") names the owner, not the speaker.
- **Titles** are learnt from the article: "Kestrian President Tomas Novak", "Ilya Sorokin, the
  foreign minister,", "Its leader, Radu Stoica," teach that "the president", "the foreign minister",
  "the leader" stand for that person later on.
- **"He"/"she"** is the person the text was last about (the last named subject or speaker) – never
  an adjective, never a place.
- A **surname alone** is the full name the article gives elsewhere ("Vesely" → "Karel Vesely"), so
  a new actor is drafted with the full name, no title, and the right kind: "the Élysée" (a single
  name after "the") is a seat of government, an organization, never a person.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 85
SURNAME_SCORE = 90.0  # a surname alone, unique among the actors

TITLE_WORDS = {
    "president", "president-elect", "vice", "prime", "minister", "deputy", "foreign", "defence", "defense",
    "energy", "finance", "interior", "secretary", "chancellor", "governor", "senator", "sen", "rep",
    "representative", "ambassador", "envoy", "special", "general", "gen", "chief", "executive", "officer",
    "operating", "chair", "chairman", "chairwoman", "judge", "king", "queen", "prince", "mayor", "speaker",
    "spokesman", "spokeswoman", "spokesperson", "leader", "mr", "mrs", "ms", "dr", "madam", "sir", "lord",
    "professor", "prof", "state", "former", "acting", "opposition", "union", "head", "director", "commissioner",
    "counterpart", "delegate", "negotiator", "economist", "aide", "adviser", "advisor", "lawyer", "manager",
    "member", "mp", "deputies", "colonel", "col", "captain", "sergeant", "lieutenant", "the",
}  # fmt: skip
TITLE_HEADS = {
    "president", "minister", "chancellor", "governor", "senator", "ambassador", "envoy", "secretary", "chair",
    "chairman", "chairwoman", "judge", "king", "queen", "mayor", "spokesman", "spokeswoman", "spokesperson",
    "leader", "executive", "officer", "director", "commissioner", "counterpart", "negotiator", "president-elect",
    "premier", "chief", "head", "adviser", "advisor", "lawyer", "manager", "economist",
}  # fmt: skip
NOT_NAMES = {
    "the", "a", "an", "but", "and", "or", "while", "when", "if", "as", "since", "instead", "just", "so", "yet",
    "he", "she", "they", "we", "i", "it", "this", "that", "these", "those", "there", "here", "now", "then",
    "its", "his", "her", "their", "our", "my", "your", "asked", "speaking", "in", "on", "at", "for", "from",
    "after", "before", "during", "under", "with", "without", "by", "of", "to", "last", "next", "early", "late",
    "today", "yesterday", "tomorrow", "remember", "why", "what", "who", "how", "where", "nobody", "everyone",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "u.s.", "us", "uk", "eu", "un", "q", "a.m.", "p.m.", "updated", "live", "comment", "opinion", "translated",
}  # fmt: skip
NOT_NAMES_BARE = {w.strip(".") for w in NOT_NAMES}
PRONOUNS = {"he", "she"}
ANONYMOUS = re.compile(
    r"^(?:a|an|one|two|three|several|some|another|other|many|most|few|unnamed|anonymous)\b",
    re.I,
)
ORG_WORDS = re.compile(
    r"\b(ministry|agency|office|council|committee|party|press|news|times|post|reuters|bbc|authority|union|"
    r"federation|commission|bank|alliance|assembly|parliament|government|radio|television|tv|institute|"
    r"university|association|group|company|corporation|league|front|movement|court|army|police)\b",
    re.I,
)
NATIONALITY = re.compile(r"^[A-Z][a-zà-ÿ]+(?:ian|ean|ese|ish)$|^[A-Z][a-zà-ÿ]{3,}an$")
# Folding that keeps each character one character, so offsets in folded text are offsets in the text.
ONE_TO_ONE = str.maketrans({"ø": "o", "Ø": "O", "æ": "a", "Æ": "A", "ß": "s", "ł": "l", "Ł": "L", "đ": "d",
                            "Đ": "D", "ı": "i", "ð": "d", "þ": "t", "œ": "o", "Œ": "O"})  # fmt: skip
SLUG_SPELLING = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "œ": "oe"})


@dataclass(frozen=True)
class ActorRef:
    slug: str
    name: str
    kind: str = "person"
    aliases: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Diacritics and case folded, one character for one: "Zoë Håkansson" ~ "zoe hakansson"."""
    text = unicodedata.normalize("NFC", text).translate(ONE_TO_ONE)
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if base.isascii() else ch)
    folded = "".join(out).replace("’", "'").replace("‘", "'")
    return folded.casefold() if len(folded.casefold()) == len(folded) else folded.lower()


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.lower().translate(SLUG_SPELLING)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:100] or "actor"


def guess_kind(name: str) -> str:
    """A new actor's kind, from its name: organization words or a bare "the X"; else a person."""
    if ORG_WORDS.search(name) or re.match(r"^the\s+\S+$", name, re.I):
        return "organization"
    return "person"


@dataclass
class Mention:
    slug: str | None  # None: a name that matches no actor
    name: str
    start: int
    end: int
    score: float
    kind: str


class ActorIndex:
    """Actors by their folded names and aliases, and persons by a surname no other actor shares."""

    def __init__(self, actors: list[ActorRef]):
        self.actors = {a.slug: a for a in actors}
        self.names: dict[str, str] = {}
        for actor in actors:
            for name in (actor.name, *actor.aliases):
                if name.strip():
                    self.names.setdefault(fold(name), actor.slug)
        self.surnames: dict[str, str] = {}
        owners: dict[str, set[str]] = {}
        for actor in actors:
            words = fold(actor.name).split()
            if actor.kind == "person" and len(words) > 1:
                owners.setdefault(words[-1], set()).add(actor.slug)
        for surname, slugs in owners.items():
            if len(slugs) == 1 and surname not in self.names:
                self.surnames[surname] = self.names[surname] = slugs.pop()
        ordered = sorted(self.names, key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in ordered)
        self.exact = re.compile(rf"(?<![\w.])({alternatives})(?:'s)?(?!\w)") if ordered else None
        self.choices = list(self.names)

    def kind(self, slug: str) -> str:
        return self.actors[slug].kind

    def mentions(self, text: str, offset: int = 0) -> list[Mention]:
        """Known actors named in ``text`` (exactly, or fuzzily for a capitalised name) and unknown names."""
        folded = fold(text)
        found: list[Mention] = []
        taken = bytearray(len(folded))
        for match in self.exact.finditer(folded) if self.exact else ():
            slug = self.names[match.group(1)]
            score = SURNAME_SCORE if match.group(1) in self.surnames else 100.0
            name = text[match.start(1) : match.end(1)]
            found.append(Mention(slug, name, match.start() + offset, match.end(1) + offset, score, self.kind(slug)))
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
        for start, end, name in proper_names(text):
            if not any(taken[start:end]):
                found.append(self._fuzzy(name, start + offset, end + offset))
        return sorted(found, key=lambda m: m.start)

    def _fuzzy(self, name: str, start: int, end: int) -> Mention:
        best = process.extractOne(fold(name), self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best:
            slug = self.names[best[0]]
            return Mention(slug, name, start, end, round(best[1], 1), self.kind(slug))
        return Mention(None, name, start, end, 0.0, guess_kind(name))


def match_name(index: ActorIndex, name: str, on=None) -> tuple[str, float] | None:
    """The actor ``name`` names, with a score out of 100; None when no actor does.

    The seam for the shared matcher: ``apps.actors.matching.match_actor(name, on=on)`` answers the
    same question (with roles held on ``on`` and Cyrillic transliterated) once it lands.
    """
    key = fold(name).strip()
    if key in index.names:
        return index.names[key], SURNAME_SCORE if key in index.surnames else 100.0
    best = process.extractOne(key, index.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return (index.names[best[0]], round(best[1], 1)) if best else None


NAME_RUN = re.compile(r"(?:[A-Z\u00C0-\u00DE\u0400-\u042F][\w'’.-]*[\w](?:[ \t]+|$|(?=[,.;:!?)\"”]))){1,5}")


def proper_names(text: str):
    """Runs of capitalised words that could be names, titles and adjectives of nationality stripped."""
    for match in NAME_RUN.finditer(text):
        words = match.group(0).split()
        start = match.start()
        while words and (_is_title(words[0]) or words[0].lower().strip(".") in NOT_NAMES_BARE):
            start = text.index(words[0], start) + len(words[0])
            words.pop(0)
        name = re.sub(r"['’]s$", "", " ".join(words).rstrip(".,"))
        if not name or (len(words) == 1 and NATIONALITY.match(name) and not _possessive(text, match.end())):
            continue
        begin = text.index(words[0], start)
        yield begin, begin + len(name), name


def _is_title(word: str) -> bool:
    return word.lower().strip(".,") in TITLE_WORDS or (NATIONALITY.match(word) is not None and word[0].isupper())


def _possessive(text: str, end: int) -> bool:
    return text[max(0, end - 3) : end].rstrip().endswith(("'s", "’s"))


def strip_title(name: str) -> str:
    """ "Deputy Minister Nadia Petrova" → "Nadia Petrova"; "Kestrian President Tomas Novak" → "Tomas Novak"."""
    words = name.split()
    while len(words) > 1 and _is_title(words[0]):
        words.pop(0)
    return " ".join(words)


@dataclass
class Speaker:
    """A resolved speaker: an actor's slug, or a new name (``unknown``) to draft, or neither with why."""

    slug: str | None = None
    unknown: str = ""
    kind: str = "person"
    score: float = 0.0
    phrase: str = ""
    via: str = "name"
    why_not: str = ""  # when neither: why the phrase names no one

    @property
    def resolved(self) -> bool:
        return bool(self.slug or self.unknown)

    @property
    def key(self) -> str | None:
        return self.slug or (slugify(self.unknown) if self.unknown else None)


Match = Callable[[str, "datetime.date | None"], "tuple[str, float] | None"]


@dataclass
class Reader:
    """What the article has said so far about people: full names, titles, and who "he" would be."""

    index: ActorIndex
    on: datetime.date | None = None  # the article's date: roles are held on it
    matcher: Match | None = None  # the shared matcher, when given; else this module's index
    full_names: dict[str, str] = field(default_factory=dict)  # folded surname -> full name (new people)
    titles: list[tuple[set[str], Speaker]] = field(default_factory=list)  # title words -> person, in order
    salient: Speaker | None = None

    def match(self, name: str) -> tuple[str, float] | None:
        if self.matcher is not None:
            return self.matcher(name, self.on)
        return match_name(self.index, name, self.on)

    def learn_names(self, text: str) -> None:
        for _start, _end, name in proper_names(text):
            words = strip_title(name).split()
            if len(words) >= 2 and guess_kind(name) == "person" and self.match(" ".join(words)) is None:
                self.full_names.setdefault(fold(words[-1]), " ".join(words))

    def learn_title(self, title: str, speaker: Speaker) -> None:
        words = {w for w in _title_words(title) if w not in ("the", "a", "an")}
        if words & TITLE_HEADS and speaker.resolved:
            self.titles.append((words, speaker))

    def by_title(self, phrase: str) -> Speaker | None:
        words = set(_title_words(phrase)) - {"the", "a", "an", "its", "his", "her", "their"}
        heads = words & TITLE_HEADS
        if not heads:
            return None
        best, best_score = None, 0
        for known, speaker in self.titles:
            if heads & known:
                score = len(words & known) + sum(_stem_match(w, known) for w in words - known)
                if score >= best_score:
                    best, best_score = speaker, score
        return best


def _title_words(text: str) -> list[str]:
    return [w.strip(".,'’") for w in re.sub(r"['’]s\b", "", fold(text)).split() if w.strip(".,'’")]


def _stem_match(word: str, known: set[str]) -> bool:
    """ "kestria" ~ "kestrian", "valdorian" ~ "valdoria": the adjective and the country."""
    return len(word) >= 5 and any(len(k) >= 5 and k[:5] == word[:5] for k in known)


def resolve(phrase: str, reader: Reader) -> Speaker:
    """The speaker a subject phrase names: a pronoun, a name (in the actors or new), or a title."""
    phrase = phrase.strip().strip(",").strip()
    words = phrase.split()
    if not words:
        return Speaker(phrase=phrase, why_not="no subject")
    if words[-1].lower() in PRONOUNS and len(words) <= 2:
        return _pronoun(phrase, reader)
    if ANONYMOUS.match(phrase) and not _names_in(phrase):
        return Speaker(phrase=phrase, why_not="an anonymous source: no name to attribute the words to")
    named = _by_name(phrase, reader)
    if named is not None:
        return named
    titled = reader.by_title(phrase)
    if titled is not None:
        return Speaker(titled.slug, titled.unknown, titled.kind, titled.score, phrase, "title")
    role = _role(phrase, reader)
    if role is not None:
        return role
    if set(_title_words(phrase)) & TITLE_HEADS and phrase.lower().startswith("the ") and reader.salient:
        s = reader.salient
        return Speaker(s.slug, s.unknown, s.kind, min(s.score, 80.0), phrase, "title, the person the text is about")
    return Speaker(phrase=phrase, why_not="not the name of a person or organisation")


def _kind(reader: Reader, slug: str) -> str:
    actor = reader.index.actors.get(slug)
    return actor.kind if actor else "person"


def _role(phrase: str, reader: Reader) -> Speaker | None:
    """A title phrase the article does not explain, asked of the shared matcher (roles on the date)."""
    if reader.matcher is None or not set(_title_words(phrase)) & TITLE_HEADS:
        return None
    found = reader.matcher(phrase, reader.on)
    if found is None:
        return None
    return Speaker(found[0], "", _kind(reader, found[0]), found[1], phrase, "role")


def _pronoun(phrase: str, reader: Reader) -> Speaker:
    s = reader.salient
    if s is None:
        return Speaker(phrase=phrase, via="pronoun", why_not="a pronoun with no person named before it")
    return Speaker(s.slug, s.unknown, s.kind, s.score, phrase, "pronoun")


HEAD_FOLLOWERS = re.compile(
    r"^(?:\s*$|\s*[,.;:()\"”]|\s+(?:of|from|at|in|for|who|whose|with|on|to|and|himself|herself)\b)"
)


def head_names(phrase: str) -> list[tuple[int, int, str]]:
    """Names that head their noun phrase: not an owner ("Muñoz's aide"), not a modifier ("the UN envoy")."""
    out = []
    for start, end, name in proper_names(phrase):
        rest = phrase[end:]
        if rest.startswith(("'s", "’s")) or not HEAD_FOLLOWERS.match(rest):
            continue
        out.append((start, end, name))
    return out


def _names_in(phrase: str) -> list[tuple[int, int, str]]:
    return head_names(phrase)


def _by_name(phrase: str, reader: Reader) -> Speaker | None:
    """The name in the phrase: in an appositive pair ("Its leader, Radu Stoica,") the name, never an owner."""
    for segment in re.split(r",\s*", phrase):
        if re.match(r"^the\s+[^\W\d_]\w+$", segment.strip()) and segment.strip()[4:5].isupper():
            if reader.index.names.get(fold(segment.strip())):
                return _name_speaker(segment.strip(), phrase, reader)
            name = segment.strip()
            return Speaker(unknown=name[0].upper() + name[1:], kind="organization", phrase=phrase, via="seat")
        for mention in reader.index.mentions(segment):
            rest = segment[mention.end :]
            if rest.startswith(("'s", "’s")) or not HEAD_FOLLOWERS.match(rest):
                continue  # an owner ("Muñoz's aide") or a modifier ("the UN envoy") is not the speaker
            return _name_speaker(strip_title(mention.name), phrase, reader)
    return None


def _name_speaker(name: str, phrase: str, reader: Reader) -> Speaker:
    found = reader.match(name)
    if found is None and len(name.split()) == 1 and fold(name) in reader.full_names:
        name = reader.full_names[fold(name)]
        found = reader.match(name)
    if found is not None:
        slug, score = found
        return Speaker(slug, "", _kind(reader, slug), score, phrase, "name")
    return Speaker(unknown=name, kind=guess_kind(name), phrase=phrase, via="name")
