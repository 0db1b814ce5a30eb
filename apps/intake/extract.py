"""Rule-based, explainable extraction of draft facts from an article's plain text.

Pure functions: no database, no network. ``extract(text, published_on=…,
actors=[…])`` returns ``Proposal``s (the drafts to be) and ``Exclusion``s (what
was left out, and why). Every proposal names the rule that made it and the cues
it read, so an editor can see why it is there.

The rules, in the order they run over each paragraph:

1. **Lines** – a line that is navigation or link-bait ("You might also like:",
   "Related:", "See also:", "Read more…", "Click here…") is excluded whole. A
   short line without final punctuation is a section heading: the locator of
   what follows it.
2. **Sentences** – the author's own framing (addressed to the reader, rhetorical
   questions, "Honestly,", imperatives) yields no statements; predictions and
   hypotheticals ("will likely", "If …, expect …") yield nothing at all. Each
   is recorded as an exclusion.
3. **Quotes** (straight "…" or curly “…”) with an attribution become
   ``direct_quote`` statements: ``"…," X said`` / ``told …`` (``quote.after``),
   ``as X put it`` (``quote.as_put``), ``according to X`` (``quote.according``),
   ``X said/told/called/hinted/claims … "…"`` (``quote.before``; at most 12
   words and no comma between the verb and the quote), and a quote with no
   attribution right after an attributed one in the same paragraph takes its
   speaker (``quote.context``, flagged). Other quoted phrases are scare quotes
   or titles: excluded.
4. **Speakers** are matched against actors' names and aliases, exactly or with
   rapidfuzz (``fuzz.ratio`` ≥ 85; the score is kept). "He"/"She" is the first
   person named in the nearest earlier sentence of the paragraph (or the one
   before). A name matching no actor becomes an ``actor`` draft.
5. **Certainty**: "reportedly", "apparently", "allegedly", "hinted", "is said
   to", "sources say", "according to sources" → ``reported``. "claims",
   "insists" → ``claimed`` – except when it is the speaker's own verb of
   saying ("He claims Putin is 'ready…'"): that the speaker said it is then
   confirmed, and the cue is kept on the draft because the *content* is a claim.
   A "He…" sentence continuing its predecessor keeps that sentence's hedge.
6. **Dates** (``apps.intake.dates``): a date in the sentence; else, for a
   "He…" sentence, its predecessor's; else, for a verb in the simple past
   ("told", "called"), the last past date named earlier in the section (the
   scene: "Remember last August?"); else none. "Since then" is a span: none.
7. **Paraphrases**: a verb of saying with a that-clause, or "threatened to",
   "warned", "promised", outside a quote → a ``paraphrase`` statement for the
   editor to word.
8. **Events and deadlines**: "summit", "meeting", "interview", "told
   <organization>", "headed to", "capture", "arrest" → an event (a deadline
   of kind meeting when dated after publication); "expire(s) on", "deadline",
   "due", "by <date>", "promised within" → a deadline. One per sentence;
   repeated kind + date merged.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from apps.intake.dates import DAY, MONTHS, RANK, DateMention, find_dates, truncate

FUZZY_CUTOFF = 85
SURNAME_SCORE = 90.0  # a surname alone, unique among the actors

# -- inputs and outputs -------------------------------------------------------------


@dataclass(frozen=True)
class ActorRef:
    slug: str
    name: str
    kind: str = "person"
    aliases: tuple[str, ...] = ()


@dataclass
class Proposal:
    kind: str  # statement, deadline, event, actor
    fields: dict
    start: int
    end: int
    locator: str
    rule: str
    cues: dict = field(default_factory=dict)


@dataclass
class Exclusion:
    start: int
    end: int
    text: str
    reason: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "reason": self.reason}


@dataclass
class Extraction:
    proposals: list[Proposal]
    exclusions: list[Exclusion]


# -- vocabulary ---------------------------------------------------------------------

LINK_BAIT = re.compile(
    r"^\W*(you might also like|related|see also|read more|read next|click here|recommended|also read|"
    r"more from|sponsored|advertisement|watch next|don['’]t miss)\b",
    re.I,
)
REPORTED = re.compile(
    r"\b(reportedly|apparently|allegedly|hinted|hints|is said to|are said to|was said to|were said to|"
    r"sources say|sources said|according to sources|rumou?red|it is understood)\b",
    re.I,
)
CLAIMED = re.compile(r"\b(claims|claimed|insists|insisted)\b", re.I)
ADDRESSED = re.compile(r"\b(you|your|you['’]ve|you['’]re|you['’]ll)\b", re.I)
OPINION_OPENER = re.compile(r"^(honestly|frankly|well|wait|look|so|basically|the bottom line|the reality)\b", re.I)
IMPERATIVE = re.compile(
    r"^(watch|monitor|track|check|follow|remember|consider|keep|don['’]t|do not|look|note|see|expect)\b", re.I
)
PREDICTION = re.compile(
    r"\b(will likely|would likely|likely to|is likely|expect a|would signal|could well|may well|is going to|"
    r"are going to)\b|^if\b",
    re.I,
)
SAY = (
    r"said|says|say|told|tells|tell|added|adds|wrote|writes|asked|asks|declared|declares|stated|states|"
    r"insisted|insists|claimed|claims|warned|warns|explained|explains|argued|argues|noted|notes|hinted|hints|"
    r"called|calls|described|describes|dubbed|talked about|talks about|spoke of|speaks of|announced|announces|"
    r"promised|promises|vowed|vows|admitted|admits|suggested|suggests|replied|replies"
)
SAY_VERB = re.compile(
    rf"\b(?P<aux>(?:has|have|had)\s+)?(?:(?:already|also|reportedly|apparently|publicly|once|just|repeatedly)\s+)*"
    rf"(?P<verb>{SAY})\b"
)
PAST = {
    "said", "told", "added", "wrote", "asked", "declared", "stated", "insisted", "claimed", "warned",
    "explained", "argued", "noted", "hinted", "called", "described", "dubbed", "talked about", "spoke of",
    "announced", "promised", "vowed", "admitted", "suggested", "replied", "threatened",
}  # fmt: skip
PARAPHRASE = re.compile(
    rf"\b(?P<verb>(?:{SAY})\s+(?:[\w.'’ ]{{0,60}}?\s)?that|threatened to|warned|promised to|vowed to)\b"
)
PRONOUNS = {"he", "she"}
NOT_NAMES = {
    "the", "a", "an", "but", "and", "or", "while", "when", "if", "as", "since", "instead", "just", "so", "yet",
    "he", "she", "they", "we", "i", "it", "this", "that", "these", "those", "there", "here", "now", "then",
    "president", "senator", "sen", "ambassador", "minister", "secretary", "spokesman", "spokeswoman",
    "spokesperson", "prime", "foreign", "defense", "defence", "general", "gen", "chancellor", "mr", "mrs", "ms",
    "dr", "rep", "representative", "governor", "mayor", "king", "queen", "chief", "envoy", "special", "deputy",
    "u.s.", "us", "uk", "eu", "un", "russian", "ukrainian", "american", "european", "chinese", "former",
    *(m.lower() for m in MONTHS), "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "today", "yesterday", "tomorrow", "last", "next", "early", "late", "remember", "why", "what",
}  # fmt: skip
ORG_WORDS = re.compile(r"\b(ministry|agency|office|council|committee|party|press|news|times|post|reuters|bbc)\b", re.I)
EVENT_CUES = [
    (re.compile(r"\bsummit\b", re.I), "summit"),
    (re.compile(r"\b(meeting|met with|talks with|will meet|to meet)\b", re.I), "meeting"),
    (re.compile(r"\binterview\b", re.I), "interview"),
    (re.compile(r"\bpress conference\b", re.I), "press_conference"),
    (re.compile(r"\b(capture|captured|arrest|arrested|detained|seized)\b", re.I), "arrest"),
    (re.compile(r"\b(headed to|heading to|travel(?:s|led|ed)? to|arrived in|visit(?:s|ed)?)\b", re.I), "other"),
]
DEADLINE_CUES = [
    (re.compile(r"\b(?:set to |due to )?expir(?:e|es|ed|y)\b(?:\s+on)?", re.I), "treaty_expiry"),
    (re.compile(r"\bdeadline\b", re.I), "other"),
    (re.compile(r"\bdue(?: on| by)?\b(?= [A-Z0-9])|\bdue to (?:open|start|begin|end|close|expire|be)\b"), "other"),
    (re.compile(r"\bultimatum\b", re.I), "ultimatum"),
    (re.compile(r"\bvote\b", re.I), "vote"),
    (re.compile(r"\bpromised within\b|\bpromise to\b", re.I), "promise"),
]
BY_DATE = re.compile(r"\bby\s+(?=(?:the end of\s+)?[A-Z0-9])")

QUOTE = re.compile(r"\"(?P<a>[^\"\n]{1,600})\"|“(?P<b>[^”\n]{1,600})”")
SENTENCE_END = re.compile(r"(?<=[.!?])(?P<close>[\"”’)]?)\s+(?=[\"“‘(]?[A-Z0-9])")
ABBREVIATIONS = {
    "u.s", "d.c", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "st", "sen", "rep", "gen", "gov", "no", "vs", "u.k", "u.n", "e.g", "i.e",
}  # fmt: skip
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40},\s+[^()\n]{3,30}\([^)\n]{1,40}\)\s*[-–—]+\s*")
BULLET = re.compile(r"^\s*(?:[•*\-–·]|\d{1,2}[.)])\s+")


# -- text structure ------------------------------------------------------------------


@dataclass
class Sentence:
    text: str
    start: int  # offset in the article
    paragraph: int
    section: str
    excluded: str = ""  # why nothing (or no statement) comes from it
    framing_only: bool = False  # author's framing: events and deadlines still, statements not
    date: DateMention | None = None  # the sentence's own or inherited point date
    date_rule: str = ""
    persons: list[str] = field(default_factory=list)  # person slugs named in it, in order
    hedge: str = ""  # certainty cue of the sentence
    quote_speaker: str | None = None  # speaker of an attributed quote in it
    quote_date: tuple | None = None
    quote_certainty: tuple | None = None
    quote_attribution: dict | None = None
    claims: list[tuple[int, str]] | None = None  # "claims"/"insists" in it: (offset, word)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def normalise(text: str) -> str:
    """Fold curly quotes and dashes so comparisons see one character for each."""
    table = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"}
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def quote_key(text: str) -> str:
    """A quote as compared for duplicates: folded quotes, case and spacing, no closing punctuation."""
    return re.sub(r"\s+", " ", normalise(text)).strip().strip(".,;:").casefold()


def split_sentences(text: str, start: int) -> list[tuple[str, int]]:
    """Sentences of one paragraph with their offsets; "U.S." and "Jan." do not end a sentence."""
    pieces = []
    cursor = 0
    for match in SENTENCE_END.finditer(text):
        head = text[cursor : match.start() + len(match.group("close"))]
        last_word = re.search(r"([\w.]+)[.!?][\"”’)]?$", head)
        if last_word and (last_word.group(1).lower() in ABBREVIATIONS or len(last_word.group(1)) == 1):
            continue
        pieces.append((head, start + cursor))
        cursor = match.end()
    if text[cursor:].strip():
        pieces.append((text[cursor:].rstrip(), start + cursor))
    return [(p, s) for p, s in pieces if p.strip()]


def is_heading(line: str) -> bool:
    stripped = line.strip()
    return (
        0 < len(stripped) <= 120
        and not BULLET.match(line)
        and stripped[-1] not in ".!?\"”'’,;"
        and stripped[0].isupper()
        and len(stripped.split()) <= 16
    )


# -- actors ----------------------------------------------------------------------------


@dataclass
class Mention:
    slug: str | None  # None: a name that matches no actor
    name: str
    start: int
    end: int
    score: float
    kind: str


class ActorIndex:
    """Find actors in text by their names and aliases: exactly, or fuzzily for capitalised names."""

    def __init__(self, actors: list[ActorRef]):
        self.actors = {a.slug: a for a in actors}
        self.names: dict[str, str] = {}
        for actor in actors:
            for name in (actor.name, *actor.aliases):
                if name.strip():
                    self.names.setdefault(normalise(name), actor.slug)
        # A person's surname alone ("Putin") names them, when no other actor shares it.
        self.surnames: dict[str, str] = {}
        surnames: dict[str, set[str]] = {}
        for actor in actors:
            words = normalise(actor.name).split()
            if actor.kind == "person" and len(words) > 1:
                surnames.setdefault(words[-1], set()).add(actor.slug)
        for surname, slugs in surnames.items():
            if len(slugs) == 1 and surname not in self.names:
                self.surnames[surname] = slugs.pop()
                self.names[surname] = self.surnames[surname]
        ordered = sorted(self.names, key=len, reverse=True)
        self.exact = (
            re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in ordered) + r")(?:['’]s)?(?![\w])")
            if ordered
            else None
        )
        self.choices = list(self.names)

    def mentions(self, text: str, offset: int = 0) -> list[Mention]:
        folded = normalise(text)
        found: list[Mention] = []
        taken = bytearray(len(folded))  # 1 where an exact match already covers the text
        if self.exact:
            for match in self.exact.finditer(folded):
                slug = self.names[match.group(1)]
                score = SURNAME_SCORE if match.group(1) in self.surnames else 100.0
                found.append(
                    Mention(slug, match.group(1), match.start() + offset, match.end(1) + offset, score, self.kind(slug))
                )
                taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
        for start, end, name in proper_names(folded):
            if any(taken[start:end]):
                continue
            best = process.extractOne(name, self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best:
                slug = self.names[best[0]]
                found.append(Mention(slug, name, start + offset, end + offset, round(best[1], 1), self.kind(slug)))
            else:
                found.append(Mention(None, name, start + offset, end + offset, 0.0, guess_kind(name)))
        return sorted(found, key=lambda m: m.start)

    def kind(self, slug: str) -> str:
        return self.actors[slug].kind


def proper_names(text: str):
    """Runs of capitalised words that could be names ("Sergei Lavrov", "Kaja Kallas"), titles stripped."""
    for match in re.finditer(r"(?:[A-Z][\w'’.-]*[\w](?:\s+|$)){1,4}", text):
        words = match.group(0).split()
        start = match.start()
        while words and words[0].lower().strip(".") in NOT_NAMES | {w.rstrip(".") for w in NOT_NAMES}:
            start = text.index(words[0], start) + len(words[0])
            words.pop(0)
        if not words:
            continue
        name = " ".join(words).rstrip(".")
        name = re.sub(r"['’]s$", "", name)
        # A name needs two words or a word that is not a common sentence opener.
        if len(words) == 1 and (match.start() == 0 or text[max(0, match.start() - 2) : match.start()].strip() in ".:"):
            continue
        begin = text.index(words[0], start)
        yield begin, begin + len(name), name


def guess_kind(name: str) -> str:
    return "organization" if ORG_WORDS.search(name) else "person"


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100] or "actor"


# -- the extraction --------------------------------------------------------------------


def extract(
    text: str,
    *,
    published_on: datetime.date | None,
    precision: str | None = DAY,
    actors: list[ActorRef],
    title: str = "",
) -> Extraction:
    index = ActorIndex(actors)
    sentences, exclusions = _structure(text, title)
    proposals: list[Proposal] = []
    unknown: dict[str, Proposal] = {}
    seen_dates: set[tuple] = set()
    scene: dict[str, DateMention] = {}
    for i, sentence in enumerate(sentences):
        mentions = index.mentions(sentence.text, sentence.start)
        sentence.persons = [m.slug or m.name for m in mentions if m.kind == "person"]
        dates = find_dates(sentence.text, published_on, precision, sentence.start)
        if dateline := DATELINE.match(sentence.text):  # "ARDEN, March 12 (Example Wire) -": when filed, not an event
            dates = [d for d in dates if d.start >= sentence.start + dateline.end()]
        sentence.hedge = match.group(0) if (match := REPORTED.search(sentence.text)) else ""
        own = _point_date(dates)
        if own is not None and own.value is not None and published_on and own.value <= published_on:
            scene[sentence.section] = own
        if sentence.excluded and not sentence.framing_only:
            continue
        context = _Context(
            sentences, i, mentions, dates, own, scene.get(sentence.section), published_on, index, precision or DAY
        )
        if not sentence.framing_only:
            for proposal in _quotes(sentence, context, exclusions):
                proposals.append(proposal)
                _note_unknown(proposal, unknown, proposals, sentence)
            for proposal in _paraphrases(sentence, context):
                proposals.append(proposal)
                _note_unknown(proposal, unknown, proposals, sentence)
        elif QUOTE.search(sentence.text):
            for match in QUOTE.finditer(sentence.text):
                exclusions.append(
                    Exclusion(
                        sentence.start + match.start(),
                        sentence.start + match.end(),
                        match.group(0),
                        f"quoted phrase in the author's framing ({sentence.excluded})",
                    )
                )
        for proposal in _events_and_deadlines(sentence, context, seen_dates):
            proposals.append(proposal)
    return Extraction(proposals=proposals, exclusions=sorted(exclusions, key=lambda e: e.start))


def _note_unknown(proposal: Proposal, unknown: dict, proposals: list, sentence: Sentence) -> None:
    name = proposal.cues.get("speaker_unknown")
    if not name or name in unknown:
        return
    slug = slugify(name)
    actor = Proposal(
        kind="actor",
        fields={"slug": slug, "name": name, "kind": guess_kind(name), "aliases": []},
        start=proposal.start,
        end=proposal.end,
        locator=proposal.locator,
        rule="actor.unknown_speaker",
        cues={"name_phrase": name, "why": "speaks in the article but matches no actor's name or alias"},
    )
    unknown[name] = actor
    proposals.insert(proposals.index(proposal), actor)


def _structure(text: str, title: str) -> tuple[list[Sentence], list[Exclusion]]:
    """Sentences with their paragraph and section; link-bait lines and framing recorded as exclusions."""
    sentences: list[Sentence] = []
    exclusions: list[Exclusion] = []
    section = "Introduction"
    offset = 0
    paragraph = 0
    folded_title = normalise(title).strip().casefold()
    for line in text.splitlines(keepends=True):
        start, body = offset, line.rstrip("\r\n")
        offset += len(line)
        if not body.strip():
            continue
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if LINK_BAIT.match(stripped):
            exclusions.append(
                Exclusion(
                    start + lead, start + len(body), stripped, "navigation or link-bait line: not about the topic"
                )
            )
            continue
        if normalise(stripped).casefold() == folded_title and folded_title:
            continue
        if is_heading(body):
            section = stripped.rstrip(":").strip()
            continue
        paragraph += 1
        bullet = BULLET.match(body)
        body_start = bullet.end() if bullet else lead
        lead_in = re.match(r"[^.:!?]{3,60}:\s+", body[body_start:]) if bullet else None
        if lead_in:  # "Watch the Negotiations: A delegation is headed…": the lead-in is a label, not a sentence
            body_start += lead_in.end()
        for piece, piece_start in split_sentences(body[body_start:], start + body_start):
            sentence = Sentence(piece, piece_start, paragraph, section)
            _classify(sentence)
            if sentence.excluded:
                exclusions.append(Exclusion(sentence.start, sentence.end, sentence.text, sentence.excluded))
            sentences.append(sentence)
    return sentences, exclusions


def _classify(sentence: Sentence) -> None:
    text = normalise(sentence.text).strip()
    outside_quotes = QUOTE.sub('""', sentence.text)
    if PREDICTION.search(outside_quotes.split(";")[0]):
        sentence.excluded = "the author's prediction or hypothetical"
    elif text.endswith("?") and not QUOTE.search(sentence.text):
        sentence.excluded, sentence.framing_only = "the author's framing: a rhetorical question", True
    elif ADDRESSED.search(outside_quotes):
        sentence.excluded, sentence.framing_only = "the author's framing: addressed to the reader", True
    elif OPINION_OPENER.match(text):
        sentence.excluded, sentence.framing_only = "the author's framing: comment", True
    elif IMPERATIVE.match(text):
        sentence.excluded, sentence.framing_only = "the author's framing: advice to the reader", True


def _point_date(dates: list[DateMention]) -> DateMention | None:
    points = [d for d in dates if d.kind == "point"]
    if not points:
        return None
    return max(points, key=lambda d: (RANK.get(d.precision or "", 0), d.absolute, -d.start))


@dataclass
class _Context:
    sentences: list[Sentence]
    index: int
    mentions: list[Mention]
    dates: list[DateMention]
    own_date: DateMention | None
    scene: DateMention | None
    published_on: datetime.date | None
    actors: ActorIndex
    published_precision: str = DAY

    @property
    def sentence(self) -> Sentence:
        return self.sentences[self.index]

    def previous(self) -> Sentence | None:
        if self.index == 0:
            return None
        before = self.sentences[self.index - 1]
        return before if before.paragraph == self.sentence.paragraph else None

    def antecedent(self) -> str | None:
        """The person "he" or "she" most likely is: first named in the nearest earlier sentence."""
        here = self.sentence
        for j in range(self.index - 1, -1, -1):
            other = self.sentences[j]
            if other.paragraph < here.paragraph - 1 or other.section != here.section:
                return None
            if other.persons:
                return other.persons[0]
        return None


def _speaker(phrase: str, phrase_start: int, context: _Context) -> dict:
    """Resolve a speaker phrase: {slug | unknown name, score, phrase, via}."""
    words = phrase.strip().split()
    if (words and words[-1].lower() in PRONOUNS) or (len(words) == 1 and words[0].lower() in PRONOUNS):
        slug = context.antecedent()
        if slug and slug in context.actors.actors:
            return {"speaker": slug, "score": 100.0, "phrase": phrase.strip(), "via": "pronoun"}
        if slug:
            return {"unknown": slug, "score": 0.0, "phrase": phrase.strip(), "via": "pronoun"}
        return {"phrase": phrase.strip(), "via": "pronoun", "score": 0.0}
    inside = [m for m in context.mentions if phrase_start <= m.start and m.end <= phrase_start + len(phrase)]
    if not inside:
        inside = context.actors.mentions(phrase, phrase_start)
    if not inside:
        return {"phrase": phrase.strip(), "score": 0.0}
    people = [m for m in inside if m.kind == "person"] or inside
    chosen = people[-1]
    if chosen.slug:
        return {"speaker": chosen.slug, "score": chosen.score, "phrase": phrase.strip(), "name": chosen.name}
    return {"unknown": chosen.name, "score": 0.0, "phrase": phrase.strip()}


SUBJECT_BREAK = re.compile(r"(?:^|[,;:(—–]|\bthat\b|\band\b|\bbut\b|\bwhile\b|\bwhen\b|\bas\b)\s*", re.I)


def _quotes(sentence: Sentence, context: _Context, exclusions: list[Exclusion]):
    text = sentence.text
    previous = context.previous()
    according = re.search(r"according to\s+(?P<who>[^,.;\"“]{2,80})", text, re.I)
    for match in QUOTE.finditer(text):
        quote = match.group("a") if match.group("a") is not None else match.group("b")
        # Attributions sit close to their quote: bounded windows keep a pathological "sentence" linear.
        window = max(0, match.start() - 400)
        after = text[match.end() : match.end() + 400]
        before = text[window : match.start()]
        attribution = _attribute(quote, before, window, after, match, sentence, context, according)
        if (
            attribution is None
            and previous is not None
            and previous.quote_speaker
            and not any(m.kind == "person" and m.start < sentence.start + match.start() for m in context.mentions)
        ):
            attribution = {
                "rule": "quote.context",
                "who": {"speaker": previous.quote_speaker, "score": 100.0, "via": "the quote before it"},
                "verb": "",
                "verb_at": None,
                "medium": "",
                "flag": "no attribution of its own: the speaker of the quote in the sentence before",
            }
        if attribution is None:
            exclusions.append(
                Exclusion(
                    sentence.start + match.start(),
                    sentence.start + match.end(),
                    match.group(0),
                    "quoted phrase with no speaker: a scare quote, a title or a slogan",
                )
            )
            continue
        yield _statement(quote.strip().rstrip(",.;:").strip(), attribution, match, sentence, context)


def _attribute(quote, before, window, after, match, sentence, context, according) -> dict | None:
    # "…," X said / told … — the quote ends its clause.
    closing = quote.rstrip()[-1:] in (",", "?", "!") or after.startswith(",")
    if closing:
        tail = after.lstrip(",").lstrip()
        offset = match.end() + (len(after) - len(tail))
        as_put = re.match(r"as\s+(?P<who>.{2,80}?)\s+(?P<verb>put it|said|noted|described it|called it)\b", tail)
        if as_put:
            return _found("quote.as_put", as_put, offset, sentence, context)
        acc = re.match(r"according to\s+(?P<who>[^,.;]{2,80})", tail)
        if acc:
            return _according(acc, offset, sentence, context)
        inverted = re.match(rf"(?P<verb>{SAY})\s+(?P<who>[A-Z][^,.;]{{1,60}}?)(?=[,.;]|$|\s+(?:on|in|at|to)\b)", tail)
        if inverted:
            return _found("quote.after", inverted, offset, sentence, context)
        after_verb = re.match(rf"(?P<who>[A-Z][\w.'’ -]{{0,80}}?|he|she)\s+{SAY_VERB.pattern}", tail)
        if after_verb:
            return _found("quote.after", after_verb, offset, sentence, context)
    as_put = re.match(r"\s*As\s+(?P<who>[^,;\"“]{2,80}?)\s+(?P<verb>put it|said|noted)\s*,", sentence.text)
    if as_put and as_put.end() <= match.start():
        return _found("quote.as_put", as_put, 0, sentence, context)
    if according:
        return _according(according, 0, sentence, context)
    # X said/told/called … "…": the nearest verb of saying before the quote.
    verbs = list(SAY_VERB.finditer(before))
    if verbs:
        verb = verbs[-1]
        between = before[verb.end() :]
        if "," not in between and len(between.split()) <= 12:
            head = before[: verb.start()]
            breaks = list(SUBJECT_BREAK.finditer(head))
            subject_start = breaks[-1].end() if breaks else 0
            subject = head[subject_start:]
            if subject.strip():
                who = _speaker(subject, sentence.start + window + subject_start, context)
                medium = ""
                if verb.group("verb") in ("told", "tells", "tell"):
                    told = re.match(
                        r"\s*(?P<m>the press|reporters|journalists|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)", between
                    )
                    if told:
                        medium = f"told {told.group('m')}"
                rule = "quote.called" if verb.group("verb") in ("called", "calls", "dubbed") else "quote.before"
                return {
                    "rule": rule,
                    "who": who,
                    "verb": verb.group("verb"),
                    "aux": (verb.group("aux") or "").strip(),
                    "verb_at": sentence.start + window + verb.start("verb"),
                    "medium": medium,
                }
    return None


def _found(rule, match, offset, sentence, context) -> dict:
    who = _speaker(match.group("who"), sentence.start + offset + match.start("who"), context)
    verb = match.group("verb")
    medium = ""
    rest = sentence.text[offset + match.end() :]
    if verb in ("told", "tells"):
        told = re.match(r"\s*(?P<m>the press|reporters|journalists|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)", rest)
        if told:
            medium = f"told {told.group('m')}"
    return {
        "rule": rule,
        "who": who,
        "verb": verb,
        "aux": (match.groupdict().get("aux") or "").strip(),
        "verb_at": sentence.start + offset + match.start("verb"),
        "medium": medium,
    }


def _according(match, offset, sentence, context) -> dict | None:
    who_text = match.group("who")
    if re.match(r"(?:unnamed |anonymous |some )?(?:sources|reports|officials)\b", who_text, re.I):
        return None
    who = _speaker(who_text, sentence.start + offset + match.start("who"), context)
    return {"rule": "quote.according", "who": who, "verb": "according to", "aux": "", "verb_at": None, "medium": ""}


def _certainty(sentence: Sentence, attribution: dict, context: _Context) -> tuple[str, str, str]:
    """(certainty, cue, note)."""
    if attribution["rule"] == "quote.context":
        previous = context.previous()
        if previous and previous.quote_certainty:
            return previous.quote_certainty
    if sentence.hedge:
        return "reported", sentence.hedge, ""
    if sentence.claims is None:
        sentence.claims = [(sentence.start + m.start(), m.group(0)) for m in CLAIMED.finditer(sentence.text)]
    if sentence.claims:
        verb_at = attribution.get("verb_at")
        own = [word for at, word in sentence.claims if at == verb_at]
        if own:
            return (
                "confirmed",
                own[0],
                "the speaker's own verb: that it was said is confirmed; what it says is the speaker's claim",
            )
        return "claimed", sentence.claims[0][1], ""
    previous = context.previous()
    if attribution.get("who", {}).get("via") == "pronoun" and previous is not None and previous.hedge:
        return "reported", previous.hedge, "from the sentence before, which this one continues"
    return "confirmed", "", "no hedge in the sentence"


def _date(sentence: Sentence, attribution: dict, context: _Context) -> tuple[dict, str]:
    """({said_on, date_precision} or {said_on: None}, rule)."""
    if attribution["rule"] == "quote.context":
        previous = context.previous()
        if previous and previous.quote_date:
            return previous.quote_date
    if any(d.kind == "since" and d.value is None for d in context.dates):
        return {"said_on": None, "phrase": "since then"}, "date.span"
    # A date after publication is not when something was said ("…, which is due on March 3").
    said = [
        d
        for d in context.dates
        if not (context.published_on and _after(d, context.published_on, context.published_precision))
    ]
    own = _point_date([d for d in said if d.value is not None])
    if own is not None:
        return _date_fields(own), "date.sentence"
    previous = context.previous()
    if attribution.get("who", {}).get("via") == "pronoun" and previous is not None and previous.date is not None:
        return {**_date_fields(previous.date), "from": "the sentence before"}, "date.continued"
    verb = attribution.get("verb", "")
    if verb in PAST and not attribution.get("aux") and context.scene is not None:
        return {**_date_fields(context.scene), "from": "earlier in the section"}, "date.scene"
    return {"said_on": None}, "date.none"


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _after(mention: DateMention, published_on: datetime.date, published_precision: str = DAY) -> bool:
    """Later than publication, at the coarser of the two precisions (a day in "January 2026" is not after it)."""
    if mention.value is None:
        return False
    coarser = min(mention.precision or DAY, published_precision, key=lambda p: RANK[p])
    return truncate(mention.value, coarser) > truncate(published_on, coarser)


def _not_past(mention: DateMention, published_on: datetime.date | None) -> bool:
    """The date is on or after publication, compared at the date's own precision."""
    if mention.value is None or published_on is None:
        return False
    return mention.value >= truncate(published_on, mention.precision or DAY)


def _date_fields(mention: DateMention) -> dict:
    return {
        "said_on": mention.value.isoformat() if mention.value else None,
        "date_precision": mention.precision or DAY,
        "phrase": mention.phrase,
    }


def _statement(quote: str, attribution: dict, match, sentence: Sentence, context: _Context) -> Proposal:
    who = attribution["who"]
    certainty, cue, note = _certainty(sentence, attribution, context)
    date, date_rule = _date(sentence, attribution, context)
    speaker = who.get("speaker")
    medium_slug = None
    if attribution["medium"]:
        medium_mentions = context.actors.mentions(attribution["medium"])
        medium_slug = medium_mentions[0].slug if medium_mentions else None
    about = []
    for mention in context.mentions:
        if mention.slug and mention.slug not in (speaker, medium_slug) and mention.slug not in about:
            about.append(mention.slug)
    fields = {
        "speaker": speaker,
        "text": quote,
        "kind": "direct_quote",
        "said_on": date.get("said_on"),
        "date_precision": date.get("date_precision", DAY),
        "certainty": certainty,
        "medium": attribution["medium"],
        "about": about,
    }
    cues = {
        "speaker_phrase": who.get("phrase", ""),
        "speaker_score": who.get("score", 0.0),
        "speaker_via": who.get("via", "name"),
        "verb": attribution.get("verb", ""),
        "certainty_cue": cue,
        "certainty_note": note,
        "date_phrase": date.get("phrase", ""),
        "date_rule": date_rule,
    }
    if date.get("from"):
        cues["date_from"] = date["from"]
    if who.get("unknown"):
        fields["speaker"] = slugify(who["unknown"])
        cues["speaker_unknown"] = who["unknown"]
    if attribution.get("flag"):
        cues["flag"] = attribution["flag"]
    if attribution["rule"].startswith("quote"):
        sentence.quote_speaker = speaker
        sentence.quote_attribution = attribution
    sentence.quote_date = (date, date_rule)
    sentence.quote_certainty = (certainty, cue, note)
    if date.get("said_on"):
        sentence.date = DateMention(
            date["phrase"], 0, 0, datetime.date.fromisoformat(date["said_on"]), date["date_precision"]
        )
    return Proposal(
        kind="statement",
        fields=fields,
        start=sentence.start,
        end=sentence.end,
        locator=sentence.section,
        rule=attribution["rule"],
        cues=cues,
    )


def _paraphrases(sentence: Sentence, context: _Context):
    """Indirect speech: a verb of saying with a that-clause, "threatened to", "warned"… outside quotes.

    A sentence with a direct quote gives a paraphrase only for a further clause ("… is 'ready to make a
    deal' and that Ukraine is the one holding out"), spoken by the quote's speaker.
    """
    text = sentence.text
    masked = QUOTE.sub(lambda m: "\0" * len(m.group(0)), text)
    if "\0" in masked:
        extra = re.search(r"\band that\b", masked)
        if not extra or "\0" in masked[extra.end() :] or sentence.quote_attribution is None:
            return
        attribution = {**sentence.quote_attribution, "rule": "paraphrase.and_that"}
        proposal = _statement(text[extra.start() + 4 :].strip(), attribution, None, sentence, context)
    else:
        match = PARAPHRASE.search(masked)
        if match is None:
            return
        head = masked[: match.start()]
        breaks = list(SUBJECT_BREAK.finditer(head))
        subject_start = breaks[-1].end() if breaks else 0
        subject = head[subject_start:]
        if not subject.strip():
            # "Trump, who …, apparently raised his voice and threatened to …": the sentence's subject.
            subject_start, subject = 0, head.split(",")[0]
        who = _speaker(subject, sentence.start + subject_start, context)
        if not who.get("speaker") and not who.get("unknown"):
            return
        verb = match.group("verb").split()[0]
        attribution = {
            "rule": "paraphrase",
            "who": who,
            "verb": verb,
            "aux": "",
            "verb_at": sentence.start + match.start(),
            "medium": "",
        }
        proposal = _statement(text[match.start() :].strip(), attribution, None, sentence, context)
    proposal.fields["kind"] = "paraphrase"
    proposal.cues["to_word"] = "a paraphrase: word it in the project's own words before accepting"
    yield proposal


def _events_and_deadlines(sentence: Sentence, context: _Context, seen: set):
    text = sentence.text
    masked = QUOTE.sub(lambda m: "\0" * len(m.group(0)), text)
    own = context.own_date
    date = own if own is not None and own.value is not None else None
    participants = [m.slug for m in context.mentions if m.slug]
    participants = list(dict.fromkeys(participants))
    certainty = "reported" if sentence.hedge else "confirmed"
    cue_certainty = sentence.hedge or ""
    title = re.sub(r"\s+", " ", text.strip())[:300]
    for pattern, kind in DEADLINE_CUES:
        cue = pattern.search(masked)
        if cue is None:
            continue
        if kind == "other" and cue.group(0).lower() == "deadline" and re.search(r"treaty|start\b", text, re.I):
            kind = "treaty_expiry"
        if date is None and kind not in ("promise", "ultimatum"):
            continue  # "a massive deadline" with no date: nothing an editor could accept
        key = ("deadline", kind, date.value if date else None)
        if date is not None and key in seen:
            return
        seen.add(key)
        fields = {
            "title": title,
            "kind": kind,
            "due_on": date.value.isoformat() if date and date.value else None,
            "date_precision": date.precision if date else DAY,
            "certainty": certainty,
            "actors": participants,
        }
        if date and _not_past(date, context.published_on):
            fields["status"] = "upcoming"
        yield Proposal(
            "deadline",
            fields,
            sentence.start,
            sentence.end,
            sentence.section,
            f"deadline.{kind}",
            {"cue": cue.group(0), "date_phrase": date.phrase if date else "", "certainty_cue": cue_certainty},
        )
        return
    for pattern, kind in EVENT_CUES:
        cue = pattern.search(masked)
        if cue is None and kind == "interview":
            told = re.search(r"\btold\s+(?P<who>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)", masked)
            if told and any(m.slug and m.kind == "organization" for m in context.actors.mentions(told.group("who"))):
                cue = told
        if cue is None:
            continue
        if date is not None and kind == "meeting" and context.published_on and _not_past(date, context.published_on):
            key = ("deadline", "meeting", date.value)
            if key in seen:
                return
            seen.add(key)
            yield Proposal(
                "deadline",
                {
                    "title": title,
                    "kind": "meeting",
                    "due_on": _iso(date.value),
                    "date_precision": date.precision,
                    "certainty": certainty,
                    "actors": participants,
                    "status": "upcoming",
                },
                sentence.start,
                sentence.end,
                sentence.section,
                "deadline.meeting",
                {"cue": cue.group(0), "date_phrase": date.phrase, "certainty_cue": cue_certainty},
            )
            return
        if date is None and context.scene is not None and re.search(r"\b\w+ed\b", masked):
            date_fields: dict = {"starts_on": _iso(context.scene.value), "date_precision": context.scene.precision}
            date_phrase, date_rule = context.scene.phrase, "date.scene"
        elif date is not None:
            date_fields = {"starts_on": _iso(date.value), "date_precision": date.precision}
            date_phrase, date_rule = date.phrase, "date.sentence"
        else:
            date_fields = {"starts_on": None, "date_precision": DAY}
            date_phrase, date_rule = "", "date.none"
        key = ("event", kind, date_fields["starts_on"])
        if date_fields["starts_on"] and key in seen:
            return
        seen.add(key)
        yield Proposal(
            "event",
            {"title": title, "kind": kind, **date_fields, "certainty": certainty, "participants": participants},
            sentence.start,
            sentence.end,
            sentence.section,
            f"event.{kind}",
            {"cue": cue.group(0), "date_phrase": date_phrase, "date_rule": date_rule, "certainty_cue": cue_certainty},
        )
        return
    advice = sentence.framing_only and IMPERATIVE.match(normalise(text).strip())
    if (BY_DATE.search(masked) or advice) and date is not None and _not_past(date, context.published_on):
        key = ("deadline", "other", date.value)
        if key not in seen:
            seen.add(key)
            yield Proposal(
                "deadline",
                {
                    "title": title,
                    "kind": "other",
                    "due_on": date.value.isoformat() if date.value else None,
                    "date_precision": date.precision,
                    "certainty": certainty,
                    "actors": participants,
                    "status": "upcoming",
                },
                sentence.start,
                sentence.end,
                sentence.section,
                "deadline.by" if BY_DATE.search(masked) else "deadline.watch",
                {
                    "cue": "by" if BY_DATE.search(masked) else "the author's advice to watch a future date",
                    "date_phrase": date.phrase,
                    "certainty_cue": cue_certainty,
                },
            )
        return
