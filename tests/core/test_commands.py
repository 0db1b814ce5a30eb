"""Management commands a newcomer runs: seeding."""

import io

import pytest
from django.core.management import call_command

from apps.statements.models import Statement

pytestmark = pytest.mark.django_db


def test_seed_if_empty_loads_once():
    out = io.StringIO()
    call_command("seed", "--if-empty", stdout=out, verbosity=1)
    loaded = Statement.objects.count()
    assert loaded > 0
    assert Statement.history.filter(history_type="+").count() == loaded
    call_command("seed", "--if-empty", stdout=out, verbosity=1)
    assert "already holds data" in out.getvalue()
    assert Statement.objects.count() == loaded
    assert Statement.history.count() == loaded  # nothing re-recorded
