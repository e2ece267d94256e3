--
-- joins: a filter column compared with another table's column gets its
-- value from each outer row (a parameterized scan in a nested loop),
-- whatever join method PostgreSQL would otherwise pick; lists (IN, = ANY)
-- make one request per value; where no plan can give the column a value,
-- the query fails with a hint instead of returning wrong rows.  ANALYZE
-- counts the objects, so that estimates are real.
--
CREATE FOREIGN TABLE jobjs (
  key text, size bigint, prefix text, start_after text, max_keys integer,
  continuation_token text, next_continuation_token text
) SERVER s3 OPTIONS (bucket 'regress-listing');
CREATE OR REPLACE FUNCTION requests() RETURNS bigint LANGUAGE sql AS
  $$ SELECT requests FROM s3_fdw_connection_stats() $$;
CREATE TABLE jfolders (name text);
INSERT INTO jfolders VALUES ('a+b/'), ('docs/café/');
ANALYZE jfolders;

-- the README's join: the right rows under every join method setting
EXPLAIN (COSTS OFF) SELECT f.name, count(*) FROM jfolders f JOIN jobjs p ON p.prefix = f.name GROUP BY f.name;
SELECT requests() AS r0 \gset
SELECT f.name, count(*) FROM jfolders f JOIN jobjs p ON p.prefix = f.name GROUP BY f.name ORDER BY 1;
SELECT requests() - :r0 AS requests;
SET enable_nestloop = off;
SELECT f.name, count(*) FROM jfolders f JOIN jobjs p ON p.prefix = f.name GROUP BY f.name ORDER BY 1;
RESET enable_nestloop;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SELECT f.name, count(*) FROM jfolders f JOIN jobjs p ON p.prefix = f.name GROUP BY f.name ORDER BY 1;
SET enable_nestloop = off;
SELECT f.name, count(*) FROM jfolders f JOIN jobjs p ON p.prefix = f.name GROUP BY f.name ORDER BY 1;
RESET enable_nestloop;
RESET enable_hashjoin;
RESET enable_mergejoin;
-- the other way round, USING-style equivalences, LEFT JOIN, IN (subselect)
SELECT f.name, count(p.key) FROM jobjs p RIGHT JOIN jfolders f ON f.name = p.prefix GROUP BY f.name ORDER BY 1;
SELECT f.name, count(p.key) FROM jfolders f LEFT JOIN jobjs p ON p.prefix = f.name AND p.max_keys = 5 GROUP BY f.name ORDER BY 1;
SELECT count(*) FROM jobjs WHERE prefix IN (SELECT name FROM jfolders);
SELECT count(*) FROM jobjs p WHERE EXISTS (SELECT 1 FROM jfolders f WHERE f.name = p.prefix);
-- start_after and max_keys from the outer row
CREATE TABLE jpages (after text, n int);
INSERT INTO jpages VALUES ('a+b/95', 3), ('top', 10);
SELECT j.after, j.n, min(p.key), count(*) FROM jpages j JOIN jobjs p
  ON p.start_after = j.after AND p.max_keys = j.n GROUP BY 1, 2 ORDER BY 1;

-- lists: one request per distinct value, and each row echoes its value
EXPLAIN (COSTS OFF) SELECT prefix, count(*) FROM jobjs WHERE prefix IN ('a+b/', 'docs/café/', 'a+b/') GROUP BY prefix;
SELECT requests() AS r0 \gset
SELECT prefix, count(*) FROM jobjs WHERE prefix IN ('a+b/', 'docs/café/', 'a+b/') GROUP BY prefix ORDER BY 1;
SELECT requests() - :r0 AS requests;
SELECT count(*) FROM jobjs WHERE prefix = ANY (ARRAY['a+b/', NULL, 'none/']);
SELECT count(*) FROM jobjs WHERE prefix = ANY ('{}'::text[]);
SELECT requests() AS r0 \gset
SELECT key, size FROM jobjs WHERE key IN ('top.txt', 'a+b/7', 'no-such') ORDER BY key;
SELECT requests() - :r0 AS requests;
SELECT max_keys, count(*) FROM jobjs WHERE prefix = 'a+b/' AND max_keys IN (2, 3) GROUP BY 1 ORDER BY 1;
PREPARE jlist(text[]) AS SELECT count(*) FROM jobjs WHERE prefix = ANY ($1);
EXECUTE jlist(ARRAY['a+b/', 'docs/café/']);

-- where no plan can give the column a value: an error that says how
SELECT s3_try($$SELECT count(*) FROM jfolders f FULL JOIN jobjs p ON p.prefix = f.name$$);
SELECT s3_try($$SELECT count(*) FROM jobjs WHERE prefix LIKE 'a%'$$);
SELECT s3_try($$SELECT count(*) FROM jobjs WHERE prefix = 'a+b/' OR prefix = 'top'$$);
SELECT s3_try($$SELECT count(*) FROM jfolders f JOIN jobjs p ON p.prefix LIKE f.name || '%'$$);
-- a filter column that is only shown is NULL, as documented
SELECT key, prefix FROM jobjs WHERE key = 'top.txt';

-- estimates: ANALYZE counts the objects under the table's prefix
SELECT reltuples FROM pg_class WHERE relname = 'jobjs';
ANALYZE jobjs;
SELECT reltuples FROM pg_class WHERE relname = 'jobjs';
SELECT count(*) FROM pg_stats WHERE tablename = 'jobjs' AND attname IN ('key', 'size');
EXPLAIN SELECT key FROM jobjs;
-- two outer rows: a lookup each; many: one listing and a hash join
CREATE TABLE jwanted (k text);
INSERT INTO jwanted VALUES ('top.txt'), ('a+b/7');
ANALYZE jwanted;
EXPLAIN (COSTS OFF) SELECT w.k, p.size FROM jwanted w JOIN jobjs p ON p.key = w.k;
SELECT requests() AS r0 \gset
SELECT w.k, p.size FROM jwanted w JOIN jobjs p ON p.key = w.k ORDER BY 1;
SELECT requests() - :r0 AS requests;
INSERT INTO jwanted SELECT 'photos/2024/img ' || lpad(i::text, 4, '0') || '.jpg' FROM generate_series(0, 1999, 3) i;
ANALYZE jwanted;
EXPLAIN (COSTS OFF) SELECT w.k, p.size FROM jwanted w JOIN jobjs p ON p.key = w.k;
SELECT count(*) FROM jwanted w JOIN jobjs p ON p.key = w.k;
-- a table with a prefix counts only its objects
CREATE FOREIGN TABLE jdocs (key text) SERVER s3 OPTIONS (bucket 'regress-listing', prefix 'docs/');
ANALYZE jdocs;
SELECT reltuples FROM pg_class WHERE relname = 'jdocs';
DROP TABLE jfolders, jpages, jwanted;
DROP FOREIGN TABLE jobjs, jdocs;
