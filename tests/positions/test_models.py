"""A position's name, as the admin's titles, breadcrumbs and history show it."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_long_summary_is_cut_with_an_ellipsis():
    """It was cut at 60 characters with nothing to say the summary went on."""
    actor = factories.make_actor(name="Envoy")
    long = factories.make_position(actor=actor, stance="demands", summary="A ceasefire along the line of contact " * 3)
    name = str(long)
    assert name.startswith("Envoy demands: A ceasefire along the line of contact")
    assert name.endswith("…")
    assert len(name.split(": ", 1)[1]) == 60
    short = factories.make_position(actor=actor, stance="demands", summary="Talks now.")
    assert str(short) == "Envoy demands: Talks now."
