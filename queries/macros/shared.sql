-- Building blocks that several queries share and that are not filters: the spine of months a
-- monthly chart is drawn on, and the consultation topics in the order every page shows them.
-- Created with the scopes in the in-memory catalog (oversight/db.py); like them they read no other
-- macro, and values still arrive as the calling query's $parameters.

-- Every month from first_day's to last_day's, each as its first day (no months when first_day
-- is null: nothing in scope).
create macro memory.main.months_between(first_day, last_day) as table
select unnest(generate_series(
    date_trunc('month', first_day::date), date_trunc('month', last_day::date), interval 1 month
))::date as month;

-- The topics of oversight/schema.py (CONSULTATION_TOPICS), in that order: topic_order 1 to 6
-- (tests/queries/test_queries.py checks the two agree).
create macro memory.main.consultation_topics() as table
select *
from (values
    ('deidentification', 1),
    ('data_processing', 2),
    ('cdm_conversion', 3),
    ('ethics_irb', 4),
    ('security', 5),
    ('other', 6)
) as t(topic, topic_order);
