-- The persona share of voice counts a post naming only a product of the brand as a post about
-- the brand (s22; buzz, co-mentions and the posts export count it so): agg_brand_posts'
-- `about` is 1 for a post naming the brand, a competitor, a persona or a product of it.
-- Stores analyzed before hold the old flag: rebuild the table with the SQL of
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
                  OR f.l_persona IS NOT NULL OR f.l_product IS NOT NULL THEN 1 ELSE 0 END
               AS about,
             f.origin, f.post_type
      FROM post_facts f
      WHERE f.is_repost = FALSE) x
GROUP BY day, brand, theme_key, label, persona_only, about, origin, post_type;
