"""``factsapi_word_pairs``: the adjacent word pairs of a full-text vector, for phrase search on PostgreSQL.

PostgreSQL's GIN index of a ``tsvector`` holds no word positions, so ``"ceasefire veto"`` found every
row holding both words (52,540 of a million statements) and read each to test that they are adjacent
(2,726 are). An index of each row's pairs (``"ceasefire veto"`` is the pair ``ceasefire veto``) finds
the rows holding the phrase's pairs first (``apps.core.query.search``; the fact types' ``…_phrase_index``
migrations keep each row's pairs in a ``search_pairs`` column: computed per row, in an index's
recheck, the pairs cost 34 µs a row, more than the test they spare). Pairs are taken from the vector itself, so they are the lexemes, in the positions, that
the phrase operator ``<->`` of ``websearch_to_tsquery`` tests: every row matching a phrase holds all of
its pairs. Pairs longer than 2,000 bytes (two very long words) are left out, as they would not fit an
index entry; a phrase's own pairs are computed by the same function, so it asks for none of those.
"""

from django.db import migrations

from apps.core.migration_ops import postgresql_sql

FORWARD = r"""
CREATE FUNCTION factsapi_word_pairs(vector tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT first.lexeme || ' ' || second.lexeme), '{}')
    FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS first
    JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS second
        ON second.position = first.position + 1
    WHERE octet_length(first.lexeme) + octet_length(second.lexeme) <= 2000
$$;

-- For a vector kept by triggers (statements, positions): named to run after the vector's own trigger,
-- on every insert and update, so a vector rewritten by any trigger (an actor renamed) is followed.
CREATE FUNCTION factsapi_search_pairs_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.search_vector IS DISTINCT FROM OLD.search_vector THEN
        NEW.search_pairs := factsapi_word_pairs(NEW.search_vector);
    END IF;
    RETURN NEW;
END
$$;
"""

BACKWARD = """
DROP FUNCTION factsapi_search_pairs_trigger();
DROP FUNCTION factsapi_word_pairs(tsvector);
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0002_versions")]

    operations = [postgresql_sql(FORWARD, BACKWARD)]
