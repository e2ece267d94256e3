--
-- bulk: s3_remove(server, bucket, keys text[]) removes many objects with
-- DeleteObjects, 1,000 keys a request (with the Content-MD5 S3 requires),
-- several requests in flight; a row for each key S3 could not remove.
-- Against moto with signatures checked; boto3 counts what is left.
--
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
\! python3 test/s3tool.py put-many regress bulk/ 2500
\! python3 test/s3tool.py count regress bulk/
-- 2,500 keys: three requests; no row means every key is gone
SELECT * FROM s3_remove('s3', 'regress', ARRAY(SELECT 'bulk/' || i FROM generate_series(0, 2499) i));
\! python3 test/s3tool.py count regress bulk/
-- keys that do not exist count as removed, as S3 has it; odd keys survive the XML body
SELECT s3_upload('s3', 'regress', k, 'x') IS NOT NULL FROM unnest(ARRAY['odd/a&b<c>', 'odd/"quoted"', 'odd/tab	here', 'odd/ünïcödé', 'odd/cr' || chr(13) || 'lf']) k;
SELECT count(*) FROM s3_remove('s3', 'regress', ARRAY['odd/a&b<c>', 'odd/"quoted"', 'odd/tab	here', 'odd/ünïcödé', 'odd/cr' || chr(13) || 'lf', 'odd/never-was']);
\! python3 test/s3tool.py count regress odd/
-- what S3 could not remove comes back, one row per key
CREATE SERVER faulty_bulk FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'fault_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER faulty_bulk OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT * FROM s3_remove('faulty_bulk', 'regress-delerr', ARRAY['free/1', 'locked/1', 'free/2', 'locked/ü']);
-- an empty <Message> (Ceph RGW's) is no message
SELECT key, error_code, message IS NULL AS no_message
  FROM s3_remove('faulty_bulk', 'regress-delerr', ARRAY['locked-quiet/1', 'free/3']);
-- an answer about keys that were not sent is refused (08P01), not handed back
-- as rows: 5,000 errors for keys never sent; two errors for a key sent once
SELECT s3_try($$SELECT * FROM s3_remove('faulty_bulk', 'regress-delhostile', ARRAY['free/1', 'free/2'])$$);
SELECT s3_try($$SELECT * FROM s3_remove('faulty_bulk', 'regress-deltwice', ARRAY['free/1', 'free/2'])$$);
-- a <Deleted> for each key sent (an answer not in quiet mode), a key sent twice named twice
SELECT count(*) AS not_removed
  FROM s3_remove('faulty_bulk', 'regress-deldone', ARRAY['free/1', 'free/1', 'free/ü', 'free/a&b', 'free/cr' || chr(13) || 'lf']);
-- no keys (a listing that matched nothing): no rows, and no request
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT count(*) AS not_removed FROM s3_remove('faulty_bulk', 'regress', ARRAY[]::text[]);
SELECT count(*) AS not_removed FROM s3_remove('faulty_bulk', 'regress', ARRAY(SELECT 'bulk/' || i FROM generate_series(1, 0) i));
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress"
-- through the table, the first object not removed is the error, the detail a sentence
SELECT s3_create_bucket('s3', 'regress-delerr');
SELECT count(s3_upload('s3', 'regress-delerr', k, 'x')) FROM unnest(ARRAY['free/4', 'locked-quiet/2', 'locked/3']) k;
CREATE FOREIGN TABLE delerr (key text) SERVER faulty_bulk OPTIONS (bucket 'regress-delerr');
DELETE FROM delerr WHERE key LIKE 'locked-quiet/%';
DELETE FROM delerr;
-- bad input, before any request
SELECT * FROM s3_remove('s3', 'regress', NULL::text[]);
SELECT * FROM s3_remove('s3', 'regress', ARRAY['a', NULL]);
SELECT * FROM s3_remove('s3', 'regress', ARRAY[['a', 'b'], ['c', 'd']]);
SELECT * FROM s3_remove('s3', 'regress', ARRAY['ok', '']);
SELECT * FROM s3_remove('s3', 'regress', ARRAY['ok', 'bell' || chr(7)]);
SELECT * FROM s3_remove('s3', 'regress', ARRAY(SELECT 'k' || i FROM generate_series(1, 1000001) i));
SELECT * FROM s3_remove('s3', 'Bad_Bucket', ARRAY['k']);
-- the one-key form of 1.0 still answers a plain string
SELECT s3_upload('s3', 'regress', 'bulk/one', 'x') IS NOT NULL;
SELECT s3_remove('s3', 'regress', 'bulk/one');
\! python3 test/s3tool.py exists regress bulk/one
