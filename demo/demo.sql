-- s3_fdw demo: every operation of versions 1.0 and 1.1, against the local S3
-- that scripts/demo.sh started (moto, checking every request's SigV4
-- signature).  scripts/demo.sh runs it with psql -e, so each query is shown
-- before its result, and errors come on the same output.
\set ON_ERROR_STOP on
\pset footer off
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK

\echo '== CREATE EXTENSION, a server and the caller''s keys'
CREATE EXTENSION s3_fdw;
CREATE SERVER s3 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', region 'us-east-1');
CREATE USER MAPPING FOR CURRENT_USER SERVER s3 OPTIONS (access_key_id :'ak', secret_access_key :'sk');

\echo '== s3_create_bucket'
SELECT s3_create_bucket('s3', 'demo-reports');
SELECT s3_create_bucket('s3', 'demo-archive');

\echo '== s3_list_buckets'
SELECT name, creation_date > now() - interval '1 minute' AS created_just_now
  FROM s3_list_buckets('s3') ORDER BY name;

\echo '== s3_upload: text (stored as UTF-8) and bytea; returns the ETag'
SELECT s3_upload('s3', 'demo-reports', 'daily/2026-11-25.csv',
                 'region,sales' || chr(10) || 'eu,1200' || chr(10) || 'us,3400' || chr(10),
                 'text/csv') AS etag;
SELECT s3_upload('s3', 'demo-reports', 'images/pixel.png',
                 decode('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
                 'image/png') AS etag;
SELECT s3_upload('s3', 'demo-reports', 'notes/über café.txt', 'Grüße aus Köln ☕') AS etag;

\echo '== s3_read_text and s3_read'
SELECT s3_read_text('s3', 'demo-reports', 'daily/2026-11-25.csv');
SELECT s3_read_text('s3', 'demo-reports', 'notes/über café.txt');
SELECT length(b) AS bytes, encode(substr(b, 1, 8), 'hex') AS png_signature
  FROM s3_read('s3', 'demo-reports', 'images/pixel.png') b;

\echo '== joining object contents with relational data'
CREATE TEMP TABLE regions (code text PRIMARY KEY, manager text);
INSERT INTO regions VALUES ('eu', 'Ana'), ('us', 'Bob');
SELECT r.manager, split_part(line, ',', 2)::int AS sales
  FROM regexp_split_to_table(s3_read_text('s3', 'demo-reports', 'daily/2026-11-25.csv'), E'\n') line
  JOIN regions r ON r.code = split_part(line, ',', 1)
 ORDER BY sales DESC;

\echo '== a trigger that archives every new row to S3'
CREATE TEMP TABLE invoices (id int PRIMARY KEY, total numeric);
CREATE FUNCTION pg_temp.archive_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM s3_upload('s3', 'demo-archive', format('invoices/%s.json', NEW.id),
                    row_to_json(NEW)::text, 'application/json');
  RETURN NEW;
END $$;
CREATE TRIGGER archive AFTER INSERT ON invoices
  FOR EACH ROW EXECUTE FUNCTION pg_temp.archive_invoice();
INSERT INTO invoices VALUES (1, 99.50), (2, 12.00);
SELECT s3_read_text('s3', 'demo-archive', 'invoices/2.json') AS archived;

\echo '== listing objects through a foreign table (prefix and max-keys pushed down to S3)'
CREATE FOREIGN TABLE reports (key text, size bigint, last_modified timestamptz, etag text,
                              prefix text, max_keys integer, next_continuation_token text)
  SERVER s3 OPTIONS (bucket 'demo-reports');
SELECT key, size, etag FROM reports ORDER BY key;
SELECT key FROM reports WHERE key LIKE 'daily/%';
SELECT key, next_continuation_token IS NOT NULL AS more FROM reports WHERE max_keys = 2;
EXPLAIN (COSTS OFF) SELECT key FROM reports WHERE prefix = 'notes/';

\echo '== s3_presign_get and s3_presign_put: URLs for anyone, no keys needed'
SELECT s3_presign_get('s3', 'demo-reports', 'daily/2026-11-25.csv', 600) AS download_url;
SELECT s3_presign_put('s3', 'demo-reports', 'uploads/from-partner.csv', 3600, 'text/csv') AS upload_url;

\echo '== 1.1: s3_upload with user metadata and headers; s3_head reads them back without the body'
SELECT s3_upload('s3', 'demo-reports', 'daily/2026-11-25.json', '{"eu": 1200, "us": 3400}', 'application/json',
                 metadata => '{"source": "nightly", "owner": "Zoë"}', cache_control => 'max-age=86400') AS etag;
SELECT size, content_type, cache_control, metadata FROM s3_head('s3', 'demo-reports', 'daily/2026-11-25.json');
SELECT count(*) AS rows_for_a_missing_key FROM s3_head('s3', 'demo-reports', 'daily/1999-01-01.json');

\echo '== 1.1: ranged reads (a Range request: the head or tail of an object of any size)'
SELECT s3_read_text('s3', 'demo-reports', 'daily/2026-11-25.csv', 0, 12) AS first_line;
SELECT s3_read_text('s3', 'demo-reports', 'daily/2026-11-25.csv', size - 8, 8) AS last_bytes
  FROM s3_head('s3', 'demo-reports', 'daily/2026-11-25.csv');

\echo '== 1.1: s3_copy, inside S3 (no byte through PostgreSQL), with new metadata'
SELECT s3_copy('s3', 'demo-reports', 'daily/2026-11-25.csv', 'demo-archive', 'reports/2026-11-25.csv',
               metadata => '{"archived": "2026-11-30"}') AS etag;
SELECT metadata FROM s3_head('s3', 'demo-archive', 'reports/2026-11-25.csv');

\echo '== 1.1: writing through the foreign table: INSERT uploads, UPDATE re-uploads or renames, DELETE removes'
CREATE FOREIGN TABLE notes (key text, content text, content_type text, size bigint, etag text, prefix text)
  SERVER s3 OPTIONS (bucket 'demo-reports', prefix 'notes/');
INSERT INTO notes (key, content) VALUES ('notes/todo.txt', 'buy milk'), ('notes/done.txt', 'write demo')
  RETURNING key, size, etag;
UPDATE notes SET content = 'buy oat milk' WHERE key = 'notes/todo.txt' RETURNING key, size, content_type;
UPDATE notes SET key = 'notes/archive/done.txt' WHERE key = 'notes/done.txt' RETURNING key;
SELECT key, content FROM notes ORDER BY key;
DELETE FROM notes WHERE key LIKE 'notes/archive/%' RETURNING key;

\echo '== 1.1: folders: a delimiter listing gives the objects and common prefixes directly under a prefix'
CREATE FOREIGN TABLE tree (key text, size bigint, delimiter text, is_prefix boolean, prefix text)
  SERVER s3 OPTIONS (bucket 'demo-reports');
SELECT key, is_prefix, size FROM tree WHERE delimiter = '/' ORDER BY key;

\echo '== 1.1: s3_export (COPY TO an object, gzip on the fly) and s3_import (COPY FROM it)'
CREATE TEMP TABLE sales (region text, amount numeric);
INSERT INTO sales SELECT (ARRAY['eu', 'us', 'apac'])[1 + i % 3], i FROM generate_series(1, 1000) i;
SELECT * FROM s3_export('s3', 'SELECT region, amount FROM sales ORDER BY amount', 'demo-reports',
                        'exports/sales.csv.gz', 'format csv, header true, compression gzip');
SELECT content_type, content_encoding FROM s3_head('s3', 'demo-reports', 'exports/sales.csv.gz');
CREATE TEMP TABLE sales_back (LIKE sales);
SELECT s3_import('s3', 'demo-reports', 'exports/sales.csv.gz', 'sales_back', options => 'format csv, header true') AS rows_loaded;
SELECT region, count(*), sum(amount) FROM sales_back GROUP BY region ORDER BY region;

\echo '== 1.1: s3_remove of many keys (DeleteObjects): a row for each key S3 could not remove, none here'
SELECT s3_upload('s3', 'demo-reports', format('tmp/%s.txt', i), 'scratch') FROM generate_series(1, 5) i \g /dev/null
SELECT * FROM s3_remove('s3', 'demo-reports', ARRAY(SELECT key FROM tree WHERE prefix = 'tmp/'));
SELECT count(*) AS left_under_tmp FROM tree WHERE prefix = 'tmp/';

\echo '== s3_remove'
SELECT s3_remove('s3', 'demo-reports', 'images/pixel.png');
SELECT s3_remove('s3', 'demo-reports', 'images/pixel.png');  -- again: no error, as in S3

\echo '== errors carry a SQLSTATE, S3''s error code and request id'
\set ON_ERROR_STOP off
\set VERBOSITY verbose
SELECT s3_read('s3', 'demo-reports', 'images/pixel.png');
SELECT s3_read('s3', 'Not_A_Bucket', 'k');
SELECT s3_copy('s3', 'demo-reports', 'no/such/key', 'demo-archive', 'copy');
SELECT s3_read('s3', 'demo-reports', 'daily/2026-11-25.csv', -1, 10);
\set VERBOSITY default
\set ON_ERROR_STOP on

\echo '== requests made and connections opened by this backend (moto closes every connection; S3 keeps them open and s3_fdw reuses them)'
SELECT * FROM s3_fdw_connection_stats();
