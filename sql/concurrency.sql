--
-- concurrency: the content column of a listing is fetched several objects
-- at a time (max_concurrency, on the server or the table), rows still in
-- listing order, each with its own body; the window opens gradually, so
-- that LIMIT 1 sends one GET; an error, a cancel or a failed
-- subtransaction with requests in flight leaves nothing behind.
-- test/fakes/fault_server.py (in front of moto, signatures checked) holds
-- every GET under slowget/ for 200 ms and under hangget/ for 60 s, and
-- counts how many wait at once (GET /__peak: "most-at-once all").
--
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE SERVER conc FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', max_concurrency '8');
CREATE USER MAPPING FOR PUBLIC SERVER conc OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FOREIGN TABLE conc_objects (key text, size bigint, content bytea, prefix text)
  SERVER conc OPTIONS (bucket 'regress');
CREATE FOREIGN TABLE conc_text (key text, content text, prefix text)
  SERVER conc OPTIONS (bucket 'regress', max_concurrency '2');
CREATE FOREIGN TABLE conc_serial (key text, content bytea, prefix text)
  SERVER conc OPTIONS (bucket 'regress', max_concurrency '1');

-- the option: 1 to 64, on servers and tables
CREATE SERVER bad_conc FOREIGN DATA WRAPPER s3_fdw OPTIONS (max_concurrency '0');
CREATE SERVER bad_conc FOREIGN DATA WRAPPER s3_fdw OPTIONS (max_concurrency '65');
CREATE SERVER bad_conc FOREIGN DATA WRAPPER s3_fdw OPTIONS (max_concurrency 'many');
ALTER FOREIGN TABLE conc_serial OPTIONS (ADD max_concurrency '2');
ALTER FOREIGN TABLE conc_serial OPTIONS (SET max_concurrency '100');
CREATE USER MAPPING FOR CURRENT_USER SERVER conc OPTIONS (max_concurrency '2');

-- 40 objects of different sizes and bodies
SELECT count(s3_upload('s3', 'regress', format('slowget/%s', lpad(i::text, 3, '0')),
                       convert_to(repeat(chr(64 + i % 26 + 1), i * 100), 'UTF8')))
  FROM generate_series(1, 40) i;

-- every row with its own body, in listing order; at most 8 GETs at once
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT count(*) AS rows,
       bool_and(n = right(key, 3)::int) AS in_order,
       bool_and(content = convert_to(repeat(chr(64 + n::int % 26 + 1), n::int * 100), 'UTF8')) AS bodies_right,
       bool_and(length(content) = size) AS sizes_right
  FROM (SELECT row_number() OVER () AS n, key, size, content
          FROM conc_objects WHERE prefix = 'slowget/') t;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"

-- the table's option wins over the server's: 2, then 1 at a time
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT count(*), sum(length(content)) FROM conc_text WHERE prefix = 'slowget/01';
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT count(*), sum(length(content)) FROM conc_serial WHERE prefix = 'slowget/00';
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"

-- LIMIT 1 sends one GET, not a window of them
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT key, length(content) FROM conc_objects WHERE prefix = 'slowget/' LIMIT 1;
SELECT pg_sleep(0.5);
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"

-- in a join, per outer row (a rescan each time), bodies still right
SELECT v.n, o.key, length(o.content)
  FROM (VALUES (3), (17), (40)) v(n)
  CROSS JOIN LATERAL (SELECT key, content FROM conc_objects
                       WHERE prefix = 'slowget/' || lpad(v.n::text, 3, '0')) o
  ORDER BY v.n;

-- an object deleted after it was listed: its row reports it, naming it
SELECT count(s3_upload('s3', 'regress', k, 'x'::bytea))
  FROM unnest(ARRAY['oddget/001', 'oddget/002', 'oddget/003-gone', 'oddget/004']) k;
SELECT s3_try($$SELECT key, length(content) FROM conc_objects WHERE prefix = 'oddget/'$$);
SELECT count(*) FROM conc_objects WHERE prefix = 'slowget/' AND length(content) > 0;

-- a cursor reads ahead; a FETCH in a subtransaction that fails drops the
-- requests it started, and the cursor goes on, every body right
BEGIN;
DECLARE c CURSOR FOR
  SELECT key, content = convert_to(repeat(chr(64 + right(key, 3)::int % 26 + 1),
                                          right(key, 3)::int * 100), 'UTF8') AS body_right
    FROM conc_objects WHERE prefix = 'slowget/';
FETCH 2 FROM c;
DO $$
DECLARE
  c refcursor := 'c';
  r record;
BEGIN
  BEGIN
    FETCH c INTO r;
    FETCH c INTO r;
    RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
  EXCEPTION WHEN raise_exception THEN
    RAISE NOTICE 'caught, after %', r.key;
  END;
END $$;
FETCH 3 FROM c;
CLOSE c;
COMMIT;

-- a cancel with 8 requests in flight ends the statement within a second
SELECT count(s3_upload('s3', 'regress', format('hangget/%s%s', lpad(i::text, 3, '0'),
                                               CASE WHEN i <= 3 THEN '-quick' ELSE '' END), 'x'::bytea))
  FROM generate_series(1, 12) i;
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
SET statement_timeout = '1s';
SELECT sum(length(content)) FROM conc_objects WHERE prefix = 'hangget/';
RESET statement_timeout;
SELECT clock_timestamp() - t < interval '2.5 s' AS ended_quickly FROM t0;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
-- and the next statement finds a clean state
SELECT count(*), sum(length(content)) FROM conc_objects WHERE prefix = 'slowget/00';

-- EXPLAIN ANALYZE counts the GETs
SELECT * FROM s3_explain_analyze($$SELECT length(content) FROM conc_objects WHERE prefix = 'slowget/00'$$);

-- a listing asks for the next page as soon as the page's continuation
-- token has arrived (S3 sends it before the keys): here each page takes
-- 300 ms to send after its token, and two pages are on their way at once
-- (one page after another: this server does not take start-after, so it
-- cannot list in partitions, and says so)
ALTER FOREIGN TABLE conc_objects OPTIONS (ADD parallel_listing 'false');
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT string_agg(key, ' ' ORDER BY key) FROM conc_objects WHERE prefix = 'slowlist/';
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
ALTER FOREIGN TABLE conc_objects OPTIONS (DROP parallel_listing);
SELECT count(*) FROM conc_objects WHERE prefix = 'slowlist/';
-- but not when max_keys (or a LIMIT) sets the page size, until the first page is done
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT key FROM conc_objects WHERE prefix = 'slowlist/' LIMIT 1;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
