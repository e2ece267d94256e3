--
-- params: conditions on the filter columns and on key whose value is not a
-- constant at planning (a parameter of a prepared statement under a generic
-- plan, of an SQL or PL/pgSQL function, an outer reference of a correlated
-- subquery or LATERAL) are sent to S3 with their value at run time, and the
-- filter column echoes that value: the same rows as the constant query.
-- Also: collations and encodings under which a condition is not pushed.
--
CREATE FOREIGN TABLE objs (
  key text, size bigint, bucket text, prefix text, start_after text, max_keys integer,
  continuation_token text, next_continuation_token text
) SERVER s3 OPTIONS (bucket 'regress-listing');
CREATE OR REPLACE FUNCTION requests() RETURNS bigint LANGUAGE sql AS
  $$ SELECT requests FROM s3_fdw_connection_stats() $$;

SELECT count(*) FROM objs WHERE prefix = 'a+b/';
-- a generic plan of a prepared statement
SET plan_cache_mode = force_generic_plan;
PREPARE p_prefix(text) AS SELECT count(*), min(prefix), max(prefix) FROM objs WHERE prefix = $1;
EXPLAIN (COSTS OFF) EXECUTE p_prefix('a+b/');
SELECT requests() AS r0 \gset
EXECUTE p_prefix('a+b/');
SELECT requests() - :r0 AS requests;
EXECUTE p_prefix('photos/2025/');
EXECUTE p_prefix(NULL);
PREPARE p_max(int) AS SELECT count(*), min(max_keys), count(next_continuation_token) FROM objs WHERE max_keys = $1 AND prefix = 'a+b/';
EXECUTE p_max(7);
EXECUTE p_max(1000);
EXECUTE p_max(0);
PREPARE p_after(text) AS SELECT count(*), min(key), min(start_after) FROM objs WHERE start_after = $1 AND prefix = 'a+b/';
EXECUTE p_after('a+b/90');
PREPARE p_page(text) AS SELECT count(*), min(key) FROM objs WHERE continuation_token = $1 AND prefix = 'photos/';
SELECT next_continuation_token AS tok FROM objs WHERE prefix = 'photos/' AND max_keys = 1000 LIMIT 1 \gset
EXECUTE p_page(:'tok');
PREPARE p_key(text) AS SELECT key, size FROM objs WHERE key = $1;
EXPLAIN (COSTS OFF) EXECUTE p_key('top.txt');
SELECT requests() AS r0 \gset
EXECUTE p_key('top.txt');
SELECT requests() - :r0 AS requests;
PREPARE p_like(text) AS SELECT count(*) FROM objs WHERE key LIKE $1;
EXECUTE p_like('a+b/1%');
PREPARE p_bucket(text) AS SELECT count(*) FROM objs WHERE bucket = $1 AND prefix = 'a+b/';
EXECUTE p_bucket('regress-listing');
EXECUTE p_bucket('No_Such_Bucket');
RESET plan_cache_mode;

-- SQL and PL/pgSQL functions (PL/pgSQL switches to a generic plan after five calls)
CREATE FUNCTION count_under(p text) RETURNS bigint LANGUAGE sql STABLE AS
  $$ SELECT count(*) FROM objs WHERE prefix = p $$;
SELECT count_under('a+b/'), count_under('photos/2026/'), count_under('nothing/');
CREATE FUNCTION count_under_plpgsql(p text) RETURNS bigint LANGUAGE plpgsql AS
  $$ BEGIN RETURN (SELECT count(*) FROM objs WHERE prefix = p); END $$;
SELECT i, count_under_plpgsql('a+b/') FROM generate_series(1, 8) i;

-- correlated subqueries and LATERAL
CREATE TEMP TABLE folders (name text);
INSERT INTO folders VALUES ('a+b/'), ('photos/2024/'), ('docs/café/'), ('none/');
SELECT name, (SELECT count(*) FROM objs o WHERE o.prefix = f.name) AS n FROM folders f ORDER BY name;
SELECT f.name, c.n FROM folders f, LATERAL (SELECT count(*) AS n FROM objs o WHERE o.prefix = f.name) c ORDER BY 1;
SELECT f.name, c.k FROM folders f, LATERAL (SELECT min(key) AS k FROM objs o WHERE o.start_after = f.name AND o.max_keys = 1) c ORDER BY 1;
-- an uncorrelated subquery is a parameter too
SELECT count(*) FROM objs WHERE prefix = (SELECT min(name) FROM folders);

-- key = under a nondeterministic collation is not sent as a lookup: "TOP.TXT"
-- equals "top.txt" there, as in a local table
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
EXPLAIN (COSTS OFF) SELECT key FROM objs WHERE key = 'TOP.TXT' COLLATE ci;
SELECT key FROM objs WHERE key = 'TOP.TXT' COLLATE ci;
SELECT key FROM (VALUES ('top.txt')) t(key) WHERE key = 'TOP.TXT' COLLATE ci;
SELECT key FROM objs WHERE key = 'TOP.TXT';
-- LIKE, ^@ and starts_with() under it are not sent as a prefix either ('T%'
-- is no prefix of "top.txt" there): PostgreSQL checks them, and before 18
-- refuses them, as for a local table
EXPLAIN (COSTS OFF) SELECT key FROM objs WHERE key LIKE 'TOP%' COLLATE ci;
SELECT key FROM objs WHERE key LIKE 'TOP%' COLLATE ci;
SELECT key FROM (VALUES ('top.txt')) t(key) WHERE key LIKE 'TOP%' COLLATE ci;
SELECT key FROM objs WHERE key ^@ ('TOP' COLLATE ci);
SELECT key FROM objs WHERE starts_with(key, 'TOP' COLLATE ci);
SELECT key FROM (VALUES ('top.txt')) t(key) WHERE starts_with(key, 'TOP' COLLATE ci);
DROP COLLATION ci;

-- key > x is sent as start-after under the C collation: given in the query,
-- or declared on the column
CREATE FOREIGN TABLE objs_c (key text COLLATE "C") SERVER s3 OPTIONS (bucket 'regress-listing');
EXPLAIN (COSTS OFF) SELECT key FROM objs_c WHERE key > 'photos/';
EXPLAIN (COSTS OFF) SELECT key FROM objs WHERE key > 'photos/' COLLATE "C";
SELECT count(*) FROM objs_c WHERE key > 'photos/2026/img 1997.jpg';
