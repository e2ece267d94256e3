--
-- rgw_crypt: version 1.2's encryption against Ceph's RADOS Gateway over
-- https, which really encrypts: SSE-C with the user mapping's key (RGW
-- refuses a read without the key, or with another), SSE-KMS with RGW's
-- test key store (scripts/lib.sh names its keys), cross-checked with boto3.
--
\getenv rgw_tls_endpoint S3FDW_RGW_TLS_ENDPOINT
\getenv rgw_ca_file S3FDW_RGW_CA_FILE
\getenv rgw_ak S3FDW_RGW_AK
\getenv rgw_sk S3FDW_RGW_SK
\setenv S3TOOL_ENDPOINT :rgw_tls_endpoint
\setenv AWS_CA_BUNDLE :rgw_ca_file
\setenv S3TOOL_AK :rgw_ak
\setenv S3TOOL_SK :rgw_sk
\set ssec_key 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY='
\set other_key 'ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA='

-- one server, three mappings: the roles with a customer key, and PUBLIC without
CREATE SERVER rgw_crypt FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'rgw_tls_endpoint', ca_file :'rgw_ca_file', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER rgw_crypt OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');
CREATE ROLE regress_ssec;
CREATE ROLE regress_ssec_other;
GRANT USAGE ON FOREIGN SERVER rgw_crypt TO regress_ssec, regress_ssec_other;
CREATE USER MAPPING FOR regress_ssec SERVER rgw_crypt
  OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk', sse_customer_key :'ssec_key');
CREATE USER MAPPING FOR regress_ssec_other SERVER rgw_crypt
  OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk', sse_customer_key :'other_key');
SELECT s3_create_bucket('rgw_crypt', 'rgw-crypt');
CREATE FOREIGN TABLE rgw_crypt_t (key text, content text) SERVER rgw_crypt OPTIONS (bucket 'rgw-crypt');
GRANT SELECT ON rgw_crypt_t TO regress_ssec;

-- SSE-C: written with the key, read back with it; the ETag is not the MD5
SET ROLE regress_ssec;
SELECT s3_upload('rgw_crypt', 'rgw-crypt', 'ssec.txt', 'only with the key') IS NOT NULL AS uploaded;
SELECT s3_read_text('rgw_crypt', 'rgw-crypt', 'ssec.txt') AS with_the_key;
SELECT size, sse_customer_algorithm FROM s3_head('rgw_crypt', 'rgw-crypt', 'ssec.txt');
SELECT s3_read_text('rgw_crypt', 'rgw-crypt', 'ssec.txt', 5, 4) AS ranged;
-- multipart (6 MB): each part with the key
SELECT s3_upload('rgw_crypt', 'rgw-crypt', 'ssec.bin', convert_to(repeat('s', 6 * 1024 * 1024), 'UTF8')) IS NOT NULL AS multipart;
SELECT md5(s3_read('rgw_crypt', 'rgw-crypt', 'ssec.bin')) = md5(repeat('s', 6 * 1024 * 1024)) AS same_bytes;
-- a copy of an SSE-C object sends the source's key and the new object's
-- (x-amz-copy-source-server-side-encryption-customer-*): Ceph 16.2 has not
-- implemented that copy (AWS has)
SELECT s3_mask(s3_try($$SELECT s3_copy('rgw_crypt', 'rgw-crypt', 'ssec.txt', 'rgw-crypt', 'ssec-copy.txt')$$));
-- the listing's content column sends the key too
SELECT key, length(content) FROM rgw_crypt_t WHERE key LIKE 'ssec%' ORDER BY key;
RESET ROLE;
\! python3 test/s3tool.py encryption rgw-crypt ssec.txt MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
-- without the key, or with another, RGW refuses: the key never shows
SELECT s3_mask(s3_try($$SELECT s3_read_text('rgw_crypt', 'rgw-crypt', 'ssec.txt')$$));
SET ROLE regress_ssec_other;
SELECT s3_mask(s3_try($$SELECT s3_read_text('rgw_crypt', 'rgw-crypt', 'ssec.txt')$$));
RESET ROLE;
SELECT position(:'ssec_key' IN s3_try($$SELECT s3_read_text('rgw_crypt', 'rgw-crypt', 'ssec.txt')$$)) AS key_in_message;

-- SSE-KMS with the test store's keys, from the call and from the server
SELECT s3_upload('rgw_crypt', 'rgw-crypt', 'kms.txt', 'with a KMS key', sse => 'aws:kms',
                 kms_key_id => 's3fdw-key-1') IS NOT NULL AS uploaded;
SELECT sse, kms_key_id FROM s3_head('rgw_crypt', 'rgw-crypt', 'kms.txt');
SELECT s3_read_text('rgw_crypt', 'rgw-crypt', 'kms.txt') AS read_back;
\! python3 test/s3tool.py encryption rgw-crypt kms.txt
ALTER SERVER rgw_crypt OPTIONS (ADD sse 'aws:kms', ADD kms_key_id 's3fdw-key-2');
SELECT rows FROM s3_export('rgw_crypt', 'SELECT g FROM generate_series(1, 3) g', 'rgw-crypt', 'kms.csv');
SELECT sse, kms_key_id FROM s3_head('rgw_crypt', 'rgw-crypt', 'kms.csv');
SELECT s3_read_text('rgw_crypt', 'rgw-crypt', 'kms.csv') AS exported;
SELECT s3_mask(s3_try($$SELECT s3_upload('rgw_crypt', 'rgw-crypt', 'kms-bad.txt', 'x', kms_key_id => 'no-such-key')$$));
ALTER SERVER rgw_crypt OPTIONS (DROP sse, DROP kms_key_id);
-- SSE-S3 (AES256): Ceph 16.2 takes the header, and neither encrypts nor says so
SELECT s3_mask(s3_try($$SELECT s3_upload('rgw_crypt', 'rgw-crypt', 'aes.txt', 'x', sse => 'AES256')$$));
SELECT sse, s3_read_text('rgw_crypt', 'rgw-crypt', 'aes.txt') AS body FROM s3_head('rgw_crypt', 'rgw-crypt', 'aes.txt');

DROP FOREIGN TABLE rgw_crypt_t;
DROP SERVER rgw_crypt CASCADE;
DROP ROLE regress_ssec, regress_ssec_other;
