-- s3_fdw demo: every operation, against the local S3 that scripts/demo.sh
-- started (moto, checking every request's SigV4 signature).
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

\echo '== s3_remove'
SELECT s3_remove('s3', 'demo-reports', 'images/pixel.png');
SELECT s3_remove('s3', 'demo-reports', 'images/pixel.png');  -- again: no error, as in S3

\echo '== errors carry a SQLSTATE, S3''s error code and request id'
\set ON_ERROR_STOP off
\set VERBOSITY verbose
SELECT s3_read('s3', 'demo-reports', 'images/pixel.png');
SELECT s3_read('s3', 'Not_A_Bucket', 'k');
\set VERBOSITY default

\echo '== requests made and connections opened by this backend (moto closes every connection; S3 keeps them open and s3_fdw reuses them)'
SELECT * FROM s3_fdw_connection_stats();
