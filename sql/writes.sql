--
-- writes: INSERT, UPDATE and DELETE through the listing foreign table.
-- INSERT uploads (several rows at once), UPDATE uploads again or copies
-- inside S3, DELETE removes with DeleteObjects, 1,000 keys a request;
-- RETURNING sees the key, the ETag and the size.  S3 is not transactional:
-- a ROLLBACK leaves what was written.  Against moto with signatures
-- checked; boto3 reads what SQL wrote.
--
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE OR REPLACE FUNCTION requests() RETURNS bigint LANGUAGE sql AS
  $$ SELECT requests FROM s3_fdw_connection_stats() $$;
SELECT s3_create_bucket('s3', 'regress-writes');
-- (its listings go one page after another, so that the requests counted
-- below are the same at every run; listing_parallel.sql writes through
-- listings in partitions)
CREATE FOREIGN TABLE w (key text, content bytea, content_type text, size bigint, etag text,
                        last_modified timestamptz, prefix text, delimiter text, is_prefix boolean)
  SERVER s3 OPTIONS (bucket 'regress-writes', parallel_listing 'false');
-- the keep-open group runs this file again against the same store, and a
-- rename never replaces an object (writes_guard.sql): start empty
WITH gone AS (DELETE FROM w RETURNING 1) SELECT count(*) >= 0 AS emptied FROM gone;

-- INSERT uploads; RETURNING gives what S3 answered
INSERT INTO w (key, content) VALUES ('a/one.bin', '\x000102')
  RETURNING key, etag = md5('\x000102'::bytea) AS etag_is_md5, size, content_type, is_prefix;
INSERT INTO w (key, content, content_type) VALUES ('a/two.csv', convert_to('x,y', 'UTF8'), 'text/csv')
  RETURNING key, size, content_type;
\! python3 test/s3tool.py head-meta regress-writes a/two.csv
\! python3 test/s3tool.py sha256 regress-writes a/one.bin
SELECT sha256('\x000102'::bytea);
-- reading content_type reads the object (its GET answers with the type)
SELECT key, size, content_type, content FROM w WHERE prefix = 'a/' ORDER BY key;

-- a multi-row INSERT: the rows go max_concurrency at a time
SELECT requests() AS r0 \gset
INSERT INTO w (key, content) SELECT 'many/' || lpad(i::text, 3, '0'), convert_to('row ' || i, 'UTF8')
  FROM generate_series(1, 40) i;
SELECT requests() - :r0 AS requests;
\! python3 test/s3tool.py count regress-writes many/
SELECT count(*), sum(size) FROM w WHERE prefix = 'many/';
-- 8 uploads in flight at once with max_concurrency 8 (each PUT held 200 ms)
CREATE SERVER faulty_writes FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', max_concurrency '8');
CREATE USER MAPPING FOR PUBLIC SERVER faulty_writes OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FOREIGN TABLE w_slow (key text, content text) SERVER faulty_writes OPTIONS (bucket 'regress');
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
INSERT INTO w_slow SELECT 'slowput/' || i, 'body ' || i FROM generate_series(1, 16) i;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
-- with RETURNING, one row at a time
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
INSERT INTO w_slow SELECT 'slowput/r' || i, 'body ' || i FROM generate_series(1, 3) i RETURNING key;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
-- statement_timeout ends the uploads in flight
SET statement_timeout = '300ms';
INSERT INTO w_slow SELECT 'slowput/t' || i, 'body' FROM generate_series(1, 40) i;
RESET statement_timeout;

-- the plans
EXPLAIN (COSTS OFF) DELETE FROM w WHERE prefix = 'many/';
EXPLAIN (COSTS OFF) UPDATE w SET content = 'x' WHERE key = 'a/one.bin';

-- text content is stored in UTF-8, typed as s3_upload types it
CREATE FOREIGN TABLE w_text (key text, content text, content_type text, size bigint)
  SERVER s3 OPTIONS (bucket 'regress-writes', prefix 'text/');
INSERT INTO w_text (key, content) VALUES ('text/grüße.txt', 'Grüße, 世界') RETURNING key, size, content_type;
SELECT s3_read('s3', 'regress-writes', 'text/grüße.txt') = convert_to('Grüße, 世界', 'UTF8') AS utf8;
SELECT key, content, content_type FROM w_text;

-- UPDATE ... SET content uploads again; the type, cache control and metadata stay
SELECT s3_upload('s3', 'regress-writes', 'u/doc.txt', 'first', 'text/markdown',
                 metadata => '{"owner": "alice"}', cache_control => 'max-age=9') IS NOT NULL AS uploaded;
UPDATE w SET content = convert_to('second version', 'UTF8') WHERE key = 'u/doc.txt'
  RETURNING key, size, etag = md5('second version') AS etag_is_md5, content_type;
SELECT size, content_type, cache_control, metadata FROM s3_head('s3', 'regress-writes', 'u/doc.txt');
\! python3 test/s3tool.py head-meta regress-writes u/doc.txt
-- SET content_type alone: a copy in place, the body and metadata kept
UPDATE w SET content_type = 'text/plain' WHERE key = 'u/doc.txt' RETURNING key, content_type, size;
SELECT size, content_type, cache_control, metadata FROM s3_head('s3', 'regress-writes', 'u/doc.txt');
SELECT s3_read_text('s3', 'regress-writes', 'u/doc.txt');
-- an expression of the old content
UPDATE w SET content = content || '\x21'::bytea WHERE key = 'u/doc.txt' RETURNING convert_from(content, 'UTF8');

-- SET key renames: a copy inside S3, then the old object removed
INSERT INTO w (key, content) SELECT 'ren/' || i, convert_to('r' || i, 'UTF8') FROM generate_series(1, 3) i;
UPDATE w SET key = key || '.bak' WHERE prefix = 'ren/' RETURNING key, size;
SELECT key, convert_from(content, 'UTF8') FROM w WHERE prefix = 'ren/' ORDER BY key;
-- a statement does not see the objects it writes: the second outer row
-- lists ren2/x/, where the first one's renames went, and finds nothing to do
INSERT INTO w (key, content) VALUES ('ren2/1', 'a'), ('ren2/2', 'b');
UPDATE w SET key = 'ren2/x/' || substr(w.key, 6)
  FROM (VALUES (1, 'ren2/'), (2, 'ren2/x/')) v(n, p) WHERE w.prefix = v.p
  RETURNING v.n, w.key;
SELECT key FROM w WHERE prefix = 'ren2/' ORDER BY key;

-- DELETE removes the rows' objects, 1,000 keys a request
SELECT requests() AS r0 \gset
DELETE FROM w WHERE prefix = 'many/' AND key > 'many/030' RETURNING key, size;
SELECT requests() - :r0 AS requests;
\! python3 test/s3tool.py count regress-writes many/
\! python3 test/s3tool.py put-many regress-writes bulk/ 1200
SELECT requests() AS r0 \gset
DELETE FROM w WHERE prefix = 'bulk/';
SELECT requests() - :r0 AS requests;
\! python3 test/s3tool.py count regress-writes bulk/
-- a key that DeleteObjects' XML cannot name is removed alone
INSERT INTO w (key, content) VALUES ('ctl/bell' || chr(7), 'x'), ('ctl/plain', 'y');
DELETE FROM w WHERE prefix = 'ctl/' RETURNING length(key);
\! python3 test/s3tool.py count regress-writes ctl/
-- with a delimiter, the folder rows are not objects: left alone
INSERT INTO w (key, content) VALUES ('d/x', 'x'), ('d/sub/y', 'y');
DELETE FROM w WHERE prefix = 'd/' AND delimiter = '/' RETURNING key, is_prefix;
SELECT key FROM w WHERE prefix = 'd/';

-- S3 is not transactional: a ROLLBACK keeps what was written
BEGIN;
INSERT INTO w (key, content) VALUES ('tx/kept', 'x');
ROLLBACK;
\! python3 test/s3tool.py exists regress-writes tx/kept
BEGIN;
DELETE FROM w WHERE key = 'tx/kept';
ROLLBACK;
\! python3 test/s3tool.py exists regress-writes tx/kept

-- COPY into the table uploads too
COPY w (key, content_type, content) FROM stdin;
copied/1	text/plain	\\x68656c6c6f
copied/2	application/json	\\x7b7d
\.
SELECT key, content_type, content FROM w WHERE prefix = 'copied/' ORDER BY key;

-- a table without a bucket option: each row names its bucket
CREATE FOREIGN TABLE w_any (bucket text, key text, content text) SERVER s3;
SELECT s3_create_bucket('s3', 'regress-copy-w');
WITH gone AS (DELETE FROM w_any WHERE bucket = 'regress-copy-w' RETURNING 1)
SELECT count(*) >= 0 AS emptied FROM gone;
INSERT INTO w_any VALUES ('regress-writes', 'any/1', 'one') RETURNING bucket, key;
SELECT bucket, key, content FROM w_any WHERE bucket = 'regress-writes' AND key = 'any/1';
-- SET bucket moves the object: copied, then removed from the first bucket
UPDATE w_any SET bucket = 'regress-copy-w' WHERE bucket = 'regress-writes' AND key = 'any/1' RETURNING bucket, key;
\! python3 test/s3tool.py exists regress-writes any/1
SELECT bucket, key, content FROM w_any WHERE bucket = 'regress-copy-w' AND key = 'any/1';

-- what cannot be written: clear errors before any request
SELECT requests() AS r0 \gset
SELECT s3_try($$INSERT INTO w (key, content) VALUES (NULL, 'x')$$);
SELECT s3_try($$INSERT INTO w (key, content) VALUES ('k', NULL)$$);
SELECT s3_try($$INSERT INTO w (key, content, size) VALUES ('k', 'x', 1)$$);
SELECT s3_try($$INSERT INTO w (key, content) VALUES ('', 'x')$$);
SELECT s3_try($$INSERT INTO w (key, content, content_type) VALUES ('k', 'x', E'text/plain\r\nX-Evil: 1')$$);
SELECT s3_try($$INSERT INTO w_text (key, content) VALUES ('elsewhere/k', 'x')$$);
SELECT s3_try($$INSERT INTO w_any (bucket, key, content) VALUES (NULL, 'k', 'x')$$);
CREATE FOREIGN TABLE w_bucketcol (bucket text, key text, content text) SERVER s3 OPTIONS (bucket 'regress-writes');
SELECT s3_try($$INSERT INTO w_bucketcol (bucket, key, content) VALUES ('regress', 'k', 'x')$$);
SELECT s3_try($$UPDATE w SET size = 1 WHERE key = 'a/one.bin'$$);
SELECT s3_try($$INSERT INTO w (key, content) VALUES ('k', 'x') ON CONFLICT DO NOTHING$$);
CREATE FOREIGN TABLE w_nokey (size bigint, prefix text) SERVER s3 OPTIONS (bucket 'regress-writes');
SELECT s3_try($$DELETE FROM w_nokey WHERE prefix = 'a/'$$);
CREATE FOREIGN TABLE w_readonly (key text, content text) SERVER s3 OPTIONS (bucket 'regress-writes', updatable 'false');
SELECT s3_try($$INSERT INTO w_readonly VALUES ('k', 'x')$$);
SELECT s3_try($$DELETE FROM w_readonly$$);
SELECT s3_try($$ALTER FOREIGN TABLE w_readonly OPTIONS (SET updatable 'maybe')$$);
SELECT requests() - :r0 AS requests;
-- a NULL the rows give: found once the object is listed
SELECT s3_try($$UPDATE w SET content_type = NULL WHERE key = 'a/one.bin'$$);
-- privileges are PostgreSQL's: SELECT alone does not let a role write
GRANT SELECT ON w TO regress_s3_user;
SET ROLE regress_s3_user;
SELECT s3_try($$INSERT INTO w (key, content) VALUES ('k', 'x')$$);
SELECT s3_try($$DELETE FROM w WHERE key = 'a/one.bin'$$);
RESET ROLE;
-- with INSERT on the table, the role writes (through PUBLIC's mapping) ...
GRANT INSERT ON w TO regress_s3_user;
SET ROLE regress_s3_user;
INSERT INTO w (key, content) VALUES ('granted', 'x') RETURNING key;
RESET ROLE;
-- ... unless s3_upload was taken from it: the table is no way around that
BEGIN;
REVOKE EXECUTE ON FUNCTION s3_upload(text, text, text, bytea, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION s3_remove(text, text, text[]) FROM PUBLIC;
GRANT DELETE ON w TO regress_s3_user;
SET ROLE regress_s3_user;
SELECT s3_try($$INSERT INTO w (key, content) VALUES ('k', 'x')$$);
SELECT s3_try($$DELETE FROM w WHERE key = 'granted'$$);
RESET ROLE;
ROLLBACK;
-- a role whose keys S3 lets only read: S3's refusal, with its code
GRANT INSERT, SELECT ON w TO regress_s3_reader;
SET ROLE regress_s3_reader;
SELECT s3_try($$INSERT INTO w (key, content) VALUES ('denied', 'x')$$);
RESET ROLE;
\! python3 test/s3tool.py exists regress-writes denied
