"""GET /api/v1/actors/match/: the name matcher over HTTP."""

import datetime

import pytest

from tests import factories
from tests.helpers import assert_problem, error_attrs

pytestmark = pytest.mark.django_db

URL = "/api/v1/actors/match/"


def test_role_phrase_on_a_date_full_shape(api, world):
    response = api.get(URL, {"name": "the Russian foreign minister", "on": "2025-03-01"})
    assert response.status_code == 200
    body = response.json()
    role = body["results"][0].pop("role")
    assert body == {
        "name": "the Russian foreign minister",
        "on": "2025-03-01",
        "ambiguous": False,
        "match": "sergey-lavrov",
        "results": [
            {
                "actor": {"slug": "sergey-lavrov", "name": "Sergey Lavrov", "kind": "person"},
                "score": 95.0,
                "match": True,
                "via": "role",
                "explanation": "the role 'Minister of Foreign Affairs' (Russia), 2004-03-09 to now, held on 2025-03-01",
            }
        ],
    }
    assert role.pop("id")
    assert role == {
        "title": "Minister of Foreign Affairs",
        "organization": {"slug": "russia", "name": "Russia", "kind": "state"},
        "valid_from": "2004-03-09",
        "valid_to": None,
        "date_precision": "day",
        "held": "held",
    }


def test_another_date_another_holder(api, world):
    body = api.get(URL, {"name": "the Russian foreign minister", "on": "2003-01-01"}).json()
    assert body["match"] == "igor-ivanov"
    assert [r["actor"]["slug"] for r in body["results"]] == ["igor-ivanov"]


def test_without_a_date_roles_are_read_today(api, world):
    body = api.get(URL, {"name": "Brazil's foreign minister"}).json()
    assert body["on"] == datetime.date.today().isoformat()
    assert body["match"] == "mauro-vieira"


def test_ambiguous_name_is_choices(api, world):
    body = api.get(URL, {"name": "johnson"}).json()
    assert body["ambiguous"] is True
    assert body["match"] is None
    assert {r["actor"]["slug"] for r in body["results"]} == {"mike-johnson", "boris-johnson"}
    assert not any(r["match"] for r in body["results"])


def test_kind_and_limit(api, world):
    assert api.get(URL, {"name": "Russia", "kind": "person"}).json()["results"] == []
    assert api.get(URL, {"name": "Russia", "kind": ["person", "state"]}).json()["match"] == "russia"
    assert len(api.get(URL, {"name": "johnson", "limit": 1}).json()["results"]) == 1


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Lavrov", "on": "01/03/2025"}, "on"),
        ({"name": "Lavrov", "on": "2025-02-30"}, "on"),
        ({"name": "Lavrov", "kind": "planet"}, "kind"),
        ({"name": "Lavrov", "limit": "0"}, "limit"),
        ({"name": "Lavrov", "limit": "21"}, "limit"),
        ({"name": "Lavrov", "limit": "many"}, "limit"),
    ],
)
def test_bad_input_is_a_problem_naming_the_parameter(api, params, attr):
    response = api.get(URL, params)
    assert error_attrs(response) == [attr]
    assert_problem(response, 400)


def test_query_budget_is_flat(api, world, django_assert_max_num_queries):
    # 1: actors; 2: roles. The role's organization is one of the actors already read.
    with django_assert_max_num_queries(2):
        assert api.get(URL, {"name": "the U.S. secretary of state", "on": "2025-03-01"}).json()["match"]
    for n in range(30):
        factories.make_role(actor=factories.make_actor(name=f"Someone Else {n}"), title="Secretary of State")
    with django_assert_max_num_queries(2):
        assert api.get(URL, {"name": "the U.S. secretary of state", "on": "2025-03-01"}).json()["match"]
