--
-- rgw_tags: version 1.2's tags against Ceph's RADOS Gateway, a real S3
-- implementation with object tagging: s3_get_tags and s3_put_tags (RGW
-- takes XML's special characters in tags, which S3 and moto refuse, so
-- their escaping is seen to round-trip), tags on upload, copy and export,
-- the listing table's tags column; cross-checked with boto3.  RGW 16.2's
-- quirks: it keeps no tags that a multipart upload carried (HeadObject
-- counts 0, GetObjectTagging answers 200 without a body, which s3_fdw reads
-- as no tags, as boto3 does), and CopyObject ignores
-- x-amz-tagging-directive (a copy keeps the source's tags).
--
\i test/rgw_env.sql

CREATE SERVER rgw_tags FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'rgw_endpoint', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER rgw_tags OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');
SELECT s3_create_bucket('rgw_tags', 'rgw-tags');

-- a round trip, XML's five special characters and non-ASCII included
SELECT s3_upload('rgw_tags', 'rgw-tags', 'a.txt', 'a') IS NOT NULL AS uploaded;
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'a.txt') AS no_tags;
SELECT s3_put_tags('rgw_tags', 'rgw-tags', 'a.txt', '{"a&b": "<x> & \"y\" ''z''", "café": "Grüße"}');
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'a.txt'), tag_count FROM s3_head('rgw_tags', 'rgw-tags', 'a.txt');
\! python3 test/s3tool.py tags rgw-tags a.txt
-- tags boto3 set; then none
\! python3 test/s3tool.py put-tags rgw-tags a.txt 'k=v' 'é=<&>'
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'a.txt');
SELECT s3_put_tags('rgw_tags', 'rgw-tags', 'a.txt', '{}');
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'a.txt') AS no_tags;
\! python3 test/s3tool.py tags rgw-tags a.txt
SELECT s3_try($$SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'missing.txt')$$);

-- on upload and export (one PUT); a copy keeps them (a new set is ignored:
-- s3_put_tags sets it)
SELECT s3_upload('rgw_tags', 'rgw-tags', 'small.txt', 'small', tags => '{"size": "small", "amp": "a&b"}') IS NOT NULL AS uploaded;
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'small.txt');
SELECT rows FROM s3_export('rgw_tags', 'SELECT 1', 'rgw-tags', 'export.csv', $$format csv, tags '{"from": "export"}'$$);
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'export.csv');
SELECT s3_copy('rgw_tags', 'rgw-tags', 'small.txt', 'rgw-tags', 'small-kept.txt') IS NOT NULL AS copied,
       s3_copy('rgw_tags', 'rgw-tags', 'small.txt', 'rgw-tags', 'small-new.txt', tags => '{"size": "new"}') IS NOT NULL AS copied;
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'small-kept.txt') AS kept, s3_get_tags('rgw_tags', 'rgw-tags', 'small-new.txt') AS not_replaced;
\! python3 test/s3tool.py tags rgw-tags small-new.txt
SELECT s3_put_tags('rgw_tags', 'rgw-tags', 'small-new.txt', '{"size": "new"}');
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'small-new.txt') AS replaced;
-- a multipart upload's tags: RGW keeps none, and says so as boto3 reads it
SELECT s3_upload('rgw_tags', 'rgw-tags', 'big.bin', convert_to(repeat('t', 6 * 1024 * 1024), 'UTF8'),
                 tags => '{"from": "upload"}') IS NOT NULL AS uploaded;
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'big.bin') AS none_kept, tag_count FROM s3_head('rgw_tags', 'rgw-tags', 'big.bin');
\! python3 test/s3tool.py tags rgw-tags big.bin
SELECT s3_upload('rgw_tags', 'rgw-tags', 'lost.bin', convert_to(repeat('l', 6 * 1024 * 1024), 'UTF8'),
                 tags => '{"from": "upload"}') IS NOT NULL AS uploaded;
-- set afterwards, they stay
SELECT s3_put_tags('rgw_tags', 'rgw-tags', 'big.bin', '{"from": "s3_put_tags"}');
SELECT s3_get_tags('rgw_tags', 'rgw-tags', 'big.bin'), tag_count FROM s3_head('rgw_tags', 'rgw-tags', 'big.bin');

-- the listing table's tags column
CREATE FOREIGN TABLE rgw_tagged (key text, tags jsonb) SERVER rgw_tags OPTIONS (bucket 'rgw-tags');
SELECT key, tags FROM rgw_tagged ORDER BY key;
UPDATE rgw_tagged SET tags = tags || '{"listed": "yes"}' WHERE key = 'small.txt' RETURNING key, tags;
\! python3 test/s3tool.py tags rgw-tags small.txt

SELECT count(*) AS not_removed FROM s3_remove('rgw_tags', 'rgw-tags', ARRAY(SELECT key FROM rgw_tagged));
SELECT s3_delete_bucket('rgw_tags', 'rgw-tags');
DROP SERVER rgw_tags CASCADE;
