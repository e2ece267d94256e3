--
-- encryption: version 1.2's server-side encryption on every write.  SSE-S3
-- (sse 'AES256'), SSE-KMS (sse 'aws:kms', with a key id, an encryption
-- context and the bucket-key flag), from a call's arguments, a foreign
-- table's options or the server's, in that order; s3_copy, s3_export,
-- multipart uploads and INSERT/UPDATE through a table alike.  s3_head
-- reports the encryption, cross-checked with boto3.  SSE-C (the user
-- mapping's sse_customer_key) is refused over http and never shown; moto
-- ignores SSE-C, so rgw_crypt.sql checks it against Ceph's RADOS Gateway.
-- Against moto with signatures checked.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
\getenv ssec_key S3FDW_SSEC_KEY
SELECT s3_create_bucket('s3', 'regress-sse');
\set kms_arn 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'

-- the options, checked by the validator
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (sse 'aes256');
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (sse 'aws:kms', kms_key_id 'has space');
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (encryption_context '["not", "an object"]');
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (encryption_context '{"n": 1}');
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (encryption_context '{broken');
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (bucket_key_enabled 'maybe');
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (storage_class 'standard');
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (checksum_algorithm 'MD5');
CREATE SERVER sse_ok FOREIGN DATA WRAPPER s3_fdw OPTIONS (sse 'AES256', checksum_algorithm 'crc32');
SELECT srvoptions FROM pg_foreign_server WHERE srvname = 'sse_ok';
-- the SSE-C key only in a user mapping: 32 bytes in base64, never echoed
CREATE USER MAPPING FOR PUBLIC SERVER sse_ok OPTIONS (sse_customer_key 'c2hvcnQ=');
CREATE USER MAPPING FOR PUBLIC SERVER sse_ok OPTIONS (sse_customer_key 'secret-not-base64-secret-not-base64-secret!!');
ALTER SERVER sse_ok OPTIONS (ADD sse_customer_key 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=');
DROP SERVER sse_ok;

-- SSE-S3 from the call
SELECT s3_upload('s3', 'regress-sse', 'aes.txt', 'SSE-S3', sse => 'AES256') = md5('SSE-S3') AS md5_etag;
SELECT sse, kms_key_id, bucket_key_enabled, sse_customer_algorithm FROM s3_head('s3', 'regress-sse', 'aes.txt');
\! python3 test/s3tool.py encryption regress-sse aes.txt
SELECT s3_read_text('s3', 'regress-sse', 'aes.txt') AS read_back;
-- SSE-KMS with a key, a context and the bucket key
SELECT s3_upload('s3', 'regress-sse', 'kms.txt', 'SSE-KMS', sse => 'aws:kms', kms_key_id => :'kms_arn',
                 encryption_context => '{"department": "finance", "project": "q4"}',
                 bucket_key_enabled => true) IS NOT NULL AS uploaded;
SELECT sse, kms_key_id, bucket_key_enabled FROM s3_head('s3', 'regress-sse', 'kms.txt');
\! python3 test/s3tool.py encryption regress-sse kms.txt
-- a key alone means SSE-KMS; a key with SSE-S3 is a mistake
SELECT s3_upload('s3', 'regress-sse', 'kms2.txt', 'key only', kms_key_id => 'alias/s3-data') IS NOT NULL AS uploaded;
SELECT sse, kms_key_id FROM s3_head('s3', 'regress-sse', 'kms2.txt');
SELECT s3_try($$SELECT s3_upload('s3', 'regress-sse', 'x', 'x', sse => 'AES256', kms_key_id => 'alias/k')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-sse', 'x', 'x', sse => 'AES256', bucket_key_enabled => true)$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-sse', 'x', 'x', sse => 'aws:KMS')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-sse', 'x', 'x', sse => '')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-sse', 'x', 'x', kms_key_id => E'k\nx')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-sse', 'x', 'x', sse => 'aws:kms', encryption_context => '{}')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-sse', 'x', 'x', sse => 'aws:kms', encryption_context => '{"a": ["b"]}')$$);
SELECT count(*) AS nothing_written FROM s3_head('s3', 'regress-sse', 'x');
-- no encryption asked for: none sent (the bucket's default applies)
SELECT s3_upload('s3', 'regress-sse', 'plain.txt', 'plain') IS NOT NULL AS uploaded;
SELECT sse, kms_key_id FROM s3_head('s3', 'regress-sse', 'plain.txt');

-- the server's options are the defaults; a call's sse takes precedence, whole
CREATE SERVER s3kms FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', sse 'aws:kms', kms_key_id 'alias/server-key',
           encryption_context '{"from": "server"}', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER s3kms OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3kms', 'regress-sse', 'srv.txt', 'server default') IS NOT NULL AS uploaded;
SELECT sse, kms_key_id FROM s3_head('s3', 'regress-sse', 'srv.txt');
SELECT s3_upload('s3kms', 'regress-sse', 'srv-aes.txt', 'call wins', sse => 'AES256') IS NOT NULL AS uploaded;
SELECT sse, kms_key_id FROM s3_head('s3', 'regress-sse', 'srv-aes.txt');
SELECT s3_upload('s3kms', 'regress-sse', 'srv-key.txt', 'call key', kms_key_id => 'alias/call-key') IS NOT NULL AS uploaded;
SELECT sse, kms_key_id FROM s3_head('s3', 'regress-sse', 'srv-key.txt');
-- multipart (6 MB): CreateMultipartUpload carries the encryption
SELECT s3_upload('s3kms', 'regress-sse', 'big.bin', convert_to(repeat('k', 6 * 1024 * 1024), 'UTF8')) LIKE '%-2' AS multipart;
SELECT sse, kms_key_id, size FROM s3_head('s3', 'regress-sse', 'big.bin');

-- s3_copy: the copy is encrypted as asked, or as the server says
SELECT s3_copy('s3', 'regress-sse', 'plain.txt', 'regress-sse', 'plain-copy.txt', sse => 'AES256') IS NOT NULL AS copied;
SELECT sse FROM s3_head('s3', 'regress-sse', 'plain-copy.txt');
SELECT s3_copy('s3kms', 'regress-sse', 'plain.txt', 'regress-sse', 'plain-copy2.txt') IS NOT NULL AS copied;
SELECT sse, kms_key_id FROM s3_head('s3', 'regress-sse', 'plain-copy2.txt');
SELECT s3_read_text('s3', 'regress-sse', 'plain-copy2.txt') AS copy_body;
-- a copy of an SSE-KMS object keeps its key unless asked otherwise (CopyObject alone would
-- give the bucket's default)
SELECT s3_copy('s3', 'regress-sse', 'kms.txt', 'regress-sse', 'kms-copy.txt') IS NOT NULL AS copied;
SELECT sse, kms_key_id = :'kms_arn' AS same_key, bucket_key_enabled FROM s3_head('s3', 'regress-sse', 'kms-copy.txt');
SELECT s3_copy('s3', 'regress-sse', 'kms.txt', 'regress-sse', 'kms-copy-aes.txt', sse => 'AES256') IS NOT NULL AS copied;
SELECT sse, kms_key_id FROM s3_head('s3', 'regress-sse', 'kms-copy-aes.txt');

-- s3_export: sse and kms_key_id among its options, and aws_s3's name kms_key
SELECT rows FROM s3_export('s3', 'SELECT 1', 'regress-sse', 'e1.csv', 'format csv, sse AES256');
SELECT sse FROM s3_head('s3', 'regress-sse', 'e1.csv');
SELECT rows FROM s3_export('s3', 'SELECT 2', 'regress-sse', 'e2.csv',
                           format('format csv, sse ''aws:kms'', kms_key %L', :'kms_arn'));
SELECT sse, kms_key_id = :'kms_arn' AS same_key FROM s3_head('s3', 'regress-sse', 'e2.csv');
SELECT rows FROM s3_export('s3kms', 'SELECT 3', 'regress-sse', 'e3.csv', 'format csv');
SELECT sse, kms_key_id FROM s3_head('s3', 'regress-sse', 'e3.csv');
SELECT s3_try($$SELECT * FROM s3_export('s3', 'SELECT 1', 'regress-sse', 'e4.csv', 'format csv, sse ''none''')$$);
SELECT s3_try($$SELECT * FROM s3_export('s3', 'SELECT 1', 'regress-sse', 'e4.csv', 'format csv, sse AES256, sse AES256')$$);
SELECT s3_try($$SELECT * FROM s3_import('s3', 'regress-sse', 'e1.csv', 'pg_class', NULL, 'format csv, sse AES256')$$);

-- INSERT and UPDATE through a table: the table's options, then the server's
CREATE FOREIGN TABLE sse_t (key text, content text, etag text) SERVER s3kms
  OPTIONS (bucket 'regress-sse', prefix 't/', sse 'AES256');
CREATE FOREIGN TABLE sse_t2 (key text, content text) SERVER s3kms
  OPTIONS (bucket 'regress-sse', prefix 't/');
INSERT INTO sse_t VALUES ('t/a.txt', 'table says AES256'), ('t/b.txt', 'and this one');
INSERT INTO sse_t2 VALUES ('t/c.txt', 'server says aws:kms');
SELECT key, h.sse, h.kms_key_id FROM sse_t2, LATERAL s3_head('s3', 'regress-sse', key) h ORDER BY key;
UPDATE sse_t2 SET content = 'rewritten' WHERE key = 't/a.txt';
UPDATE sse_t SET key = 't/d.txt' WHERE key = 't/b.txt';
SELECT key, content, h.sse, h.kms_key_id FROM sse_t2, LATERAL s3_head('s3', 'regress-sse', key) h ORDER BY key;
ALTER FOREIGN TABLE sse_t OPTIONS (SET sse 'aws:kms', ADD kms_key_id 'alias/table-key', bucket_key_enabled 'on');
INSERT INTO sse_t VALUES ('t/e.txt', 'table key');
SELECT sse, kms_key_id, bucket_key_enabled FROM s3_head('s3', 'regress-sse', 't/e.txt');
ALTER FOREIGN TABLE sse_t OPTIONS (SET sse 'AES256');
CREATE SERVER sse_bad FOREIGN DATA WRAPPER s3_fdw OPTIONS (sse 'AES256', kms_key_id 'alias/k');
SELECT s3_try($$ALTER FOREIGN TABLE sse_t OPTIONS (SET sse 'kms')$$);

-- SSE-C: a user mapping's key goes only over https, and is never shown
CREATE SERVER s3ssec FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3ssec
  OPTIONS (access_key_id :'ak', secret_access_key :'sk',
           sse_customer_key :'ssec_key');
SELECT s3_try($$SELECT s3_upload('s3ssec', 'regress-sse', 'ssec.txt', 'x')$$);
SELECT s3_try($$SELECT s3_read('s3ssec', 'regress-sse', 'aes.txt')$$);
SELECT s3_try($$SELECT * FROM s3_head('s3ssec', 'regress-sse', 'aes.txt')$$);
-- another encryption asked for by the call: the customer key is not used
SELECT s3_upload('s3ssec', 'regress-sse', 'ssec-aes.txt', 'not SSE-C', sse => 'AES256') IS NOT NULL AS uploaded;
SELECT count(*) AS not_written FROM s3_head('s3', 'regress-sse', 'ssec.txt');
DROP SERVER s3ssec CASCADE;

DROP FOREIGN TABLE sse_t, sse_t2;
DROP SERVER s3kms CASCADE;
