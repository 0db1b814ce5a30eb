"""Who said a quote: the attribution rules of news grammar, one function each.

Each rule reads one sentence (its quotes masked, so words inside a quote never attribute it) and
returns an ``Attribution`` or None; ``attribute`` tries them in the order of the rule table below
and, when none holds, says why in an exclusion. The subject of a verb of saying is found by the
sentence's own punctuation: introductory phrases ("Asked whether …,", "Last November,") are
skipped, appositives ("X, the foreign minister,", "Its leader, X,") give the name, and a name that
only modifies ("Muñoz's spokeswoman", "the Muñoz headquarters") is never the speaker.

=====================  =============================================================================
rule                   construction
=====================  =============================================================================
quote.turn             a transcript's turn: "Sorokin: …" (Q&A), "Maria Santos (Minister): …" (record)
quote.after            "…," X said / "…," said X, the minister / "…," the Kestrian president said
quote.as_put           "…," as X put it / As X put it, "…"
quote.according        "…," according to X / According to X, "…" (a named X; unnamed sources: reported)
quote.before           X, a senator from Y, told Fox News that … "…" / X said: "…" / X called it "…"
quote.same             a second quote in a sentence already attributed ("…," X said, adding that "…")
quote.split            "This is not," she said, "the end of it." – one quote, both halves
quote.context          a bare quote after an attributed one in the same paragraph, or opening the next
=====================  =============================================================================
"""

import re
from dataclasses import dataclass, field

from apps.intake.speakers import Reader, Speaker, head_names, proper_names, resolve
from apps.intake.text import Paragraph, Quote, Sentence

SAY = (
    r"said|says|say|told|tells|tell|added|adds|wrote|writes|asked|asks|declared|declares|stated|states|"
    r"insisted|insists|claimed|claims|warned|warns|explained|explains|argued|argues|noted|notes|hinted|hints|"
    r"called|calls|described|describes|dubbed|talked about|talks about|spoke of|speaks of|announced|announces|"
    r"promised|promises|vowed|vows|admitted|admits|suggested|suggests|replied|replies|responded|responds|"
    r"recalled|recalls|remembered|remembers|accused|accuses|urged|urges|welcomed|welcomes|praised|praises|"
    r"condemned|condemns|complained|complains|conceded|concedes|thanked|thanks|posted|tweeted|went on|goes on|"
    r"continued|continues|laughed|laughs|joked|jokes|cautioned|cautions|acknowledged|acknowledges|countered|"
    r"pledged|pledges|stressed|stresses|observed|remarked|concluded|concludes|answered|answers|quipped|"
    r"protested|objected|opened by \w+ing|put it|puts it|accusing|adding|saying|calling|describing|describe|"
    r"call|dismissed|dismisses|reacted|conceded"
)
PRESENT = re.compile(
    r"^(says|tells|adds|writes|asks|declares|states|insists|claims|warns|explains|argues|notes|hints|calls|"
    r"describes|talks about|speaks of|recalls|remembers|laughs|jokes|goes on|continues|answers|replies|responds)$"
)
ADVERBS = (
    r"(?:already|also|reportedly|apparently|publicly|once|just|repeatedly|later|privately|then|quietly|simply|"
    r"plainly|bluntly|again|firmly|flatly)"
)
SAY_VERB = re.compile(rf"\b(?P<aux>(?:has|have|had|was|were)\s+)?(?:{ADVERBS}\s+)*(?P<verb>{SAY})\b")
# he / she; a determiner and a phrase ("the Kestrian president"); a name; a lower-case title and a name
SUBJECT = (
    r"(?:he|she|(?:the|a|an|one|its|his|her|their)\s+[^\"“”,.;:]{1,60}?|[A-Z][^\"“”,.;:]{0,60}?|"
    r"[a-z]+\s+[a-z]+\s+[A-Z][^\"“”,.;:]{0,40}?)"
)
APPOSITIVE = r"(?:,\s*[^\"“”,;:]{1,90},)?"
AFTER_SUBJECT = re.compile(rf"^\s*,?\s*(?P<who>{SUBJECT}{APPOSITIVE})\s+(?:{ADVERBS}\s+)*(?P<verb>{SAY})\b")
AFTER_VERB = re.compile(
    rf"^\s*,?\s*(?P<verb>{SAY})\s+(?P<who>he|she|the\s+[^,.;\"“”]{{1,50}}?|[A-Z][^,.;\"“”]{{0,60}}?)"
    r"(?=\s*(?:[,.;:]|$|\s+(?:on|in|at|to|of|from|after|before|during|who|over|outside)\b))"
)
AS_PUT = re.compile(
    r"^\s*,?\s*as\s+(?P<who>[^\"“”]{2,80}?)\s+(?P<verb>put it|puts it|said|noted|described it|called it)\b", re.I
)
ACCORDING = re.compile(r"according to\s+(?P<who>[^,.;\"“”]{2,80})", re.I)
NOT_SUBJECT_START = re.compile(r"^(?:whatever|which|who|that|if|when|while|because|although|and|but|so)\b", re.I)
INTRODUCTORY = re.compile(
    r"^(?:in|on|at|before|after|asked|speaking|last|just|while|when|if|as|since|during|under|for|from|with|"
    r"without|by|back|earlier|later|outside|inside|afterwards?|meanwhile|however|instead|today|yesterday|"
    r"tonight|this|that|then|now|arriving|leaving|addressing|standing|pressed|questioned|reacting|"
    r"responding|according|in\s+a|on\s+the|\d)\b",
    re.I,
)
UNNAMED_SOURCES = re.compile(
    r"^(?:a|an|one|two|three|four|several|some|many|unnamed|anonymous|senior|people|officials|sources|diplomats|"
    r"persons?|reports?)\b",
    re.I,
)
QUESTIONERS = re.compile(r"^(?:q|question|interviewer|reporter|journalist)$", re.I)


@dataclass
class Attribution:
    rule: str
    speaker: Speaker
    verb: str = ""
    verb_at: int | None = None  # offset in the article
    clause: tuple[int, int] = (0, 0)  # the attribution's words outside the quote (article offsets)
    medium: str = ""
    flag: str = ""
    reported: str = ""  # a hedge in the attribution itself ("according to a person briefed")
    quotes: list[Quote] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(PRESENT.match(self.verb))


def turn_speaker(paragraph: Paragraph, reader: Reader) -> Speaker:
    """A transcript turn's label: a name (or "Role (Name)", "Name (Role)"), a questioner, or a role only."""
    label = paragraph.turn
    if QUESTIONERS.match(label):
        return Speaker(phrase=label, why_not="the interviewer's question")
    inner = re.search(r"\(([^)]*)\)", label)
    candidates = [label.split("(")[0].strip()] + ([inner.group(1)] if inner else [])
    for candidate in candidates:
        speaker = resolve(candidate, reader)
        if speaker.resolved and speaker.kind == "person" and list(proper_names(candidate)):
            if inner:
                reader.learn_title(candidates[1] if candidate == candidates[0] else candidates[0], speaker)
            return speaker
        if speaker.resolved and speaker.kind != "person":
            return Speaker(phrase=label, why_not="the interviewer's question: the turn of a newsroom")
    return Speaker(phrase=label, why_not="a role without a name (a presiding officer's words)")


def after(sentence: Sentence, quote: Quote, masked: str, reader: Reader) -> Attribution | None:
    """ "…," X said – the quote ends its clause and the attribution follows it."""
    tail_at = quote.end - sentence.start
    tail = masked[tail_at:]
    tail = tail.split("\0")[0]  # up to the next quote
    closing = quote.words[-1:] in (",", "?", "!", "—", "–") or tail.startswith((",", " —", " –"))
    if not closing and not re.match(r"^\s+(?:he|she)\s+(?:said|says|added|adds)\b", tail):
        return None
    for rule, pattern in (("quote.as_put", AS_PUT), ("quote.after", AFTER_VERB), ("quote.after", AFTER_SUBJECT)):
        match = pattern.match(tail)
        if match and not NOT_SUBJECT_START.match(match.group("who").strip()):
            return _made(rule, match, sentence.start + tail_at, reader, tail)
    according = re.match(r"^\s*,?\s*" + ACCORDING.pattern, tail, re.I)
    if according:
        return _according(according, sentence.start + tail_at, reader)
    return None


def _made(rule: str, match: re.Match, base: int, reader: Reader, tail: str) -> Attribution:
    speaker = resolve(match.group("who"), reader)
    verb = match.group("verb")
    end = _clause_end(tail, match.end())
    attribution = Attribution(rule, speaker, verb, base + match.start("verb"), (base, base + end))
    attribution.medium = _medium(verb, tail[match.end() :])
    return attribution


def _clause_end(tail: str, at: int) -> int:
    stop = re.search(r"[.;!?]|\0|,\s+(?:but|and|while|who|which)\b", tail[at:])
    return at + (stop.start() if stop else len(tail) - at)


def _medium(verb: str, rest: str) -> str:
    if verb not in ("told", "tells", "tell"):
        return ""
    told = re.match(r"\s*(?P<m>the press|reporters|journalists|lawmakers|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)", rest)
    return f"told {told.group('m')}" if told else ""


def _according(match: re.Match, base: int, reader: Reader) -> Attribution | None:
    who = match.group("who").strip()
    if UNNAMED_SOURCES.match(who):
        return None
    speaker = resolve(who, reader)
    return Attribution("quote.according", speaker, "according to", None, (base + match.start(), base + match.end()))


def as_put_before(sentence: Sentence, quote: Quote, masked: str, reader: Reader) -> Attribution | None:
    """ "As X put it, "…"" and "According to X, "…"": the attribution opens the sentence."""
    head = masked[: quote.start - sentence.start]
    as_put = re.match(r"\s*As\s+(?P<who>[^,;\0]{2,80}?)\s+(?P<verb>put it|said|noted)\s*,", head)
    if as_put:
        return _made("quote.as_put", as_put, sentence.start, reader, head)
    according = re.match(r"\s*" + ACCORDING.pattern + r"\s*,", head, re.I)
    if according:
        return _according(according, sentence.start, reader)
    return None


def before(sentence: Sentence, quote: Quote, masked: str, reader: Reader) -> Attribution | None:
    """X (, appositive,) said/told/called … "…": the last verb of saying before the quote, and its subject.

    A participle ("…, adding that …", "accusing …") has the subject of the sentence's first verb.
    """
    head = masked[: quote.start - sentence.start]
    verbs = list(SAY_VERB.finditer(head))
    if not verbs:
        return None
    verb = verbs[-1]
    governing = verbs[0] if verb.group("verb").endswith("ing") else verb
    subject = subject_of(head[: governing.start()])
    if re.search(r"(?:^|[\s,])(?:and|but|then)$", subject.strip()):
        subject = leading_subject(head)  # "He did not stop, but told …": the first verb's subject
    if not subject.strip():
        return None
    speaker = resolve(subject, reader)
    clause = (sentence.start + max(0, head.rfind(subject)), sentence.start + len(head))
    called = verb.group("verb") in ("called", "calls", "dubbed", "describes", "described")
    attribution = Attribution(
        "quote.called" if called else "quote.before",
        speaker,
        verb.group("verb"),
        sentence.start + verb.start("verb"),
        clause,
    )
    attribution.medium = _medium(verb.group("verb"), head[verb.end() :])
    return attribution


def subject_of(head: str) -> str:
    """The subject a verb of saying follows: introductory phrases dropped, the clause's own words kept."""
    head = re.sub(r'^.*[\0"“”]', "", head).lstrip(" ,")
    head = re.sub(
        r"\s+(?:is|are|was|were)\s+(?:said|reported|understood|believed|thought|alleged)\s+to(?:\s+have)?\s*$", "", head
    )
    head = re.sub(rf"(?:\s+(?:has|have|had|was|were|is|are|will|would|{ADVERBS}))*\s*$", "", head)
    head = re.split(r";|:|\s[-–—]\s|\b(?:and|but|while|that|because|after|before|when)\s+(?=(?:he|she|[A-Z]))", head)[
        -1
    ]
    segments = [s for s in re.split(r",\s*", head) if s.strip()]
    while len(segments) > 1 and INTRODUCTORY.match(segments[0].strip()):
        segments.pop(0)
    subject = ", ".join(segments).strip()
    subject = re.sub(r"^(?:while|when|as|if|since|and|but|so)\s+", "", subject, flags=re.I)
    return subject if len(subject.split()) <= 24 else ""


LEADING = re.compile(
    r"^\s*(?:(?:he|she)\b|(?:(?:the|its|his|her|a|an)\s+)?(?:[\w'’.-]+\s+){0,3}?(?:[A-Z][\w'’.-]*\s*)+(?:,\s*[^,]{1,80},)?)"
)


def leading_subject(head: str) -> str:
    """The words a sentence opens with, up to its first verb: "He", "Senator X, a Republican,"."""
    head = re.sub(r'^.*[\0"“”]', "", head).lstrip(" ,")
    match = LEADING.match(head)
    return match.group(0).strip() if match else ""


def same_sentence(previous: Attribution | None, sentence: Sentence, quote: Quote, masked: str) -> Attribution | None:
    """A later quote of a sentence whose earlier quote is attributed, with no other subject between."""
    if previous is None or not previous.quotes:
        return None
    between = masked[previous.quotes[-1].end - sentence.start : quote.start - sentence.start]
    if re.search(r"[.;]\s", between) or re.search(r"\b(?:he|she|[A-Z][a-z]+)\s+(?:said|told|says)\b", between):
        return None
    return Attribution(
        "quote.same", previous.speaker, previous.verb, previous.verb_at, previous.clause, previous.medium
    )


def split_pair(first: Quote, second: Quote, sentence: Sentence, masked: str) -> bool:
    """ "This is not," she said, "the end of it.": two halves of one quote around a short attribution."""
    if first.words[-1:] not in (",", "—", "–"):
        return False
    between = masked[first.end - sentence.start : second.start - sentence.start]
    words = between.strip(" ,").split()
    return bool(between.rstrip().endswith(",")) and 1 <= len(words) <= 14 and bool(SAY_VERB.search(between))


def context(previous: Attribution | None, sentence: Sentence, masked: str, same_paragraph: bool) -> Attribution | None:
    """A quote with no attribution after an attributed one takes its speaker, flagged: in the same
    paragraph when no one else is named outside the quote ("We are in the "last yard," but …"), or a
    bare quote – the whole sentence – opening the next paragraph."""
    if previous is None or not previous.speaker.resolved:
        return None
    outside = masked.replace("\0", "")
    bare = re.fullmatch(r"[\W\d]*", outside) is not None
    if not bare and not (same_paragraph and not head_names(outside)):
        return None
    return Attribution(
        "quote.context", previous.speaker, flag="no attribution of its own: the speaker of the quote before it"
    )
