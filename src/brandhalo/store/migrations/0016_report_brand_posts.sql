-- The report's per-brand table of original posts (issue 19; owned by
-- brandhalo.engines.sql_report, which documents it): the controversy load and the persona
-- share of voice sum these per-day rows instead of scanning the per-post tables at report
-- time. The aggregate stage replaces the rows of the days it re-aggregates; Spark writes
-- them whole.
CREATE TABLE IF NOT EXISTS agg_brand_posts (
    day          DATE NOT NULL,
    brand        VARCHAR NOT NULL,
    theme_key    VARCHAR NOT NULL,          -- the post's theme/touchpoint pairs (post_facts)
    label        INTEGER,                   -- the post's label
    persona_only INTEGER NOT NULL,          -- 1: names a persona of the brand, no product
    about        INTEGER NOT NULL,          -- 1: names the brand, a competitor or a persona
    origin       VARCHAR NOT NULL,
    post_type    VARCHAR NOT NULL,
    posts        BIGINT NOT NULL            -- original posts (one per post and brand)
);

-- Stores analyzed before: build it from post_facts, with the SQL of
-- sql_report.report_sql('agg_brand_posts', incremental=False)
-- (tests/engines/test_engines_report_tables.py checks that they agree).
DELETE FROM agg_brand_posts;
INSERT INTO agg_brand_posts (day, brand, theme_key, label, persona_only, about, origin, post_type, posts)
SELECT day, brand, theme_key, label, persona_only, about, origin, post_type,
       COUNT(*) AS posts
FROM (SELECT f.day, f.brand, f.theme_key, f.label,
             CASE WHEN f.l_persona IS NOT NULL AND f.l_product IS NULL THEN 1 ELSE 0 END
               AS persona_only,
             CASE WHEN f.l_brand IS NOT NULL OR f.l_competitor IS NOT NULL
                  OR f.l_persona IS NOT NULL THEN 1 ELSE 0 END AS about,
             f.origin, f.post_type
      FROM post_facts f
      WHERE f.is_repost = FALSE) x
GROUP BY day, brand, theme_key, label, persona_only, about, origin, post_type;
