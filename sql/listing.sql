--
-- listing: objects as a foreign table, with filters pushed down to
-- ListObjectsV2, compared with what boto3 lists for the same parameters.
-- The bucket regress-listing holds 2,501 keys (scripts/test.sh creates it
-- with boto3): photos/{2024,2025,2026}/img NNNN.jpg, docs/café/report-NNN.txt,
-- 日本/ファイル N.txt, a+b/N and top.txt.  Each object's body is its key.
--
CREATE FOREIGN TABLE listing (
  key text, size bigint, last_modified timestamptz, etag text, storage_class text,
  bucket text, prefix text, start_after text, max_keys integer,
  continuation_token text, next_continuation_token text, content text
) SERVER s3 OPTIONS (bucket 'regress-listing');
CREATE FUNCTION requests() RETURNS bigint LANGUAGE sql AS
  $$ SELECT requests FROM s3_fdw_connection_stats() $$;

-- everything: three pages of at most 1000 keys, in S3's order; one after
-- another with parallel_listing 'false', else the first page then the rest
-- in key-range partitions at once (listing_parallel.sql tests them more)
CREATE FOREIGN TABLE listing_seq (key text, size bigint)
  SERVER s3 OPTIONS (bucket 'regress-listing', parallel_listing 'false');
SELECT requests() AS r0 \gset
SELECT count(*), min(key), max(key), sum(size) FROM listing_seq;
SELECT requests() - :r0 AS requests;
SELECT requests() AS r0 \gset
SELECT count(*), min(key), max(key), sum(size) FROM listing;
-- a few partitions for a few pages: they at most double at each split
SELECT requests() - :r0 BETWEEN 3 AND 3 * 3 AS requests_few;
\! python3 test/s3tool.py list regress-listing
SELECT key, size, etag = md5(key) AS etag_ok, storage_class, bucket,
       last_modified > now() - interval '1 hour' AS recent
  FROM listing WHERE key = 'top.txt';
-- filter columns not filtered on are NULL
SELECT prefix, start_after, max_keys, continuation_token, next_continuation_token
  FROM listing WHERE key = 'top.txt';
SELECT bool_and(key > prev) AS in_s3_order FROM (
  SELECT key, lag(key) OVER () AS prev FROM listing) t WHERE prev IS NOT NULL;

-- prefix: the filter column, LIKE, ^@ and starts_with() are sent as prefix=
EXPLAIN (COSTS OFF) SELECT key FROM listing WHERE prefix = 'photos/2025/';
SELECT requests() AS r0 \gset
SELECT count(*), min(key), max(key), min(prefix), max(prefix) FROM listing WHERE prefix = 'photos/2025/';
SELECT requests() - :r0 AS requests;
\! python3 test/s3tool.py list regress-listing photos/2025/
EXPLAIN (COSTS OFF) SELECT key FROM listing WHERE key LIKE 'docs/café/%';
SELECT count(*), min(key), max(key) FROM listing WHERE key LIKE 'docs/café/%';
\! python3 test/s3tool.py list regress-listing docs/café/
SELECT count(*) FROM listing WHERE key LIKE 'docs/café/report-1_0.txt';
EXPLAIN (COSTS OFF) SELECT key FROM listing WHERE key ^@ '日本/';
SELECT count(*), min(key), max(key) FROM listing WHERE key ^@ '日本/';
SELECT count(*), min(key), max(key) FROM listing WHERE starts_with(key, 'a+b/');
\! python3 test/s3tool.py list regress-listing a+b/
-- a table prefix narrows every scan; contradicting prefixes make no request
CREATE FOREIGN TABLE photos (key text, size bigint) SERVER s3
  OPTIONS (bucket 'regress-listing', prefix 'photos/');
SELECT count(*) FROM photos;
EXPLAIN (COSTS OFF) SELECT count(*) FROM photos WHERE key LIKE 'photos/2026/%';
SELECT count(*) FROM photos WHERE key LIKE 'photos/2026/%';
SELECT requests() AS r0 \gset
EXPLAIN (COSTS OFF) SELECT count(*) FROM photos WHERE key LIKE 'docs/%';
SELECT count(*) FROM photos WHERE key LIKE 'docs/%';
SELECT requests() - :r0 AS requests;

-- one key: one request for at most one key
EXPLAIN (COSTS OFF) SELECT * FROM listing WHERE key = 'a+b/7';
SELECT requests() AS r0 \gset
SELECT key, size FROM listing WHERE key = 'a+b/7';
SELECT key FROM listing WHERE key = 'a+b/no-such';
SELECT requests() - :r0 AS requests;

-- start_after (ToolJet's Offset) and key > / >= (under the C collation)
SELECT count(*), min(key), min(start_after) FROM listing WHERE start_after = 'photos/2026/img 1997.jpg';
\! python3 test/s3tool.py list regress-listing '' 'photos/2026/img 1997.jpg'
EXPLAIN (COSTS OFF) SELECT key FROM listing WHERE key > 'docs/café/report-297.txt' COLLATE "C";
SELECT key FROM listing WHERE key > 'docs/café/report-297.txt' COLLATE "C" AND key < 'docs/d' COLLATE "C";
EXPLAIN (COSTS OFF) SELECT key FROM listing WHERE key >= 'docs/café/report-298.txt' COLLATE "C";
SELECT key FROM listing WHERE key >= 'docs/café/report-298.txt' COLLATE "C" AND key < 'docs/d' COLLATE "C";

-- max_keys: exactly one request; every row carries the page's next token
SELECT requests() AS r0 \gset
SELECT key, max_keys, next_continuation_token IS NOT NULL AS has_next
  FROM listing WHERE max_keys = 3 AND prefix = 'docs/café/';
SELECT requests() - :r0 AS requests;
\! python3 test/s3tool.py list regress-listing docs/café/ '' 3
-- continuation_token resumes where a page ended
SELECT next_continuation_token AS token FROM listing
  WHERE max_keys = 3 AND prefix = 'docs/café/' LIMIT 1 \gset
SELECT key, continuation_token = :'token' AS echoed
  FROM listing WHERE max_keys = 3 AND prefix = 'docs/café/' AND continuation_token = :'token';
\setenv TOKEN :token
\! python3 test/s3tool.py list regress-listing docs/café/ '' 3 "$TOKEN"
-- without max_keys, the rest of the listing
SELECT count(*) FROM listing WHERE prefix = 'docs/café/' AND continuation_token = :'token';
-- the last page has no next token
SELECT count(*), count(next_continuation_token) FROM listing WHERE max_keys = 1000 AND prefix = 'docs/';
SELECT max_keys FROM listing WHERE max_keys = 0;
-- max_keys above S3's 1,000: pages of 1,000, the last one asking for what is
-- left, so that its next token resumes right after the N-th key
EXPLAIN (COSTS OFF) SELECT key FROM listing WHERE max_keys = 2300;
SELECT requests() AS r0 \gset
SELECT count(*), min(key), max(key), max(max_keys) FROM listing WHERE max_keys = 2300;
SELECT requests() - :r0 AS requests;
SELECT DISTINCT next_continuation_token IS NOT NULL AS resumable
  FROM (SELECT next_continuation_token, row_number() OVER () AS n FROM listing WHERE max_keys = 2300) t
 WHERE n = 2300;
SELECT next_continuation_token AS token FROM listing WHERE max_keys = 2300 OFFSET 2299 \gset
SELECT count(*), min(key) = (SELECT key FROM listing OFFSET 2300 LIMIT 1) AS resumes_after_2300
  FROM listing WHERE continuation_token = :'token';
SELECT count(*) FROM listing WHERE max_keys = 1001;
SELECT count(*) FROM listing WHERE max_keys = 100000;

-- LIMIT: one request for no more keys than needed
EXPLAIN (COSTS OFF) SELECT key FROM listing LIMIT 3;
SELECT requests() AS r0 \gset
SELECT key FROM listing LIMIT 3;
SELECT key FROM listing WHERE prefix = 'photos/2024/' LIMIT 2 OFFSET 1;
SELECT requests() - :r0 AS requests;
-- not pushed when a local filter may drop rows
EXPLAIN (COSTS OFF) SELECT key FROM listing WHERE size > 30 LIMIT 3;

-- content is fetched only when the query needs it, one GET per row
EXPLAIN (COSTS OFF) SELECT key, content FROM listing WHERE prefix = 'a+b/1';
SELECT requests() AS r0 \gset
SELECT key, content FROM listing WHERE prefix = 'a+b/1' ORDER BY key LIMIT 4;
SELECT requests() - :r0 AS requests;
SELECT requests() AS r0 \gset
SELECT count(*) FROM listing WHERE prefix = 'a+b/';
SELECT requests() - :r0 AS requests;
SELECT * FROM s3_explain_analyze($$SELECT key, content FROM listing WHERE key ^@ 'a+b/2'$$);

-- joins with a local table: a few rows look each key up (a parameterized
-- scan, one request per outer row) ...
CREATE TEMP TABLE wanted (key text, note text);
INSERT INTO wanted VALUES ('a+b/3', 'three'), ('top.txt', 'top'), ('missing', 'none');
ANALYZE wanted;
EXPLAIN (COSTS OFF) SELECT w.note, l.key, l.size FROM wanted w JOIN listing l USING (key);
SELECT requests() AS r0 \gset
SELECT w.note, l.key, l.size FROM wanted w JOIN listing l USING (key) ORDER BY 1;
SELECT requests() - :r0 AS requests;
EXPLAIN (COSTS OFF) SELECT w.note, l.size FROM wanted w LEFT JOIN listing l ON l.key = w.key;
SELECT w.note, l.size FROM wanted w LEFT JOIN listing l ON l.key = w.key ORDER BY 1;
SELECT w.note, l.content FROM wanted w JOIN listing l ON l.key = w.key ORDER BY 1;
-- ... and prefixes from a table list one prefix each
CREATE TEMP TABLE folders (p text);
INSERT INTO folders VALUES ('a+b/1'), ('日本/ファイル 9');
ANALYZE folders;
EXPLAIN (COSTS OFF) SELECT f.p, count(l.key) FROM folders f JOIN listing l ON l.prefix = f.p GROUP BY f.p;
SELECT requests() AS r0 \gset
SELECT f.p, count(l.key), min(l.key), max(l.prefix) FROM folders f JOIN listing l ON l.prefix = f.p GROUP BY f.p ORDER BY 1;
SELECT requests() - :r0 AS requests;
-- ... while many rows make one listing and a hash join cheaper
CREATE TEMP TABLE many AS
  SELECT 'photos/2024/img ' || lpad(i::text, 4, '0') || '.jpg' AS key FROM generate_series(0, 1999) i;
ANALYZE many;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many m JOIN listing l USING (key);
SELECT requests() AS r0 \gset
SELECT count(*) FROM many m JOIN listing l USING (key);
SELECT requests() - :r0 BETWEEN 3 AND 3 * 3 AS requests_few;

-- a view reads with its owner's user mapping, as with postgres_fdw
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE SERVER s3own FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR regress_s3_reader SERVER s3own OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FOREIGN TABLE owned (key text) SERVER s3own OPTIONS (bucket 'regress-listing');
GRANT SELECT ON owned TO regress_s3_reader;
CREATE VIEW owned_view AS SELECT key FROM owned WHERE key ^@ 'a+b/1';
ALTER VIEW owned_view OWNER TO regress_s3_reader;
GRANT SELECT ON owned_view TO regress_s3_user;
GRANT SELECT ON owned TO regress_s3_user;
SET ROLE regress_s3_user;
SELECT count(*) FROM owned_view;
SELECT s3_try('SELECT count(*) FROM owned');
RESET ROLE;
DROP SERVER s3own CASCADE;

-- memory stays flat over a listing: each page is freed before the next
CREATE FUNCTION scan_memory() RETURNS TABLE (rows_seen int, s3_fdw_bytes bigint)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n int := 0;
BEGIN
  FOR r IN SELECT key, size, etag, last_modified FROM listing LOOP
    n := n + 1;
    IF n % 250 = 0 THEN
      rows_seen := n;
      SELECT sum(total_bytes) INTO s3_fdw_bytes
        FROM pg_backend_memory_contexts WHERE name LIKE 's3_fdw%';
      RETURN NEXT;
    END IF;
  END LOOP;
END $$;
ALTER FOREIGN TABLE listing OPTIONS (ADD parallel_listing 'false');
SELECT count(*) AS samples, max(rows_seen) AS rows,
       max(s3_fdw_bytes) <= 2 * min(s3_fdw_bytes) AS flat,
       max(s3_fdw_bytes) < 4 * 1024 * 1024 AS under_4_mb
  FROM scan_memory();
-- ... and bounded in partitions (at most twice max_concurrency pages held):
-- with pages of 10 keys, 250 of them, the second half of the listing holds
-- no more than the first
ALTER FOREIGN TABLE listing OPTIONS (SET parallel_listing 'true', ADD page_size '10');
SELECT count(*) AS samples, max(rows_seen) AS rows,
       max(s3_fdw_bytes) FILTER (WHERE rows_seen > 1250)
         <= 2 * max(s3_fdw_bytes) FILTER (WHERE rows_seen <= 1250) AS no_growth,
       max(s3_fdw_bytes) < 4 * 1024 * 1024 AS under_4_mb
  FROM scan_memory();
ALTER FOREIGN TABLE listing OPTIONS (DROP parallel_listing, DROP page_size);

-- the bucket can come from the query
CREATE FOREIGN TABLE anybucket (bucket text, key text) SERVER s3;
SELECT count(*) FROM anybucket WHERE bucket = 'regress-listing' AND key ^@ 'a+b/';
SELECT count(*) FROM anybucket;

-- bad definitions
CREATE FOREIGN TABLE badcol (key text, colour text) SERVER s3 OPTIONS (bucket 'regress-listing');
SELECT * FROM badcol;
CREATE FOREIGN TABLE badtype (key text, size integer) SERVER s3 OPTIONS (bucket 'regress-listing');
SELECT * FROM badtype;
CREATE FOREIGN TABLE badopt (key text) SERVER s3 OPTIONS (bucket 'Bad_Bucket');
CREATE FOREIGN TABLE badopt (key text) SERVER s3 OPTIONS (bucket 'regress-listing', region 'x');
CREATE FOREIGN TABLE badopt (key text) SERVER s3 OPTIONS (prefix '');

-- IMPORT FOREIGN SCHEMA: one table per bucket
CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA s3 LIMIT TO ("regress-listing", "regress") FROM SERVER s3 INTO imported;
SELECT foreign_table_name FROM information_schema.foreign_tables
  WHERE foreign_table_schema = 'imported' ORDER BY 1;
SELECT count(*) FROM imported."regress-listing" WHERE prefix = 'docs/';
CREATE SCHEMA imported2;
IMPORT FOREIGN SCHEMA s3 EXCEPT ("regress-listing") FROM SERVER s3 INTO imported2;
-- (the buckets of other tests come and go: only these three are looked at)
SELECT foreign_table_name FROM information_schema.foreign_tables
  WHERE foreign_table_schema = 'imported2'
    AND foreign_table_name IN ('regress', 'regress-interop', 'regress-listing') ORDER BY 1;
-- an imported table has no content column unless asked (SELECT * would
-- download every object); import_content 'true' adds it
SELECT attname FROM pg_attribute WHERE attrelid = 'imported."regress-listing"'::regclass AND attnum > 0 ORDER BY attnum;
CREATE SCHEMA imported3;
IMPORT FOREIGN SCHEMA s3 LIMIT TO ("regress-listing") FROM SERVER s3 INTO imported3 OPTIONS (import_content 'true');
SELECT key, length(content) FROM imported3."regress-listing" WHERE prefix = 'docs/' ORDER BY key LIMIT 1;
IMPORT FOREIGN SCHEMA s3 LIMIT TO ("regress") FROM SERVER s3 INTO imported3 OPTIONS (import_content 'false');
SELECT count(*) AS content_columns FROM pg_attribute WHERE attrelid = 'imported3.regress'::regclass AND attname = 'content';
IMPORT FOREIGN SCHEMA s3 FROM SERVER s3 INTO imported3 OPTIONS (import_content 'maybe');
IMPORT FOREIGN SCHEMA s3 FROM SERVER s3 INTO imported3 OPTIONS (import_contents 'true');
DROP SCHEMA imported3 CASCADE;

-- folders: with a delimiter, the objects directly under the prefix and one
-- row per common prefix (is_prefix), in S3's order; boto3's Delimiter agrees
CREATE FOREIGN TABLE tree (key text, size bigint, etag text, last_modified timestamptz,
  is_prefix boolean, prefix text, delimiter text, max_keys integer, content text)
  SERVER s3 OPTIONS (bucket 'regress-listing');
EXPLAIN (COSTS OFF) SELECT key FROM tree WHERE delimiter = '/';
SELECT key, is_prefix, size, etag IS NULL AS no_etag, last_modified IS NULL AS no_date, delimiter
  FROM tree WHERE delimiter = '/';
\! python3 test/s3tool.py folders regress-listing '' /
SELECT key, is_prefix FROM tree WHERE prefix = 'photos/' AND delimiter = '/';
\! python3 test/s3tool.py folders regress-listing photos/ /
-- a folder has no content: no GET for it
SELECT key, is_prefix, content IS NULL AS no_content FROM tree WHERE prefix = 'docs/' AND delimiter = '/';
SELECT key, length(content) FROM tree WHERE delimiter = '/' AND NOT is_prefix;
-- another delimiter; with max_keys, prefixes count toward the page as S3 counts them
SELECT count(*), count(*) FILTER (WHERE is_prefix) AS folders FROM tree WHERE prefix = 'photos/' AND delimiter = ' ';
SELECT key, is_prefix FROM tree WHERE delimiter = '/' AND max_keys = 2;
-- without a delimiter nothing changes: every key, is_prefix false
SELECT count(*), bool_or(is_prefix) FROM tree WHERE prefix = 'docs/';
-- a delimiter from a parameter
PREPARE by_delim(text) AS SELECT count(*) FROM tree WHERE prefix = 'photos/' AND delimiter = $1;
EXECUTE by_delim('/');
DEALLOCATE by_delim;
