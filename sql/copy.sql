--
-- copy: s3_copy copies an object inside S3 (no byte through PostgreSQL):
-- CopyObject, or UploadPartCopy in parts above multipart_threshold; without
-- metadata the copy keeps the source's, with it the metadata is replaced
-- and the content type kept.  Against moto with signatures checked;
-- boto3 reads the copies.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
SELECT s3_upload('s3', 'regress', 'copy/src.txt', 'copy me', 'text/plain',
                 metadata => '{"owner": "alice", "greeting": "Grüße"}', cache_control => 'max-age=5') IS NOT NULL AS uploaded;
-- a plain copy: same bytes, same headers and metadata
SELECT s3_copy('s3', 'regress', 'copy/src.txt', 'regress', 'copy/dst.txt') = md5('copy me') AS etag_is_md5;
SELECT s3_read_text('s3', 'regress', 'copy/dst.txt');
SELECT content_type, cache_control, metadata FROM s3_head('s3', 'regress', 'copy/dst.txt');
-- with metadata: replaced; the content type and cache control stay
SELECT s3_copy('s3', 'regress', 'copy/src.txt', 'regress', 'copy/dst2.txt', '{"owner": "bob", "stage": 2}') IS NOT NULL AS copied;
SELECT content_type, cache_control, metadata FROM s3_head('s3', 'regress', 'copy/dst2.txt');
\! python3 test/s3tool.py head-meta regress copy/dst2.txt
-- across buckets, to and from keys with characters that need escaping
SELECT s3_create_bucket('s3', 'regress-copy');
SELECT s3_copy('s3', 'regress', 'copy/src.txt', 'regress-copy', 'ünï cöde+&=?.txt') IS NOT NULL AS copied;
SELECT s3_copy('s3', 'regress-copy', 'ünï cöde+&=?.txt', 'regress', 'copy/back again.txt') IS NOT NULL AS copied_back;
SELECT s3_read_text('s3', 'regress', 'copy/back again.txt');
\! python3 test/s3tool.py sha256 regress-copy 'ünï cöde+&=?.txt'
-- above multipart_threshold: in parts (UploadPartCopy), the metadata carried over
CREATE SERVER s3_copyparts FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER s3_copyparts OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3', 'regress', 'copy/big.bin', decode(repeat('cd', 6 * 1024 * 1024), 'hex'),
                 metadata => '{"big": "yes"}') IS NOT NULL AS uploaded;
SELECT s3_copy('s3_copyparts', 'regress', 'copy/big.bin', 'regress', 'copy/big-copy.bin') ~ '^[0-9a-f]{32}-2$' AS two_parts;
SELECT sha256(s3_read('s3', 'regress', 'copy/big-copy.bin')) = sha256(decode(repeat('cd', 6 * 1024 * 1024), 'hex')) AS same_bytes;
SELECT size, content_type, metadata FROM s3_head('s3', 'regress', 'copy/big-copy.bin');
SELECT s3_copy('s3_copyparts', 'regress', 'copy/big.bin', 'regress', 'copy/big-meta.bin', '{"big": "replaced"}') ~ '-2$' AS two_parts;
SELECT metadata FROM s3_head('s3', 'regress', 'copy/big-meta.bin');
\! python3 test/s3tool.py uploads regress
-- a missing source, and bad arguments before any request
SELECT s3_try($$SELECT s3_copy('s3', 'regress', 'copy/none', 'regress', 'copy/x')$$);
SELECT s3_copy('s3', 'regress', NULL, 'regress', 'x');
SELECT s3_copy('s3', 'regress', 'copy/src.txt', 'Bad_Bucket', 'x');
SELECT s3_copy('s3', 'regress', 'copy/src.txt', 'regress', '');
SELECT s3_copy('s3', 'regress', 'copy/src.txt', 'regress', 'x', '{"a": [1]}');
