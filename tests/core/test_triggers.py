"""Every trigger in the database is one of the families ``apps.core.triggers`` declares, with its reason."""

import pytest
from django.db import connection

from apps.core.migration_ops import sqlite_has_trigram_fts
from apps.core.triggers import FAMILIES, database_triggers, family_of

pytestmark = pytest.mark.django_db


def test_every_trigger_is_declared_with_its_reason():
    unexplained = [name for name in database_triggers(connection) if family_of(name) is None]
    assert not unexplained, f"triggers no family in apps.core.triggers explains: {unexplained}"


def test_every_family_has_its_triggers_on_the_databases_it_applies_to():
    found = {family_of(name) for name in database_triggers(connection)}
    for family in FAMILIES:
        if connection.vendor not in family.vendors:
            continue
        if family.name == "trigram indexes" and not sqlite_has_trigram_fts():
            continue
        assert family in found, f"{family.name}: no trigger on {connection.vendor} ({family.written_by})"


def test_a_stray_trigger_is_not_explained():
    assert family_of("statements_statement_audit") is None
    assert family_of("statements_statement_topics_sort_copy").name == "sorted link copies"
