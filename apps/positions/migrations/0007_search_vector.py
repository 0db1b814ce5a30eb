"""Full-text search of positions on PostgreSQL (issue 7, item 4), as statements have (statements/0007).

``search_vector``: the summary (weight A), then the actor's name and aliases and the topic's name (B),
under the ``simple`` configuration. It reads other tables, so triggers keep it current, as for
statements: on the position (insert, or an update of the summary, actor or topic), on the actor
(name or aliases renamed) and on the topic (renamed). ``factsapi_actor_names`` is statements/0007's.
"""

from django.db import migrations

from apps.core.migration_ops import postgresql_sql

FORWARD = r"""
ALTER TABLE positions_position ADD COLUMN search_vector tsvector;

CREATE FUNCTION factsapi_position_search_vector(p_summary text, p_actor bigint, p_topic bigint)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('simple', coalesce(p_summary, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(factsapi_actor_names(p_actor), '') || ' '
            || coalesce((SELECT t.name FROM topics_topic t WHERE t.id = p_topic), '')), 'B')
$$;

CREATE FUNCTION factsapi_position_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := factsapi_position_search_vector(NEW.summary, NEW.actor_id, NEW.topic_id);
    RETURN NEW;
END
$$;

CREATE TRIGGER positions_search_vector
BEFORE INSERT OR UPDATE OF summary, actor_id, topic_id ON positions_position
FOR EACH ROW EXECUTE FUNCTION factsapi_position_search_trigger();

CREATE FUNCTION factsapi_actor_position_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE positions_position
    SET search_vector = factsapi_position_search_vector(summary, actor_id, topic_id)
    WHERE actor_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER actors_position_search_vector
AFTER UPDATE OF name, aliases ON actors_actor
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.aliases IS DISTINCT FROM NEW.aliases)
EXECUTE FUNCTION factsapi_actor_position_search_trigger();

CREATE FUNCTION factsapi_topic_position_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE positions_position
    SET search_vector = factsapi_position_search_vector(summary, actor_id, topic_id)
    WHERE topic_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER topics_position_search_vector
AFTER UPDATE OF name ON topics_topic
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION factsapi_topic_position_search_trigger();

UPDATE positions_position SET search_vector = factsapi_position_search_vector(summary, actor_id, topic_id);

CREATE INDEX positions_search_idx ON positions_position USING gin (search_vector) WITH (fastupdate = off);
"""

BACKWARD = r"""
DROP TRIGGER topics_position_search_vector ON topics_topic;
DROP FUNCTION factsapi_topic_position_search_trigger();
DROP TRIGGER actors_position_search_vector ON actors_actor;
DROP FUNCTION factsapi_actor_position_search_trigger();
DROP TRIGGER positions_search_vector ON positions_position;
DROP FUNCTION factsapi_position_search_trigger();
DROP FUNCTION factsapi_position_search_vector(text, bigint, bigint);
ALTER TABLE positions_position DROP COLUMN search_vector;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0006_evidence"),
        ("statements", "0007_search_vector"),
        ("topics", "0004_bounded_text"),
    ]

    operations = [postgresql_sql(FORWARD, BACKWARD)]
