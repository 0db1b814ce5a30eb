"""Rule-based, explainable extraction of draft facts from an article's plain text.

Pure functions: no database, no network. ``extract(text, published_on=…, actors=[…])`` returns
``Proposal``s (the drafts to be) and ``Exclusion``s (what was left out, and why). Every proposal
names the rule that made it and the cues it read, so an editor can see why it is there.

The rule table (each rule is one function; the modules named hold the grammar it reads):

=====================  ==========================  ==============================================
rule                   function                    what it makes
=====================  ==========================  ==============================================
lines, sections        ``text.read``               link-bait lines excluded; headings (and a live
                                                   blog's timestamps) become locators; transcript
                                                   turns ("Name: …") found; sentences split never
                                                   inside a quote; a quote over paragraphs is one
framing                ``_classify``               the author's framing (addressed to the reader,
                                                   rhetorical questions, comment, advice): no
                                                   statements; predictions: nothing
quote.turn             ``_turn``                   a transcript answer → a direct quote of the
                                                   turn's speaker; the interviewer's questions and
                                                   a role without a name excluded
quote.*                ``_quotes`` and             a quote with an attribution → a direct quote
                       ``attribution``             (table in ``apps.intake.attribution``); one
                                                   without → an exclusion saying why
speakers               ``speakers.resolve``        names, titles, pronouns, new actors (see there);
                                                   names meet actors in ``Reader.match``
actor.unknown_speaker  ``_actor_draft``            a new speaker → an actor draft, full name, kind
certainty              ``_certainty``              "reportedly", "according to <unnamed>" … →
                                                   reported; "claims" → claimed, except as the
                                                   speaker's own verb
date.*                 ``_statement_date`` and     the date governing the verb (table in
                       ``dating``                  ``apps.intake.dating``)
paraphrase             ``_paraphrase``             indirect speech ("X warned that …") → a
                                                   paraphrase draft for the editor to word
deadline.* / event.*   ``_dated``                  a date and a cue in one clause (table in
                                                   ``apps.intake.facts``)
position               ``_positions``              wants / demands / rejects / offers / supports /
                                                   opposes → a position draft
=====================  ==========================  ==============================================
"""

import datetime
import re
from dataclasses import dataclass, field

from apps.intake import attribution as attr
from apps.intake import dating, facts
from apps.intake.dates import DAY, RANK, DateMention
from apps.intake.speakers import ActorIndex, ActorRef, Match, Reader, Speaker, resolve, slugify
from apps.intake.text import Document, Paragraph, Quote, Sentence, normalise, quote_key, read

__all__ = ["ActorRef", "Exclusion", "Extraction", "Proposal", "extract", "normalise", "quote_key", "slugify"]

REPORTED = re.compile(
    r"\b(reportedly|apparently|allegedly|hinted|hints|is said to|are said to|was said to|were said to|"
    r"sources say|sources said|according to (?:unnamed |anonymous |several |two |three |some )?(?:sources|"
    r"officials|diplomats|people|a person|a source|one|a diplomat|an official|reports)|rumou?red|"
    r"it is understood)\b",
    re.I,
)
CLAIMED = re.compile(r"\b(claims|claimed|insists|insisted)\b", re.I)
ADDRESSED = re.compile(r"\b(you|your|you['’]ve|you['’]re|you['’]ll)\b", re.I)
OPINION_OPENER = re.compile(r"^(honestly|frankly|well|wait|look|so|basically|the bottom line|the reality)\b", re.I)
IMPERATIVE = re.compile(
    r"^(?:(?:or|and|now)\s+)?"
    r"(take|watch|monitor|track|check|follow|remember|consider|keep|don['’]t|do not|look|note|see|expect)\b",
    re.I,
)
PREDICTION = re.compile(
    r"\b(will likely|would likely|likely to|is likely|expect a|would signal|could well|may well|is going to|"
    r"are going to)\b|^if\b",
    re.I,
)
PARAPHRASE = re.compile(
    rf"\b(?P<verb>(?:{attr.SAY})\s+(?:[\w.'’ ]{{0,60}}?\s)?that|threatened to|warned|promised to|vowed to)\b"
)
# "ARDEN, March 12 (Example Wire) -", "LYSEFJORD, 4 May 2026 –": when and where it was filed.
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40},\s+[^()\n]{3,30}?(?:\([^)\n]{1,40}\))?\s*[-–—]+\s*")
FIRST_PERSON = re.compile(r"^(?:we|i|our|my)\b", re.I)


@dataclass
class Proposal:
    kind: str  # statement, deadline, event, actor, position
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


@dataclass
class _Run:
    """One extraction's state as it reads the article in order."""

    doc: Document
    reader: Reader
    timeline: dating.Timeline
    topics: tuple[facts.TopicRef, ...] = ()
    proposals: list[Proposal] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    drafted: set[str] = field(default_factory=set)  # new actors already drafted
    dated: set[tuple] = field(default_factory=set)  # (kind, date, precision) already proposed
    previous: attr.Attribution | None = None  # the last attribution, for follow-up quotes
    previous_paragraph: int = -1
    hedges: dict[int, str] = field(default_factory=dict)  # sentence start -> its hedge

    def exclude(self, start: int, end: int, text: str, reason: str) -> None:
        self.exclusions.append(Exclusion(start, end, text, reason))


def extract(
    text: str,
    *,
    published_on: datetime.date | None,
    precision: str | None = DAY,
    actors: list[ActorRef],
    title: str = "",
    topics: tuple[facts.TopicRef, ...] = (),
    match: Match | None = None,
) -> Extraction:
    """Drafts and exclusions of ``text``; ``match`` (a name, the date → slug and score) replaces the
    actor index's own matching of names, for the shared name matcher."""
    doc = read(text, title)
    reader = Reader(ActorIndex(actors), published_on, match)
    run = _Run(doc, reader, dating.Timeline(published_on, precision or DAY), topics=topics)
    run.exclusions = [Exclusion(*e) for e in doc.exclusions]
    for sentence in doc.sentences:
        run.reader.learn_names(sentence.text)
    intro = [p.text for p in doc.paragraphs if not p.turn][:2]
    run.timeline.frame = dating.frame_date(run.timeline, title, intro)
    run.timeline.article_frame = dating.article_frame(run.timeline, text, intro)
    for paragraph in doc.paragraphs:
        _paragraph(run, paragraph)
    return Extraction(run.proposals, sorted(run.exclusions, key=lambda e: e.start))


def _paragraph(run: _Run, paragraph: Paragraph) -> None:
    if paragraph.turn:
        _turn(run, paragraph)
        return
    for sentence in paragraph.sentences:
        _sentence(run, paragraph, sentence)


def _sentence(run: _Run, paragraph: Paragraph, sentence: Sentence) -> None:
    _classify(sentence)
    masked = sentence.masked()
    dates = _sentence_dates(run, sentence)
    run.hedges[sentence.start] = m.group(0) if (m := REPORTED.search(masked)) else ""
    _learn_titles(run, sentence, masked)
    if sentence.excluded:
        run.exclude(sentence.start, sentence.end, sentence.text, sentence.excluded)
    if not sentence.excluded:
        _quotes(run, paragraph, sentence, masked, dates)
        _paraphrase(run, sentence, masked, dates)
    elif sentence.framing_only:
        for quote in sentence.quotes:
            run.exclude(
                quote.start, quote.end, quote.text, f"quoted phrase in the author's framing ({sentence.excluded})"
            )
    if not sentence.excluded or sentence.framing_only:
        _dated(run, sentence, dates, run.hedges[sentence.start])
    if not sentence.excluded:
        _positions(run, sentence, masked, dates, None)
    _update_salient(run, sentence, masked, dates)
    dating.remember(run.timeline, sentence.section, dates, sentence.framing_only)


def _sentence_dates(run: _Run, sentence: Sentence) -> list[DateMention]:
    dates = run.timeline.dates(sentence.text, sentence.start)
    if dateline := DATELINE.match(sentence.text):  # "ARDEN, March 12 (Example Wire) -": when filed
        dates = [d for d in dates if d.start >= sentence.start + dateline.end()]
    return dates


def _classify(sentence: Sentence) -> None:
    text = normalise(sentence.text).strip()
    outside = sentence.masked().replace("\0", "")
    if PREDICTION.search(outside.split(";")[0]):
        sentence.excluded = "the author's prediction or hypothetical"
    elif text.endswith("?") and not sentence.quotes:
        sentence.excluded, sentence.framing_only = "the author's framing: a rhetorical question", True
    elif ADDRESSED.search(outside):
        sentence.excluded, sentence.framing_only = "the author's framing: addressed to the reader", True
    elif OPINION_OPENER.match(text):
        sentence.excluded, sentence.framing_only = "the author's framing: comment", True
    elif IMPERATIVE.match(text):
        sentence.excluded, sentence.framing_only = "the author's framing: advice to the reader", True


# -- quotes ----------------------------------------------------------------------------------


def _quotes(run: _Run, paragraph: Paragraph, sentence: Sentence, masked: str, dates: list[DateMention]) -> None:
    """Each quote of the sentence (split halves joined) attributed, or excluded with the reason."""
    quotes = _joined(sentence, masked)
    current: attr.Attribution | None = None
    for quote in quotes:
        found = _attribute(run, paragraph, sentence, quote, masked, current)
        if found is None or not found.speaker.resolved:
            _unattributed(run, quote, found)
            continue
        found.quotes = [quote]
        current = found
        _statement(run, paragraph, sentence, quote, found, dates)


def _joined(sentence: Sentence, masked: str) -> list[Quote]:
    """The sentence's quotes, a quote split by its attribution ("This is not," she said, "…") as one."""
    out: list[Quote] = []
    for quote in sentence.quotes:
        if out and attr.split_pair(out[-1], quote, sentence, masked):
            first = out.pop()
            joined = first.words.rstrip(",—– ") + " " + quote.words
            out.append(
                Quote(first.parts + quote.parts, joined, first.start, quote.end, first.paragraph, [first, quote])
            )
            continue
        out.append(quote)
    return out


def _attribute(run, paragraph, sentence, quote, masked, current) -> attr.Attribution | None:
    """The rules of ``apps.intake.attribution``, in their table's order."""
    first = quote.halves[0] if quote.halves else quote
    found = attr.after(sentence, first, masked, run.reader) or attr.as_put_before(sentence, quote, masked, run.reader)
    if found is not None and quote.halves:
        found.rule = "quote.split"
    found = found or attr.same_sentence(current, sentence, quote, masked)
    found = found or attr.before(sentence, quote, masked, run.reader)
    if found is not None and not found.speaker.resolved and current is not None:
        # "…," X said, adding that observers had noted "…": still X's words.
        found = attr.Attribution(
            "quote.same", current.speaker, current.verb, current.verb_at, current.clause, current.medium
        )
    if found is None and run.previous_paragraph >= paragraph.index - 1:
        same = run.previous_paragraph == paragraph.index
        found = attr.context(run.previous, sentence, masked, same)
    return found


def _unattributed(run: _Run, quote: Quote, found: attr.Attribution | None) -> None:
    if found is None:
        reason = "quoted phrase with no verb of saying: a scare quote, a title or a slogan"
    else:
        reason = f"no speaker to draft: {found.speaker.why_not} ({found.speaker.phrase!r})"
    run.exclude(quote.start, quote.end, run.doc.text[quote.start : quote.end], reason)


def _turn(run: _Run, paragraph: Paragraph) -> None:
    """A transcript's answer: one direct quote of the turn's speaker; questions and roles excluded."""
    speaker = attr.turn_speaker(paragraph, run.reader)
    body = paragraph.text[paragraph.body_start - paragraph.start :].strip()
    for quote in (q for s in paragraph.sentences for q in s.quotes):
        run.exclude(quote.start, quote.end, quote.text, "a quote inside a transcript's turn: the turn is the statement")
    for sentence in paragraph.sentences:
        dates = _sentence_dates(run, sentence)
        _dated(run, sentence, dates, "")
        _positions(run, sentence, sentence.masked(), dates, speaker if speaker.resolved else None)
    if not speaker.resolved:
        run.exclude(paragraph.start, paragraph.start + len(paragraph.text), paragraph.text, speaker.why_not)
        return
    quote = Quote([(paragraph.body_start, paragraph.body_start + len(body))], body, paragraph.start,
                  paragraph.start + len(paragraph.text), paragraph.index)  # fmt: skip
    sentence = Sentence(paragraph.text, paragraph.start, paragraph.index, paragraph.section, [quote])
    found = attr.Attribution("quote.turn", speaker, "", None, (paragraph.start, paragraph.body_start), quotes=[quote])
    _statement(run, paragraph, sentence, quote, found, [])
    run.reader.salient = speaker


def _statement(run, paragraph, sentence, quote, found: attr.Attribution, dates) -> None:
    speaker = found.speaker
    certainty, cue, note = _certainty(run, sentence, found)
    date, date_rule = _statement_date(run, paragraph, sentence, found, dates)
    fields = {
        "speaker": speaker.key,
        "text": quote.words.rstrip(",.;:—– ").strip(),
        "kind": "direct_quote",
        "said_on": date.get("said_on"),
        "date_precision": date.get("date_precision", DAY),
        "certainty": certainty,
        "medium": found.medium,
        "about": _about(run, sentence, speaker.key, found.medium),
    }
    cues = {
        "speaker_phrase": speaker.phrase,
        "speaker_score": speaker.score,
        "speaker_via": speaker.via,
        "verb": found.verb,
        "certainty_cue": cue,
        "certainty_note": note,
        "date_phrase": date.get("phrase", ""),
        "date_rule": date_rule,
    }
    cues.update({k: v for k, v in (("date_from", date.get("from")), ("flag", found.flag)) if v})
    if speaker.unknown:
        cues["speaker_unknown"] = speaker.unknown
        _actor_draft(run, speaker, sentence)
    start, end = min(sentence.start, quote.start), max(sentence.end, quote.end)
    run.proposals.append(Proposal("statement", fields, start, end, paragraph.section, found.rule, cues))
    run.timeline.by_paragraph[(paragraph.index, speaker.key or "")] = (date, date_rule)
    run.previous, run.previous_paragraph = found, paragraph.index
    run.reader.salient = speaker


def _about(run: _Run, sentence: Sentence, speaker: str | None, medium: str = "") -> list[str]:
    """The actors the sentence names besides the speaker and the medium it was said to."""
    told = {m.slug for m in run.reader.index.mentions(medium)} if medium else set()
    slugs = [m.slug for m in run.reader.index.mentions(sentence.text, sentence.start) if m.slug]
    return [s for s in dict.fromkeys(slugs) if s != speaker and s not in told]


def _actor_draft(run: _Run, speaker: Speaker, sentence: Sentence) -> None:
    """A new speaker → an actor draft: the full name as the article gives it, its kind, no title."""
    slug = slugify(speaker.unknown)
    if slug in run.drafted:
        return
    run.drafted.add(slug)
    fields = {"slug": slug, "name": speaker.unknown, "kind": speaker.kind, "aliases": []}
    why = "speaks in the article but matches no actor's name or alias"
    if speaker.via == "seat":
        why += "; a seat of government used as a name: an organization, not a person"
    cues = {"name_phrase": speaker.phrase, "why": why}
    run.proposals.append(
        Proposal("actor", fields, sentence.start, sentence.end, sentence.section, "actor.unknown_speaker", cues)
    )


def _certainty(run: _Run, sentence: Sentence, found: attr.Attribution) -> tuple[str, str, str]:
    """(certainty, cue, note)."""
    masked = sentence.masked()
    hedge = run.hedges.get(sentence.start, "") or (m.group(0) if (m := REPORTED.search(masked)) else "")
    if hedge:
        return "reported", hedge, ""
    claims = list(CLAIMED.finditer(masked))
    if claims:
        own = [m.group(0) for m in claims if found.verb_at == sentence.start + m.start()]
        if own:
            note = "the speaker's own verb: that it was said is confirmed; what it says is the speaker's claim"
            return "confirmed", own[0], note
        return "claimed", claims[0].group(0), ""
    before = _sentence_before(run, sentence)
    if found.speaker.via == "pronoun" and before is not None and run.hedges.get(before.start):
        return "reported", run.hedges[before.start], "from the sentence before, which this one continues"
    return "confirmed", "", "no hedge in the sentence"


def _sentence_before(run: _Run, sentence: Sentence) -> Sentence | None:
    paragraph = run.doc.paragraphs[sentence.paragraph]
    earlier = [s for s in paragraph.sentences if s.start < sentence.start]
    return earlier[-1] if earlier else None


def _statement_date(run, paragraph, sentence, found: attr.Attribution, dates) -> tuple[dict, str]:
    """The rules of ``apps.intake.dating``, in their table's order."""
    if found.rule in ("quote.context", "quote.same"):
        carried = dating.by_paragraph(run.timeline, paragraph.index, found.speaker.key)
        if carried:
            return carried, "date.paragraph"
    own = _clause_date(found, dates, run.timeline)
    return own if own else _carried_date(run, paragraph, sentence, found)


def _clause_date(found: attr.Attribution, dates, timeline) -> tuple[dict, str] | None:
    if found.rule == "quote.turn":
        return None
    if any(d.kind == "since" and d.value is None for d in dates):
        return {"said_on": None, "phrase": "since then"}, "date.span"
    date = dating.by_clause(dates, timeline, found.verb_at, found.quotes)
    return (date, "date.clause") if date else None


def _carried_date(run: _Run, paragraph: Paragraph, sentence: Sentence, found: attr.Attribution) -> tuple[dict, str]:
    timeline = run.timeline
    carried = dating.by_paragraph(timeline, paragraph.index, found.speaker.key)
    if carried and found.rule != "quote.turn":
        return carried, "date.paragraph"
    anaphor = dating.by_anaphor(run.doc.text[found.clause[0] : found.clause[1]], timeline, sentence.section)
    if anaphor:
        return anaphor, "date.anaphor"
    present = found.present and found.rule in ("quote.after", "quote.split")
    framed, rule = dating.by_frame(found.rule == "quote.turn", paragraph.entry and run.doc.live_blog, present, timeline)
    if framed:
        return framed, rule
    scene = dating.by_scene(found.verb, timeline, sentence.section)
    return (scene, "date.scene") if scene else ({"said_on": None}, "date.none")


# -- paraphrases, deadlines, events, positions ---------------------------------------------------


def _paraphrase(run: _Run, sentence: Sentence, masked: str, dates) -> None:
    """Indirect speech outside quotes ("X threatened to …", "X warned that …") → a paraphrase to word."""
    if sentence.quotes:
        return
    match = PARAPHRASE.search(masked)
    if match is None:
        return
    subject = attr.subject_of(masked[: match.start()]) or masked[: match.start()].split(",")[0]
    speaker = resolve(subject, run.reader) if subject.strip() else Speaker()
    if not speaker.resolved:
        return
    verb = match.group("verb").split()[0]
    quote = Quote([(sentence.start + match.start(), sentence.end)], sentence.text[match.start() :].strip(),
                  sentence.start, sentence.end, sentence.paragraph)  # fmt: skip
    found = attr.Attribution(
        "paraphrase", speaker, verb, sentence.start + match.start(), (sentence.start, sentence.end)
    )
    paragraph = run.doc.paragraphs[sentence.paragraph]
    _statement(run, paragraph, sentence, quote, found, dates)
    run.proposals[-1].fields["kind"] = "paraphrase"
    run.proposals[-1].cues["to_word"] = "a paraphrase: word it in the project's own words before accepting"


def _dated(run: _Run, sentence: Sentence, dates: list[DateMention], hedge: str) -> None:
    """Each clause with a date and a cue → a deadline or an event, dated by its most precise date."""
    certainty = "reported" if hedge else "confirmed"
    made_here: dict[int, tuple[DateMention, facts.Dated]] = {}  # clause start -> its fact
    for date in (d for d in dates if d.kind == "point" and d.value is not None):
        future = run.timeline.after(date)
        made = facts.dated_fact(sentence.text, sentence.start, date, future, certainty)
        if made is None and future and sentence.framing_only and IMPERATIVE.match(normalise(sentence.text).strip()):
            made = facts.watch(sentence.text, sentence.start, date, certainty)
        if made is None:
            continue
        clause = facts.clause_of(sentence.text, date.start - sentence.start)[0]
        kept = made_here.get(clause)
        if kept is None or RANK[date.precision or DAY] > RANK[kept[0].precision or DAY]:
            made_here[clause] = (date, made)
    for date, made in made_here.values():
        key = (made.kind, made.fields["kind"], date.value, date.precision)
        if key in run.dated:
            continue
        run.dated.add(key)
        made.fields["actors" if made.kind == "deadline" else "participants"] = _about(run, sentence, None)
        run.proposals.append(
            Proposal(made.kind, made.fields, sentence.start, sentence.end, sentence.section, made.rule, made.cues)
        )


def _positions(run: _Run, sentence: Sentence, masked: str, dates, speaker: Speaker | None) -> None:
    """ "X wants / demands / rejects / offers / supports / opposes …" → a position draft of X's."""
    found = facts.stance_in(masked)
    if found is None:
        return
    verb, stance = found
    subject = attr.subject_of(masked[: verb.start()])
    if speaker is not None and FIRST_PERSON.match(subject.strip()):
        actor = speaker
    else:
        actor = resolve(subject, run.reader) if subject.strip() else Speaker()
    if not actor.resolved or (actor.via == "pronoun" and speaker is not None):
        return
    summary = facts.summary_of(sentence.text[verb.start() :])
    valid = dating.by_clause(dates, run.timeline, sentence.start + verb.start(), sentence.quotes)
    topic = facts.topic_for(sentence.text, run.topics)
    fields = {"actor": actor.key, "topic": topic[0] if topic else None, "stance": stance, "summary": summary,
              "valid_from": valid["said_on"] if valid else None,
              "date_precision": valid["date_precision"] if valid else DAY,
              "certainty": "reported" if run.hedges.get(sentence.start) else "confirmed"}  # fmt: skip
    cues = {"cue": verb.group(0), "actor_phrase": actor.phrase,
            "topic": f"suggested: it shares {topic[1]} with the topic" if topic else "choose the topic"}  # fmt: skip
    if actor.unknown:
        _actor_draft(run, actor, sentence)
    run.proposals.append(
        Proposal("position", fields, sentence.start, sentence.end, sentence.section, f"position.{stance}", cues)
    )


# -- reading as it goes: titles and who the text is about ---------------------------------------------


def _learn_titles(run: _Run, sentence: Sentence, masked: str) -> None:
    """ "Kestrian President Tomas Novak", "X, the foreign minister,", "Its leader, X,": titles of people."""
    for mention in run.reader.index.mentions(masked, sentence.start):
        if mention.kind != "person":
            continue
        at, end = mention.start - sentence.start, mention.end - sentence.start
        speaker = resolve(mention.name, run.reader)
        before = re.search(r"((?:[\w'’.-]+\s+){1,4})$", masked[:at])
        if before:
            run.reader.learn_title(before.group(1), speaker)
        apposition = re.match(r",\s*([^,;\"“”\0]{3,80}),", masked[end:])
        if apposition:
            run.reader.learn_title(apposition.group(1), speaker)
        preceding = re.search(r"([^,;.\"“”\0]{3,80}),\s*$", masked[:at])
        if preceding:
            run.reader.learn_title(preceding.group(1), speaker)


def _update_salient(run: _Run, sentence: Sentence, masked: str, dates: list[DateMention]) -> None:
    """The person the sentence is about – its subject when that is a person's name – and its date."""
    head = re.split(r"\s(?:is|was|has|had|will|would|said|says|told|[a-z]+ed|[a-z]+s)\s", masked, maxsplit=1)[0]
    subject = attr.subject_of(head)
    if not subject or subject.split()[0].lower() in ("he", "she"):
        return
    speaker = resolve(subject, run.reader)
    if not (speaker.resolved and speaker.kind == "person" and speaker.via == "name"):
        return
    run.reader.salient = speaker
    key = (sentence.paragraph, speaker.key or "")
    date = dating.by_clause(dates, run.timeline, sentence.start + len(head), sentence.quotes)
    if date and key not in run.timeline.by_paragraph:
        run.timeline.by_paragraph[key] = (date, "date.clause")
