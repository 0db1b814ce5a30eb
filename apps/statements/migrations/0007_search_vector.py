"""Full-text search of statements on PostgreSQL (issue 7, item 4); nothing on SQLite (see apps.core.query.search).

``search_vector`` holds, under the language-neutral ``simple`` configuration, the statement's text
(weight A), its speaker's name and aliases (B), and its medium and assessment (C). A generated column
cannot read another table (the speaker's names), so triggers keep it current: one on the statement
(insert, or an update of a searched column or the speaker), and one on the actor that rewrites the
vectors of that actor's statements when its name or aliases change. Triggers rather than the write
path, so every way rows arrive (apps.core.record.services, ``generate_synthetic``'s set-based load, a
restore) keeps it right; the cost is one ``to_tsvector`` per statement write, and on renaming an
actor one rewrite per statement it spoke (a 1,000,000-statement database with 2,000 speakers: ~500).
The column is not a model field: the version tables, serializers and SQLite never see it.
"""

from django.db import migrations

from apps.core.migration_ops import postgresql_sql

FORWARD = r"""
ALTER TABLE statements_statement ADD COLUMN search_vector tsvector;

CREATE FUNCTION factsapi_actor_names(p_actor bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT a.name || ' ' || coalesce(
        (SELECT string_agg(alias, ' ') FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(a.aliases) = 'array' THEN a.aliases ELSE '[]'::jsonb END) AS alias),
        '')
    FROM actors_actor a WHERE a.id = p_actor
$$;

CREATE FUNCTION factsapi_statement_search_vector(p_text text, p_medium text, p_assessment text, p_speaker bigint)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('simple', coalesce(p_text, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(factsapi_actor_names(p_speaker), '')), 'B')
        || setweight(to_tsvector('simple', coalesce(p_medium, '') || ' ' || coalesce(p_assessment, '')), 'C')
$$;

CREATE FUNCTION factsapi_statement_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := factsapi_statement_search_vector(NEW.text, NEW.medium, NEW.assessment, NEW.speaker_id);
    RETURN NEW;
END
$$;

CREATE TRIGGER statements_search_vector
BEFORE INSERT OR UPDATE OF text, medium, assessment, speaker_id ON statements_statement
FOR EACH ROW EXECUTE FUNCTION factsapi_statement_search_trigger();

CREATE FUNCTION factsapi_actor_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements_statement
    SET search_vector = factsapi_statement_search_vector(text, medium, assessment, speaker_id)
    WHERE speaker_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER actors_statement_search_vector
AFTER UPDATE OF name, aliases ON actors_actor
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.aliases IS DISTINCT FROM NEW.aliases)
EXECUTE FUNCTION factsapi_actor_search_trigger();

UPDATE statements_statement
SET search_vector = factsapi_statement_search_vector(text, medium, assessment, speaker_id);

-- fastupdate off: new entries go straight into the index, not a pending list that every search must
-- also scan until VACUUM; with a long pending list the planner (rightly) prefers reading the table.
CREATE INDEX statements_search_idx ON statements_statement USING gin (search_vector) WITH (fastupdate = off);
"""

BACKWARD = r"""
DROP TRIGGER actors_statement_search_vector ON actors_actor;
DROP FUNCTION factsapi_actor_search_trigger();
DROP TRIGGER statements_search_vector ON statements_statement;
DROP FUNCTION factsapi_statement_search_trigger();
DROP FUNCTION factsapi_statement_search_vector(text, text, text, bigint);
DROP FUNCTION factsapi_actor_names(bigint);
ALTER TABLE statements_statement DROP COLUMN search_vector;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0004_bounded_text"),
        ("statements", "0006_history_as_of_idx"),
    ]

    operations = [postgresql_sql(FORWARD, BACKWARD)]
