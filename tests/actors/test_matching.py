"""The name matcher (apps.actors.matching): names, aliases, surnames, transliteration, roles on a date."""

import datetime

import pytest

from apps.actors.matching import ActorMatcher, bare_name, held_on, match_actor, resolve_speaker
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


def slugs(result):
    return [m.slug for m in result.candidates]


def test_name_with_diacritics_and_case_folded(world):
    for phrase in ("Jean-Luc Melenchon", "JEAN-LUC MÉLENCHON", "jean luc mélenchon"):
        result = match_actor(phrase)
        assert result.best.slug == "jean-luc-melenchon", phrase
        assert result.best.score == 100.0
        assert result.best.via == "name"
        assert "Jean-Luc Mélenchon" in result.best.explanation


def test_cyrillic_transliterated(world):
    result = match_actor("Сергей Лавров")
    assert result.best.slug == "sergey-lavrov"
    assert result.best.via == "name"

    # anyascii writes Зеленский as "Zelenskiy": one of the spellings of the alias "Zelenskyy".
    result = match_actor("Зеленский")
    assert result.best.slug == "volodymyr-zelensky"
    assert result.best.via == "variant"
    assert "Zelenskyy" in result.best.explanation


def test_transliteration_variant_of_a_name(world):
    result = match_actor("Sergei Lavrov")
    assert result.best.slug == "sergey-lavrov"
    assert result.best.via == "variant"
    assert 85 <= result.best.score < 100


def test_surname_alone(world):
    result = match_actor("Lavrov")
    assert result.best.slug == "sergey-lavrov"
    assert result.best.via == "surname"
    assert slugs(result) == ["sergey-lavrov"]


def test_alias_with_its_article(world):
    result = match_actor("the Kremlin")
    assert result.best.slug == "russia"
    assert result.best.via == "alias"


def test_ambiguous_surname_offers_choices_and_guesses_none(world):
    result = match_actor("Johnson")
    assert result.ambiguous
    assert result.best is None
    assert set(slugs(result)) == {"mike-johnson", "boris-johnson"}
    assert {m.score for m in result.candidates} == {88.0}
    assert not any(m.match for m in result.candidates)


def test_role_on_a_date(world):
    result = match_actor("the Russian foreign minister", on=D(2025, 3, 1))
    assert result.best.slug == "sergey-lavrov"
    assert result.best.via == "role"
    assert result.best.role.role.title == "Minister of Foreign Affairs"
    assert "held on 2025-03-01" in result.best.explanation
    # Another date, another holder; Lavrov is not offered before his term.
    result = match_actor("the Russian foreign minister", on=D(2003, 1, 1))
    assert result.best.slug == "igor-ivanov"
    assert slugs(result) == ["igor-ivanov"]


def test_role_by_possessive_country_and_abbreviation(world):
    assert match_actor("Brazil's foreign minister", on=D(2025, 3, 1)).best.slug == "mauro-vieira"
    assert match_actor("the U.S. secretary of state", on=D(2025, 3, 1)).best.slug == "marco-rubio"
    assert match_actor("the U.S. secretary of state", on=D(2023, 3, 1)).best.slug == "antony-blinken"
    # Another country's minister is not Brazil's.
    assert slugs(match_actor("the Russian foreign minister", on=D(2025, 3, 1))) == ["sergey-lavrov"]


def test_role_without_country_is_offered_not_taken(world):
    result = match_actor("the secretary of state", on=D(2023, 3, 1))
    assert slugs(result) == ["antony-blinken"]
    assert result.best is None
    assert "does not say which country" in result.candidates[0].explanation


def test_role_with_imprecise_start_is_a_maybe(world):
    # Macron's term is known to the month (May 2017): 3 May may be before it began.
    result = match_actor("the French president", on=D(2017, 5, 3))
    assert slugs(result) == ["emmanuel-macron"]
    assert result.candidates[0].role.held == "maybe"
    assert result.best is None
    result = match_actor("the French president", on=D(2018, 5, 3))
    assert result.best.slug == "emmanuel-macron"
    assert result.best.role.held == "held"


def test_name_and_role_together(world):
    result = match_actor("Foreign Minister Sergei Lavrov", on=D(2025, 3, 1))
    assert result.best.slug == "sergey-lavrov"
    assert result.best.via == "name_and_role"
    assert result.best.score == 100.0


def test_kinds_keep_only_those_actors(world):
    assert slugs(match_actor("Russia", kinds=["person"])) == []
    assert match_actor("Russia", kinds=["state"]).best.slug == "russia"


def test_unknown_name_has_no_candidates(world):
    result = match_actor("Kaja Kallas")
    assert result.candidates == []
    assert result.best is None
    assert not result.ambiguous


def test_two_queries_however_many_actors(world, django_assert_max_num_queries):
    # 1: the actors (slug, name, kind, country, aliases); 2: the roles. Matching is in memory.
    with django_assert_max_num_queries(2):
        match_actor("the Russian foreign minister", on=D(2025, 3, 1))
    for n in range(40):
        role_holder = factories.make_actor(slug=f"extra-{n}", name=f"Extra Person {n}", aliases=[f"EP{n}"])
        factories.make_role(actor=role_holder, title="Envoy")
    with django_assert_max_num_queries(2):
        matcher = ActorMatcher.load()
    with django_assert_max_num_queries(0):
        assert matcher.match("the Russian foreign minister", on=D(2025, 3, 1)).best.slug == "sergey-lavrov"
        assert matcher.match("Lavrov").best.slug == "sergey-lavrov"


def test_resolve_speaker_for_intake(world):
    matcher = ActorMatcher.load()
    speaker = resolve_speaker("the Brazilian foreign minister", D(2025, 3, 1), matcher)
    assert speaker.actor.slug == "mauro-vieira"
    speaker = resolve_speaker("Johnson", D(2025, 3, 1), matcher)
    assert speaker.actor is None
    assert speaker.ambiguous
    assert {c.slug for c in speaker.candidates} == {"mike-johnson", "boris-johnson"}
    speaker = resolve_speaker("Kaja Kallas", D(2025, 3, 1), matcher)
    assert speaker.actor is None
    assert speaker.candidates == []


@pytest.mark.parametrize(
    ("on", "start", "end", "precision", "expected"),
    [
        (D(2025, 5, 15), D(2025, 1, 1), None, "day", "held"),
        (D(2024, 12, 31), D(2025, 1, 1), None, "day", None),
        (D(2025, 5, 15), None, D(2025, 5, 1), "month", "maybe"),  # ended some day in May
        (D(2025, 5, 1), None, D(2025, 5, 1), "month", "held"),
        (D(2025, 6, 1), None, D(2025, 5, 1), "month", None),
        (D(2025, 7, 1), D(2025, 1, 1), None, "year", "maybe"),  # began some day in 2025
        (D(2026, 1, 1), D(2025, 1, 1), None, "year", "held"),
        (D(2025, 1, 1), None, None, "day", "held"),
    ],
)
def test_held_on_reads_the_terms_precision(on, start, end, precision, expected):
    assert held_on(on, start, end, precision) == expected


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("Estonian Prime Minister Kristen Michal", "Kristen Michal"),
        ("Chancellor Friedrich Merz", "Friedrich Merz"),
        ("Brazil's Foreign Minister Celso Amorim", "Celso Amorim"),
        ("Mr. Jean-Noël Barrot", "Jean-Noël Barrot"),
        ("Kaja Kallas", "Kaja Kallas"),
        ("President", "President"),  # nothing left but the title: kept, not emptied
    ],
)
def test_bare_name_drops_the_title_for_a_new_actor(world, phrase, name):
    assert bare_name(phrase, ActorMatcher.load()) == name


def test_resolve_speaker_names_a_new_actor_without_its_title(world):
    speaker = resolve_speaker("Estonian Foreign Minister Margus Tsahkna", D(2025, 3, 1), ActorMatcher.load())
    assert speaker.actor is None
    assert speaker.candidates == []
    assert speaker.new_name == "Margus Tsahkna"
