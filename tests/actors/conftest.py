"""Fixtures of the actors' tests."""

import datetime

import pytest

from tests import factories

D = datetime.date


@pytest.fixture
def world():
    """A few states and the people who held their posts, with the terms' real dates."""
    russia = factories.make_actor(
        slug="russia", name="Russia", kind="state", country="RU", aliases=["Russian Federation", "the Kremlin"]
    )
    brazil = factories.make_actor(slug="brazil", name="Brazil", kind="state", country="BR")
    us = factories.make_actor(slug="united-states", name="United States", kind="state", country="US", aliases=["U.S."])
    people = {
        slug: factories.make_actor(slug=slug, name=name, kind="person", country=country, aliases=aliases)
        for slug, name, country, aliases in [
            ("sergey-lavrov", "Sergey Lavrov", "RU", []),
            ("igor-ivanov", "Igor Ivanov", "RU", []),
            ("mauro-vieira", "Mauro Vieira", "BR", []),
            ("marco-rubio", "Marco Rubio", "US", []),
            ("antony-blinken", "Antony Blinken", "US", []),
            ("volodymyr-zelensky", "Volodymyr Zelensky", "UA", ["Zelenskyy"]),
            ("jean-luc-melenchon", "Jean-Luc Mélenchon", "FR", []),
            ("emmanuel-macron", "Emmanuel Macron", "FR", []),
            ("mike-johnson", "Mike Johnson", "US", []),
            ("boris-johnson", "Boris Johnson", "GB", []),
        ]
    }
    for slug, title, org, start, end, precision in [
        ("sergey-lavrov", "Minister of Foreign Affairs", russia, D(2004, 3, 9), None, "day"),
        ("igor-ivanov", "Minister of Foreign Affairs", russia, D(1998, 9, 11), D(2004, 3, 9), "day"),
        ("mauro-vieira", "Foreign Minister", brazil, D(2023, 1, 1), None, "day"),
        ("marco-rubio", "U.S. Secretary of State", us, D(2025, 1, 21), None, "day"),
        ("antony-blinken", "Secretary of State", us, D(2021, 1, 26), D(2025, 1, 20), "day"),
        ("emmanuel-macron", "President", None, D(2017, 5, 1), None, "month"),  # France is no actor here
    ]:
        factories.make_role(
            actor=people[slug], title=title, organization=org, valid_from=start, valid_to=end, date_precision=precision
        )
    return people
