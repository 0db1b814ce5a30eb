"""The extraction rules, one by one, on short texts: pure functions, no database."""

import datetime

import pytest

from apps.intake.dates import find_dates
from apps.intake.extract import ActorRef, extract, quote_key
from apps.intake.html import html_to_text

ACTORS = [
    ActorRef("donald-trump", "Donald Trump", "person", ("Trump",)),
    ActorRef("vladimir-putin", "Vladimir Putin", "person", ()),
    ActorRef("volodymyr-zelenskyy", "Volodymyr Zelenskyy", "person", ("Zelensky",)),
    ActorRef("reuters", "Reuters", "organization", ()),
    ActorRef("russia", "Russia", "state", ("the Kremlin",)),
]
DAY = datetime.date(2026, 1, 17)  # a Saturday


def run(text, published_on=DAY, precision="day"):
    return extract(text, published_on=published_on, precision=precision, actors=ACTORS)


def statements(text, **kwargs):
    return [p for p in run(text, **kwargs).proposals if p.kind == "statement"]


def only(text, **kwargs):
    (proposal,) = statements(text, **kwargs)
    return proposal


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value", "precision"),
    [
        ("on January 14, 2026,", "2026-01-14", "day"),
        ("on 14 Jan 2026", "2026-01-14", "day"),
        ("on January 14", "2026-01-14", "day"),
        ("in December", "2025-12-01", "month"),  # the nearest December
        ("last August", "2025-08-01", "month"),
        ("last January", "2025-01-01", "month"),  # strictly before this month
        ("next March", "2026-03-01", "month"),
        ("in August 2025", "2025-08-01", "month"),
        ("in 2019", "2019-01-01", "year"),
        ("early 2026", "2026-01-01", "year"),
        ("right now", "2026-01-17", "day"),
        ("yesterday", "2026-01-16", "day"),
        ("two days ago", "2026-01-15", "day"),
        ("just a few days ago", "2026-01-01", "month"),
        ("on Wednesday", "2026-01-14", "day"),
        ("last Saturday", "2026-01-10", "day"),
        ("next Monday", "2026-01-19", "day"),
        ("next week", "2026-01-01", "month"),  # 19–25 January: its Thursday is in January
        ("last month", "2025-12-01", "month"),
        ("earlier this month", "2026-01-01", "month"),
        ("next year", "2027-01-01", "year"),
        ("this spring", "2026-01-01", "year"),
        ("last summer", "2025-01-01", "year"),
        ("through the spring", "2026-01-01", "year"),
    ],
)
def test_dates_resolve_against_the_publication_date(phrase, value, precision):
    (mention,) = find_dates(f"It happened {phrase} they say.", DAY, "day")
    assert (mention.value.isoformat(), mention.precision) == (value, precision)
    assert phrase.strip(", ").endswith(mention.phrase.split()[-1].strip(","))


def test_a_date_after_due_or_by_is_the_next_one():
    (mention,) = find_dates("The vote is due on January 10.", DAY, "day")
    assert mention.value == datetime.date(2027, 1, 10)
    (mention,) = find_dates("It was signed on January 10.", DAY, "day")
    assert mention.value == datetime.date(2026, 1, 10)


def test_since_is_a_span_not_a_date_and_may_is_a_verb():
    kinds = [(m.phrase, m.kind) for m in find_dates("Since then, and since 2019, they may talk.", DAY, "day")]
    assert kinds == [("Since then", "since"), ("since 2019", "since")]


def test_a_coarse_anchor_gives_coarse_answers_and_no_anchor_none():
    (mention,) = find_dates("just a few days ago", datetime.date(2026, 5, 1), "month")
    assert (mention.value, mention.precision) == (datetime.date(2026, 5, 1), "month")
    (mention,) = find_dates("last August", None, None)
    assert mention.value is None
    assert mention.phrase == "last August"


# -- quotes and speakers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ('"We had a productive meeting," Trump told the press.', "quote.after"),
        ("“We had a productive meeting,” said Trump.", "quote.after"),
        ('Trump told Reuters that it was "a productive meeting".', "quote.before"),
        ('Talks were "a productive meeting," as Donald Trump put it.', "quote.as_put"),
        ('The talks were "a productive meeting," according to Trump.', "quote.according"),
        ('Trump called it "a productive meeting".', "quote.called"),
    ],
)
def test_attributions_in_straight_and_curly_quotes(text, rule):
    proposal = only(text)
    assert proposal.rule == rule
    assert proposal.fields["speaker"] == "donald-trump"
    assert proposal.fields["kind"] == "direct_quote"
    assert quote_key(proposal.fields["text"]) in {"we had a productive meeting", "a productive meeting"}
    assert text[proposal.start : proposal.end].strip() == text.strip()


def test_quote_text_is_verbatim_and_about_names_the_others():
    proposal = only(
        'Trump told Reuters that Ukrainian President Volodymyr Zelenskyy is the "main impediment" to peace.'
    )
    assert proposal.fields["text"] == "main impediment"
    assert proposal.fields["about"] == ["volodymyr-zelenskyy"]
    assert proposal.fields["medium"] == "told Reuters"


def test_fuzzy_speakers_keep_their_score_and_unknown_ones_become_actor_drafts():
    proposal = only('"No," Zelenskyi said.')
    assert proposal.fields["speaker"] == "volodymyr-zelenskyy"
    assert 85 <= proposal.cues["speaker_score"] < 100
    proposals = run('"We are ready," Foreign Minister Kaja Kallas said.').proposals
    assert [p.kind for p in proposals] == ["actor", "statement"]
    assert proposals[0].fields == {"slug": "kaja-kallas", "name": "Kaja Kallas", "kind": "person", "aliases": []}
    assert proposals[1].fields["speaker"] == "kaja-kallas"


def test_he_is_the_person_named_before():
    text = 'Putin was blunt. He called relations the "lowest point since the Cold War."'
    proposal = only(text)
    assert (proposal.fields["speaker"], proposal.cues["speaker_via"]) == ("vladimir-putin", "pronoun")


def test_scare_quotes_are_excluded_not_attributed():
    result = run(
        'It is not the "multipolar world" Putin dreamed of. While Trump talks peace, he is "greenlighting" it.'
    )
    assert [p for p in result.proposals if p.kind == "statement"] == []
    assert [e.text for e in result.exclusions] == ['"multipolar world"', '"greenlighting"']


def test_a_bare_quote_after_an_attributed_one_takes_its_speaker_flagged():
    _, second = statements('Things are "in the red zone," as Trump put it. We are in the "last yard," he thinks.')
    assert (second.rule, second.fields["speaker"]) == ("quote.context", "donald-trump")
    assert "flag" in second.cues


# -- certainty -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "certainty", "cue"),
    [
        ('Trump reportedly called it "a deal".', "reported", "reportedly"),
        ('Trump apparently called it "a deal".', "reported", "apparently"),
        ('Putin has hinted that Russia is "no longer bound".', "reported", "hinted"),
        ('Trump is said to have called it "a deal".', "reported", "is said to"),
        ('Sources say Trump called it "a deal".', "reported", "Sources say"),
        ('The Kremlin claims Trump called it "a deal".', "claimed", "claims"),
        ('Trump called it "a deal".', "confirmed", ""),
    ],
)
def test_certainty_cues(text, certainty, cue):
    proposal = only(text)
    assert (proposal.fields["certainty"], proposal.cues["certainty_cue"]) == (certainty, cue)


def test_the_speakers_own_claims_is_a_confirmed_statement_of_a_claim():
    proposal = only('Trump claims Putin is "ready to make a deal".')
    assert (proposal.fields["certainty"], proposal.cues["certainty_cue"]) == ("confirmed", "claims")
    assert "claim" in proposal.cues["certainty_note"]


def test_a_continuing_sentence_keeps_the_hedge_and_the_date():
    text = 'Last August, Putin reportedly lectured for an hour. He talked about the two being "one nation."'
    proposal = only(text)
    assert (proposal.fields["certainty"], proposal.fields["said_on"]) == ("reported", "2025-08-01")


# -- statement dates ---------------------------------------------------------------------------


def test_statement_dates_sentence_scene_span_and_none():
    text = (
        "Remember last August? The summit was tense.\n\n"
        '"It was productive," Trump told the press afterward.\n\n'
        'Since then, talks have been in the "red zone," as Trump put it.\n\n'
        'Trump says he wants to be a "neighbor".\n'
    )
    told, red_zone, neighbor = statements(text)
    assert (told.fields["said_on"], told.fields["date_precision"], told.cues["date_rule"]) == (
        "2025-08-01",
        "month",
        "date.anaphor",  # "afterward": the date the text refers back to, the scene the author set
    )
    assert told.cues["date_phrase"] == "last August"
    assert (red_zone.fields["said_on"], red_zone.cues["date_rule"]) == (None, "date.span")
    assert (neighbor.fields["said_on"], neighbor.cues["date_rule"]) == (None, "date.none")


def test_a_date_after_publication_is_not_when_it_was_said():
    proposal = only('"I am optimistic," Trump said on Tuesday of the vote, which is due on March 3.')
    assert proposal.fields["said_on"] == "2026-01-13"


# -- paraphrases, events, deadlines ------------------------------------------------------------


def test_indirect_speech_is_a_paraphrase_draft():
    proposal = only("Trump, who was angry, apparently raised his voice and threatened to walk out.")
    assert (proposal.fields["kind"], proposal.fields["speaker"], proposal.fields["certainty"]) == (
        "paraphrase",
        "donald-trump",
        "reported",
    )
    assert "to_word" in proposal.cues


@pytest.mark.parametrize(
    ("text", "kind", "fact_kind", "date"),
    [
        ("The New START Treaty is set to expire on February 4, 2026.", "deadline", "treaty_expiry", "2026-02-04"),
        ("Check the statements before the February 4 deadline.", "deadline", "other", "2026-02-04"),
        ("Parliament must vote by March 3.", "deadline", "vote", "2026-03-03"),
        ("Follow the January 20 meeting of the delegations.", "deadline", "meeting", "2026-01-20"),
        ("Trump met Putin at the summit in Anchorage on August 15, 2025.", "event", "summit", "2025-08-15"),
        ("On January 14, 2026, Trump told Reuters that talks were stuck.", "event", "interview", "2026-01-14"),
        ("A delegation is headed to D.C. right now (January 17).", "event", "other", "2026-01-17"),
    ],
)
def test_events_and_deadlines(text, kind, fact_kind, date):
    found = [p for p in run(text).proposals if p.kind in ("event", "deadline")]
    assert [(p.kind, p.fields["kind"]) for p in found] == [(kind, fact_kind)]
    assert found[0].fields["due_on" if kind == "deadline" else "starts_on"] == date
    assert found[0].cues["date_phrase"]


# -- exclusions ------------------------------------------------------------------------------


def test_link_bait_lines_give_no_draft_and_are_recorded():
    text = (
        'Trump said "yes," Putin said "no."\n\n'
        '💡 You might also like: Trump told Reuters "everything" about the summit on January 3\n'
        'Read more: Putin\'s "secret" summit\n'
        "Click here to subscribe\n"
    )
    result = run(text)
    assert all(p.end <= text.index("💡") for p in result.proposals)
    reasons = [e.reason for e in result.exclusions]
    assert sum("link-bait" in r for r in reasons) == 3


def test_the_authors_framing_and_predictions_give_no_statements():
    result = run(
        'Honestly, Trump is "a dealmaker." If you ask me, Putin will "win." '
        'If talks fail, war will likely "escalate." Is it "over"?'
    )
    assert [p for p in result.proposals if p.kind == "statement"] == []
    assert {e.reason.split(":")[0] for e in result.exclusions} >= {
        "the author's framing",
        "the author's prediction or hypothetical",
    }


def test_headings_are_locators():
    proposal = only('The Summit\n\n"Fine," Trump said.\n')
    assert proposal.locator == "The Summit"


def test_html_is_reduced_to_blocks_of_text():
    html = "<h1>Title</h1><nav>Menu</nav><p>One &amp; two.</p><ul><li>Item</li></ul><style>p{}</style>"
    assert html_to_text(html) == "Title\n\nOne & two.\n\n  • Item\n"


def test_a_day_within_a_month_precision_publication_is_not_after_it():
    proposal = only('On January 14, 2026, Trump said "yes".', published_on=datetime.date(2026, 1, 1), precision="month")
    assert (proposal.fields["said_on"], proposal.fields["date_precision"]) == ("2026-01-14", "day")


# -- issue 22: news grammar ------------------------------------------------------------------------


def quotes_of(text, **kwargs):
    return {p.fields["text"]: p for p in statements(text, **kwargs) if p.fields["kind"] == "direct_quote"}


def test_an_appositive_between_speaker_and_verb_keeps_the_quote():
    (quote,) = quotes_of(
        'Senator Hanne Voss, a Republican from Ohio, told Fox News on Tuesday that the plan was "dead on arrival."'
    ).values()
    assert (quote.fields["speaker"], quote.fields["said_on"]) == ("hanne-voss", "2026-01-13")
    assert quote.fields["medium"] == "told Fox News"


def test_a_title_after_the_quote_is_the_person_the_article_gave_it_to():
    text = (
        "Brazilian Foreign Minister Ana Lima met Putin on Monday.\n\n"
        '"We will not take sides," the Brazilian foreign minister said.\n'
    )
    (quote,) = quotes_of(text).values()
    assert (quote.fields["speaker"], quote.cues["speaker_via"]) == ("ana-lima", "title")


def test_a_split_quote_is_one_quote_and_a_two_sentence_quote_is_kept():
    found = quotes_of('"This is not," Putin said, "the end of it." He paused. "We knew. We waited," he said.')
    assert set(found) == {"This is not the end of it", "We knew. We waited"}
    assert found["This is not the end of it"].rule == "quote.split"


def test_a_new_speakers_follow_up_and_a_second_quote_past_twelve_words_are_kept():
    text = (
        '"It is over," said Oskar Lind, an aide. "The question is the capital."\n\n'
        "Trump said in a long and rambling statement to reporters at the White House on Monday evening that it was "
        '"a good day" and, after a pause to thank his staff and several donors, "a great one."\n'
    )
    found = quotes_of(text)
    assert {k: v.fields["speaker"] for k, v in found.items()} == {
        "It is over": "oskar-lind",
        "The question is the capital": "oskar-lind",
        "a good day": "donald-trump",
        "a great one": "donald-trump",
    }


def test_according_to_sources_makes_the_quote_reported_not_unattributed():
    (quote,) = quotes_of('"We are ready," Putin said, according to two officials familiar with the talks.').values()
    assert (quote.fields["speaker"], quote.fields["certainty"]) == ("vladimir-putin", "reported")


def test_an_anonymous_speaker_is_excluded_with_the_reason():
    result = run('"It was theatre," a senior official said on condition of anonymity.')
    assert [p for p in result.proposals if p.kind == "statement"] == []
    assert "anonymous source" in result.exclusions[0].reason


def test_interview_answers_are_quotes_of_the_speaker_dated_by_the_transcript():
    text = (
        "Putin on the talks\n\n"
        "Vladimir Putin spoke to Example Radio on Thursday, January 15.\n\n"
        "Example Radio: Will you meet Trump?\n\n"
        "Putin: If he asks. We are not in a hurry.\n\n"
        "Example Radio: And Kyiv?\n\n"
        "Putin: Ask them.\n"
    )
    result = run(text)
    found = {p.fields["text"]: p for p in result.proposals if p.kind == "statement"}
    assert set(found) == {"If he asks. We are not in a hurry", "Ask them"}
    assert {(p.fields["speaker"], p.fields["said_on"], p.rule) for p in found.values()} == {
        ("vladimir-putin", "2026-01-15", "quote.turn")
    }
    assert sum("interviewer's question" in e.reason for e in result.exclusions) == 2


def test_he_is_never_an_adjective_of_nationality():
    (quote,) = quotes_of('A Brazilian delegation arrived. "We are here to listen," he said.').values() or [None]
    assert quote is None or quote.fields["speaker"] != "brazilian"
    result = run('A Brazilian delegation arrived. "We are here to listen," he said.')
    assert not [p for p in result.proposals if p.kind == "actor"]


def test_a_surname_opening_a_sentence_is_the_full_name_given_before():
    text = 'Karel Vesely, an adviser, spoke first. Vesely added: "Let a neutral party decide."'
    (quote,) = quotes_of(text).values()
    actor = next(p for p in run(text).proposals if p.kind == "actor")
    assert quote.fields["speaker"] == "karel-vesely"
    assert actor.fields == {"slug": "karel-vesely", "name": "Karel Vesely", "kind": "person", "aliases": []}


def test_new_actors_have_no_title_and_a_seat_of_government_is_not_a_person():
    text = '"Nothing is agreed," Chancellor Olaf Brandt said. "It is premature," the Élysée said.'
    actors = {p.fields["name"]: p.fields["kind"] for p in run(text).proposals if p.kind == "actor"}
    assert actors == {"Olaf Brandt": "person", "The Élysée": "organization"}


def test_a_date_inside_the_quote_is_not_when_it_was_said():
    (quote,) = quotes_of('"We cannot wait past June," Putin said on Wednesday.').values()
    assert (quote.fields["said_on"], quote.cues["date_phrase"]) == ("2026-01-14", "on Wednesday")
    (quote,) = quotes_of('"We cannot wait past June," Putin said.').values()
    assert quote.fields["said_on"] is None


def test_no_date_is_carried_across_paragraphs_but_the_paragraph_carries_it():
    text = 'Putin said on Monday that talks would resume. "We are ready," he said.\n\n"We always were," Putin said.\n'
    found = quotes_of(text)
    assert found["We are ready"].fields["said_on"] == "2026-01-12"
    assert found["We always were"].fields["said_on"] is None


@pytest.mark.parametrize(
    ("phrase", "value", "precision"),
    [
        ("The delegations will meet in Geneva on Wednesday.", "2026-01-21", "day"),  # ahead, not the last one
        ("The treaty must be renewed by the end of May.", "2026-05-01", "month"),
        ("The deal is due to be signed by the end of the year.", "2026-12-01", "month"),
    ],
)
def test_future_dates_follow_the_verb(phrase, value, precision):
    (deadline,) = [p for p in run(phrase).proposals if p.kind == "deadline"]
    assert (deadline.fields["due_on"], deadline.fields["date_precision"]) == (value, precision)


def test_since_is_a_span_never_a_point():
    (mention,) = find_dates("since last spring", DAY)
    assert mention.kind == "since"


def test_a_past_deadline_has_a_status_and_a_short_title():
    (deadline,) = run("The ceasefire, which was due to expire on January 2, was extended.").proposals
    assert (deadline.fields["due_on"], deadline.fields["status"]) == ("2026-01-02", "extended")
    assert deadline.fields["title"] == "The ceasefire was due to expire"  # a phrase of its own, not the sentence


def test_a_mention_without_a_date_is_no_event():
    assert [p for p in run("The summit was a failure, and lawyers plan to argue that the arrest was illegal.").proposals
            if p.kind in ("event", "deadline")] == []  # fmt: skip


def test_what_an_actor_wants_is_a_position_draft():
    (position,) = [p for p in run("Putin wants the Donbas and Crimea.").proposals if p.kind == "position"]
    assert (position.fields["actor"], position.fields["stance"]) == ("vladimir-putin", "seeks")
    assert position.fields["summary"] == "wants the Donbas and Crimea"


def test_a_matcher_passed_in_resolves_names_and_unexplained_titles():
    """The seam for the shared name matcher: it is asked about names and about title phrases."""
    asked = []

    def matcher(phrase, on):
        asked.append((phrase, on))
        return ("sergei-lavrov", 95.0) if "foreign minister" in phrase.lower() else None

    text = '"No," the Russian foreign minister said.'
    result = extract(text, published_on=DAY, precision="day", actors=ACTORS, match=matcher)
    (quote,) = [p for p in result.proposals if p.kind == "statement"]
    assert (quote.fields["speaker"], quote.cues["speaker_via"]) == ("sergei-lavrov", "role")
    assert ("the Russian foreign minister", DAY) in asked
