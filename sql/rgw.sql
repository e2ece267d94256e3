--
-- rgw: against Ceph's RADOS Gateway (Debian 12's Ceph 16.2), a real S3
-- implementation that checks every signature, presigned URLs included, and
-- keeps connections open; scripts/test.sh starts it (start_rgw: one monitor,
-- one OSD keeping objects in memory).  Every result is compared with what
-- boto3 or the AWS CLI sees of the same objects.  RGW's quirks: it takes only
-- its zonegroup's name ("default") as a bucket location, its error documents
-- have empty messages, it completes multipart uploads with an empty ETag,
-- and it hands non-ASCII metadata back as RFC 2047 encoded words.
--
\getenv rgw_tls_endpoint S3FDW_RGW_TLS_ENDPOINT
\getenv rgw_vhost_endpoint S3FDW_RGW_VHOST_ENDPOINT
\getenv rgw_ca_file S3FDW_RGW_CA_FILE
-- test/s3tool.py (boto3, the AWS CLI) talks to RGW with its user's keys
\i test/rgw_env.sql
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- path style (the endpoint is an address), multipart above 5 MB in 5 MB parts
CREATE SERVER rgw FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'rgw_endpoint', multipart_threshold '5MB', part_size '5MB');
-- the zonegroup as region: buckets made with LocationConstraint "default"
CREATE SERVER rgw_zonegroup FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'rgw_endpoint', region 'default');
-- an AWS region as the bucket location, which RGW refuses
CREATE SERVER rgw_paris FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'rgw_endpoint', region 'eu-west-3');
-- virtual-host style: BUCKET.localhost, which libcurl resolves to 127.0.0.1 itself
CREATE SERVER rgw_vhost FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'rgw_vhost_endpoint', url_style 'virtual');
-- UNSIGNED-PAYLOAD over plain http
CREATE SERVER rgw_unsigned FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'rgw_endpoint', payload_signing 'unsigned', multipart_threshold '5MB', part_size '5MB');
-- https with the run's certificate authority, and the defaults over TLS:
-- unsigned payloads with a CRC-32C, no MD5 check of the bodies
CREATE SERVER rgw_tls FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'rgw_tls_endpoint', ca_file :'rgw_ca_file', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER rgw OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');
CREATE USER MAPPING FOR PUBLIC SERVER rgw_zonegroup OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');
CREATE USER MAPPING FOR PUBLIC SERVER rgw_paris OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');
CREATE USER MAPPING FOR PUBLIC SERVER rgw_vhost OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');
CREATE USER MAPPING FOR PUBLIC SERVER rgw_unsigned OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');
CREATE USER MAPPING FOR PUBLIC SERVER rgw_tls OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');

-- buckets: in us-east-1 no location is sent, and RGW puts the bucket in its
-- zonegroup; the zonegroup's name is a location RGW takes, an AWS region is not
SELECT s3_create_bucket('rgw', 'rgw-data');
SELECT s3_create_bucket('rgw_zonegroup', 'rgw-zonegroup');
SELECT s3_try($$SELECT s3_create_bucket('rgw_paris', 'rgw-paris')$$);
SELECT s3_create_bucket('rgw', 'rgw-list');
SELECT name, creation_date > now() - interval '10 minutes' AS just_made FROM s3_list_buckets('rgw') ORDER BY name;
\! python3 test/s3tool.py buckets

-- uploads: bytes, text (UTF-8), metadata and headers; the ETags are the MD5s
-- boto3 and the AWS CLI see
SELECT s3_upload('rgw', 'rgw-data', 'bytes.bin', decode(repeat('00ff7f80', 1000), 'hex') || '\x0102'::bytea) AS etag,
       encode(sha256(decode(repeat('00ff7f80', 1000), 'hex') || '\x0102'::bytea), 'hex') AS sha256;
\! python3 test/s3tool.py etag rgw-data bytes.bin + sha256 rgw-data bytes.bin
SELECT s3_upload('rgw', 'rgw-data', 'dir/grüße 1+1=2.txt', 'Grüße, 世界') AS etag,
       md5(convert_to('Grüße, 世界', 'UTF8')) AS md5;
\! python3 test/s3tool.py cli-sha256 rgw-data 'dir/grüße 1+1=2.txt' + head rgw-data 'dir/grüße 1+1=2.txt'
SELECT s3_upload('rgw', 'rgw-data', 'meta.txt', 'with metadata', 'text/markdown',
                 '{"owner": "alice", "note": "Grüße"}', 'max-age=60', 'identity') AS etag;
-- RGW gives non-ASCII metadata back as an RFC 2047 word, which s3_head decodes
-- (and boto3 writes an object with metadata, which s3_head reads the same way)
SELECT size, etag, content_type, content_encoding, cache_control, storage_class, metadata,
       last_modified > now() - interval '10 minutes' AS just_written
  FROM s3_head('rgw', 'rgw-data', 'meta.txt');
\! python3 test/s3tool.py head-meta rgw-data meta.txt + put-meta rgw-data boto3-meta.txt 'from boto3' owner=bob
SELECT size, etag, content_type, content_encoding, cache_control, metadata FROM s3_head('rgw', 'rgw-data', 'boto3-meta.txt');
SELECT * FROM s3_head('rgw', 'rgw-data', 'no/such/key');

-- reads and ranged reads
SELECT s3_read_text('rgw', 'rgw-data', 'dir/grüße 1+1=2.txt');
-- any region signs: eu-west-3's signatures, the zonegroup's
SELECT s3_read_text('rgw_paris', 'rgw-data', 'dir/grüße 1+1=2.txt') AS paris,
       s3_read_text('rgw_zonegroup', 'rgw-data', 'dir/grüße 1+1=2.txt') AS zonegroup;
SELECT s3_read_text('rgw', 'rgw-data', 'boto3-meta.txt', 5, 5);
\! python3 test/s3tool.py range rgw-data boto3-meta.txt bytes=5-9
SELECT encode(s3_read('rgw', 'rgw-data', 'bytes.bin', 3998, 10), 'hex') AS tail;
SELECT octet_length(s3_read('rgw', 'rgw-data', 'bytes.bin')) AS bytes;
-- RGW's errors carry no message: the detail ends with the code
SELECT s3_try($$SELECT s3_read('rgw', 'rgw-data', 'no/such/key')$$);
SELECT s3_try($$SELECT s3_read('rgw', 'rgw-nowhere', 'k')$$);

-- multipart: 12 MB in three 5 MB parts; RGW completes them with an empty ETag,
-- and the ETag s3_upload gives is the object's, as boto3 and the AWS CLI see it
CREATE TEMP TABLE body AS
  SELECT decode(repeat('00ff7f80', 3 * 1024 * 1024), 'hex') || '\x0102'::bytea AS b;
SELECT s3_upload('rgw', 'rgw-data', 'big.bin', b) AS etag, encode(sha256(b), 'hex') AS sha256 FROM body;
\! python3 test/s3tool.py etag rgw-data big.bin + sha256 rgw-data big.bin + uploads rgw-data

-- copies: one CopyObject, with new metadata, and in parts (above the threshold)
SELECT s3_copy('rgw', 'rgw-data', 'meta.txt', 'rgw-data', 'copy/meta.txt') AS etag;
SELECT content_type, cache_control, metadata FROM s3_head('rgw', 'rgw-data', 'copy/meta.txt');
SELECT s3_copy('rgw', 'rgw-data', 'meta.txt', 'rgw-data', 'copy/meta2.txt', '{"copied": "yes"}') AS etag;
SELECT s3_copy('rgw', 'rgw-data', 'big.bin', 'rgw-zonegroup', 'big-copy.bin') AS etag;
\! python3 test/s3tool.py head-meta rgw-data copy/meta2.txt + head rgw-zonegroup big-copy.bin + sha256 rgw-zonegroup big-copy.bin + uploads rgw-zonegroup

-- the listing table over 2,600 keys boto3 wrote (three pages), and a small tree
\! python3 test/s3tool.py put-many rgw-list k/ 2600 + put-many rgw-list d/a/ 2 + put-many rgw-list d/b/ 1 + put-many rgw-list d/top 2
CREATE FOREIGN TABLE rgw_list (key text, size bigint, etag text, storage_class text,
  prefix text, start_after text, max_keys integer, delimiter text, is_prefix boolean,
  continuation_token text, next_continuation_token text)
  SERVER rgw OPTIONS (bucket 'rgw-list');
SELECT count(*), min(key), max(key), sum(size), min(etag), min(storage_class) FROM rgw_list;
SELECT count(*), min(key), max(key) FROM rgw_list WHERE prefix = 'k/';
SELECT key FROM rgw_list WHERE prefix = 'k/' AND start_after = 'k/995';
SELECT key, next_continuation_token IS NOT NULL AS more FROM rgw_list WHERE prefix = 'k/' AND max_keys = 3;
\! python3 test/s3tool.py list rgw-list + count rgw-list k/ + list rgw-list k/ k/995 + list rgw-list k/ '' 3
-- continuation: the token of a page resumes after its last key, as for boto3
SELECT next_continuation_token AS token FROM rgw_list WHERE prefix = 'k/' AND max_keys = 1500 LIMIT 1 \gset
SELECT count(*), min(key), max(key) FROM rgw_list WHERE prefix = 'k/' AND continuation_token = :'token';
-- folders
SELECT key, is_prefix, size FROM rgw_list WHERE prefix = 'd/' AND delimiter = '/';
\setenv TOKEN :token
\! python3 test/s3tool.py list rgw-list k/ '' '' "$TOKEN" + folders rgw-list d/ /
-- LIMIT: one request for three keys
SELECT requests AS r0 FROM s3_fdw_connection_stats() \gset
SELECT key FROM rgw_list WHERE prefix = 'd/' LIMIT 3;
SELECT requests - :r0 AS requests FROM s3_fdw_connection_stats();

-- INSERT, UPDATE and DELETE through a table, 16 requests in flight (the default)
CREATE FOREIGN TABLE rgw_w (key text, content text, content_type text, size bigint, etag text, prefix text)
  SERVER rgw OPTIONS (bucket 'rgw-data', prefix 'w/');
INSERT INTO rgw_w (key, content)
  SELECT 'w/' || lpad(i::text, 3, '0'), repeat(md5(i::text), 1000 + i) FROM generate_series(1, 300) i;
SELECT count(*), sum(size) FROM rgw_w;
-- the content column: 300 bodies, 16 GETs in flight (the default), against boto3's reads
SELECT count(*), sum(length(content)), md5(string_agg(content, '' ORDER BY key COLLATE "C")) FROM rgw_w;
\! python3 test/s3tool.py contents rgw-data w/
INSERT INTO rgw_w (key, content, content_type) VALUES ('w/typed.csv', 'a,b', 'text/csv')
  RETURNING key, size, etag = md5('a,b') AS etag_is_md5, content_type;
\! python3 test/s3tool.py head rgw-data w/typed.csv
UPDATE rgw_w SET content = 'a,b,c' WHERE key = 'w/typed.csv' RETURNING key, size, etag = md5('a,b,c') AS etag_is_md5;
UPDATE rgw_w SET content_type = 'text/plain' WHERE key = 'w/typed.csv' RETURNING key, content_type;
UPDATE rgw_w SET key = 'w/renamed.csv' WHERE key = 'w/typed.csv' RETURNING key, size;
DELETE FROM rgw_w WHERE key >= 'w/201' AND key <= 'w/300';
\! python3 test/s3tool.py head rgw-data w/renamed.csv + exists rgw-data w/typed.csv + count rgw-data w/

-- s3_export and s3_import: csv in several parts, gzip; the bytes are those of
-- COPY TO a local file, as boto3 reads them
CREATE TABLE rgw_rows AS
  SELECT i AS id, 'row ' || i || CASE WHEN i % 3 = 0 THEN ', "quoted"' ELSE '' END AS txt,
         date '2026-01-01' + i % 365 AS day
  FROM generate_series(1, 170000) i;
COPY rgw_rows TO '/tmp/s3fdw_rgw_rows.csv' WITH (format csv, header true);
SELECT * FROM s3_export('rgw', 'SELECT * FROM rgw_rows', 'rgw-data', 'io/rows.csv', 'format csv, header true');
SELECT rows, parts FROM s3_export('rgw', 'SELECT * FROM rgw_rows', 'rgw-data', 'io/rows.csv.gz',
                                  'format csv, header true, compression gzip');
\! python3 test/s3tool.py object rgw-data io/rows.csv + compare rgw-data io/rows.csv /tmp/s3fdw_rgw_rows.csv + object rgw-data io/rows.csv.gz + compare rgw-data io/rows.csv.gz /tmp/s3fdw_rgw_rows.csv gunzip + uploads rgw-data | sed -E '/encoding gzip/s/[0-9]+ bytes/N bytes/'
CREATE TABLE rgw_in (LIKE rgw_rows);
SELECT s3_import('rgw', 'rgw-data', 'io/rows.csv', 'rgw_in', options => 'format csv, header true');
SELECT s3_import('rgw', 'rgw-data', 'io/rows.csv.gz', 'rgw_in', options => 'format csv, header true');
SELECT count(*) FROM (SELECT * FROM rgw_in EXCEPT ALL (SELECT * FROM rgw_rows UNION ALL SELECT * FROM rgw_rows)) d;
-- what boto3 wrote, gzip-compressed with Content-Encoding gzip
\! python3 test/s3tool.py put-file rgw-data io/boto3.csv /tmp/s3fdw_rgw_rows.csv gzip | sed -E 's/[0-9]+ bytes/N bytes/'; rm -f /tmp/s3fdw_rgw_rows.csv
TRUNCATE rgw_in;
SELECT s3_import('rgw', 'rgw-data', 'io/boto3.csv', 'rgw_in', options => 'format csv, header true');
SELECT count(*) FROM (SELECT * FROM rgw_in EXCEPT SELECT * FROM rgw_rows) d;

-- presigned URLs, fetched with curl: RGW checks their signatures
CREATE FUNCTION rgw_url(u text) RETURNS text LANGUAGE sql AS $$
  SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(u,
    ':[0-9]+/', ':<port>/'),
    'X-Amz-Credential=[A-Z0-9]+%2F[0-9]{8}%2F', 'X-Amz-Credential=<key>%2F<date>%2F'),
    'X-Amz-Date=[0-9]{8}T[0-9]{6}Z', 'X-Amz-Date=<now>'),
    'X-Amz-Signature=[0-9a-f]{64}$', 'X-Amz-Signature=<64 hex>') $$;
SELECT s3_presign_get('rgw', 'rgw-data', 'dir/grüße 1+1=2.txt', 300) AS url \gset
SELECT rgw_url(:'url');
\setenv URL :url
\! curl -s "$URL"; echo
-- a signature changed, or a URL past its expiry: refused
\! curl -s -o /dev/null -w '%{http_code}\n' "$(python3 -c 'import sys; u = sys.argv[1]; print(u[:-1] + "01"[u[-1] == "0"])' "$URL")"
SELECT s3_presign_get('rgw', 'rgw-data', 'dir/grüße 1+1=2.txt', 1) AS url \gset
\setenv URL :url
\! sleep 2; curl -s -o /dev/null -w '%{http_code}\n' "$URL"
-- an upload URL with a content type, which the PUT must send
SELECT s3_presign_put('rgw', 'rgw-data', 'presigned/upload.csv', 300, 'text/csv') AS url \gset
\setenv URL :url
\! curl -s -o /dev/null -w '%{http_code}\n' -X PUT -H 'Content-Type: text/plain' --data-binary @test/data/upload.csv "$URL"
\! curl -s -o /dev/null -w '%{http_code}\n' -X PUT -H 'Content-Type: text/csv' --data-binary @test/data/upload.csv "$URL"
\! python3 test/s3tool.py head rgw-data presigned/upload.csv + compare rgw-data presigned/upload.csv test/data/upload.csv

-- virtual-host style: the bucket in the host name (rgw dns name = localhost)
SELECT rgw_url(s3_presign_get('rgw_vhost', 'rgw-data', 'vhost/a.txt', 60)) AS url;
SELECT s3_upload('rgw_vhost', 'rgw-data', 'vhost/a.txt', 'through rgw-data.localhost') AS etag;
SELECT s3_read_text('rgw_vhost', 'rgw-data', 'vhost/a.txt');
SELECT size, etag, content_type FROM s3_head('rgw_vhost', 'rgw-data', 'vhost/a.txt');
CREATE FOREIGN TABLE rgw_vlist (key text, size bigint, prefix text) SERVER rgw_vhost OPTIONS (bucket 'rgw-list');
SELECT count(*), min(key), max(key) FROM rgw_vlist WHERE prefix = 'k/';
SELECT s3_copy('rgw_vhost', 'rgw-data', 'vhost/a.txt', 'rgw-zonegroup', 'vhost-copy.txt') AS etag;
\! python3 test/s3tool.py head rgw-data vhost/a.txt + head rgw-zonegroup vhost-copy.txt
SELECT * FROM s3_remove('rgw_vhost', 'rgw-data', ARRAY['vhost/a.txt']);
\! python3 test/s3tool.py exists rgw-data vhost/a.txt

-- UNSIGNED-PAYLOAD over http: single and multipart uploads
SELECT s3_upload('rgw_unsigned', 'rgw-data', 'unsigned/small.txt', 'not signed') AS etag, md5('not signed');
SELECT s3_upload('rgw_unsigned', 'rgw-data', 'unsigned/big.bin', b) AS etag FROM body;
\! python3 test/s3tool.py head rgw-data unsigned/big.bin + sha256 rgw-data unsigned/big.bin

-- https through beast's ssl_endpoint, with the defaults there (unsigned
-- payloads with a CRC-32C, no MD5 check): RGW 16.2 takes the CRC-32C but keeps none
\setenv S3TOOL_ENDPOINT :rgw_tls_endpoint
\setenv S3TOOL_CA_FILE :rgw_ca_file
SELECT s3_upload('rgw_tls', 'rgw-data', 'tls/small.txt', 'over https') AS etag, md5('over https');
SELECT s3_upload('rgw_tls', 'rgw-data', 'tls/big.bin', b) AS etag FROM body;
\! python3 test/s3tool.py etag rgw-data tls/big.bin + checksum rgw-data tls/small.txt
SELECT sha256(s3_read('rgw_tls', 'rgw-data', 'tls/big.bin')) = sha256(b) AS same_bytes FROM body;
SELECT encode(s3_read('rgw_tls', 'rgw-data', 'tls/big.bin', 12582910, 10), 'hex') AS tail;
SELECT count(*) FROM rgw_list WHERE prefix = 'k/';
SELECT rows, parts FROM s3_export('rgw_tls', 'SELECT * FROM rgw_rows', 'rgw-data', 'tls/rows.csv');
TRUNCATE rgw_in;
SELECT s3_import('rgw_tls', 'rgw-data', 'tls/rows.csv', 'rgw_in');
SELECT count(*) FROM (SELECT * FROM rgw_in EXCEPT SELECT * FROM rgw_rows) d;
\setenv S3TOOL_ENDPOINT :rgw_endpoint
\setenv S3TOOL_CA_FILE ''

-- versioning: a versioned bucket, versions of a key and a delete marker,
-- listed with ListObjectVersions (a table with versions 'true'); an old
-- version read; HEAD of a delete marker's version (no row) and a read of it
-- (RGW answers NoSuchKey, as for a version that does not exist); suspended;
-- then every version removed through the table, and the bucket
SELECT s3_create_bucket('rgw', 'rgw-versions');
SELECT s3_get_bucket_versioning('rgw', 'rgw-versions') IS NULL AS never_versioned;
SELECT s3_put_bucket_versioning('rgw', 'rgw-versions', true);
SELECT s3_get_bucket_versioning('rgw', 'rgw-versions');
\! python3 test/s3tool.py versioning rgw-versions
SELECT s3_upload('rgw', 'rgw-versions', 'k', 'one') = md5('one') AS uploaded;
SELECT s3_upload('rgw', 'rgw-versions', 'k', 'two!') = md5('two!') AS uploaded;
SELECT s3_remove('rgw', 'rgw-versions', 'k');
SELECT s3_upload('rgw', 'rgw-versions', 'l', 'other key') = md5('other key') AS uploaded;
CREATE FOREIGN TABLE rgw_versions (key text, version_id text, is_latest boolean,
  is_delete_marker boolean, size bigint, content text, max_keys integer,
  continuation_token text, next_continuation_token text)
  SERVER rgw OPTIONS (bucket 'rgw-versions', versions 'true');
SELECT key, is_latest, is_delete_marker, size, content, length(version_id) > 0 AS has_id FROM rgw_versions;
\! python3 test/s3tool.py version-counts rgw-versions
\set boto3_versions `python3 test/s3tool.py versions rgw-versions`
SELECT string_agg(key || ' ' || version_id || ' ' || CASE WHEN is_latest THEN 'latest' ELSE 'old' END
                  || ' ' || CASE WHEN is_delete_marker THEN 'marker' ELSE 'version' END, E'\n'
                  ORDER BY key COLLATE "C", version_id COLLATE "C") = :'boto3_versions' AS same_as_boto3
  FROM rgw_versions;
SELECT version_id AS rgw_one FROM rgw_versions WHERE size = 3 \gset
SELECT version_id AS rgw_marker FROM rgw_versions WHERE is_delete_marker \gset
SELECT s3_read_text('rgw', 'rgw-versions', 'k', version_id => :'rgw_one');
SELECT s3_read_text('rgw', 'rgw-versions', 'k', 1, 2, :'rgw_one');
SELECT size, version_id = :'rgw_one' AS its_version FROM s3_head('rgw', 'rgw-versions', 'k', :'rgw_one');
SELECT count(*) AS head_rows FROM s3_head('rgw', 'rgw-versions', 'k', :'rgw_marker');
SELECT count(*) AS head_rows FROM s3_head('rgw', 'rgw-versions', 'k');
SELECT s3_try(format($$SELECT s3_read('rgw', 'rgw-versions', 'k', %L)$$, :'rgw_marker'));
SELECT s3_try($$SELECT s3_read('rgw', 'rgw-versions', 'k', 'no-such-version')$$);
-- pages of one version, each after the last's markers
SELECT key, is_delete_marker, next_continuation_token IS NOT NULL AS more
  FROM rgw_versions WHERE max_keys = 1;
SELECT next_continuation_token AS rgw_tok FROM rgw_versions WHERE max_keys = 1 \gset
SELECT key, size, next_continuation_token IS NOT NULL AS more
  FROM rgw_versions WHERE max_keys = 1 AND continuation_token = :'rgw_tok';
-- the old version copied back as the latest
SELECT s3_copy('rgw', 'rgw-versions', 'k', 'rgw-versions', 'k', src_version_id => :'rgw_one') = md5('one') AS restored;
SELECT s3_read_text('rgw', 'rgw-versions', 'k');
SELECT key, is_latest, is_delete_marker, size FROM rgw_versions WHERE key = 'k';
-- suspended: a new write is the version "null"
SELECT s3_put_bucket_versioning('rgw', 'rgw-versions', false);
SELECT s3_get_bucket_versioning('rgw', 'rgw-versions');
SELECT s3_upload('rgw', 'rgw-versions', 'k', 'suspended') = md5('suspended') AS uploaded;
SELECT key, version_id = 'null' AS null_version, is_latest, size FROM rgw_versions WHERE key = 'k';
-- every version and delete marker removed through the table, then the bucket
DELETE FROM rgw_versions;
SELECT count(*) AS left_over FROM rgw_versions;
\! python3 test/s3tool.py version-counts rgw-versions
SELECT s3_delete_bucket('rgw', 'rgw-versions');

-- RGW keeps connections open: far fewer connections than requests (about 40 for 700 here;
-- moto, which closes them, needs one a request)
SELECT requests > 5 * connections AS reused FROM s3_fdw_connection_stats();

-- bulk remove (DeleteObjects, 1,000 keys a request) and the buckets' deletion
SELECT s3_try($$SELECT s3_delete_bucket('rgw', 'rgw-list')$$);
SELECT * FROM s3_remove('rgw', 'rgw-list', ARRAY(SELECT key FROM rgw_list));
CREATE FOREIGN TABLE rgw_any (bucket text, key text) SERVER rgw;
SELECT b AS bucket, (SELECT count(*) FROM s3_remove('rgw', b, ARRAY(SELECT key FROM rgw_any WHERE bucket = b))) AS not_removed
  FROM unnest(ARRAY['rgw-data', 'rgw-zonegroup']) b;
SELECT bucket, count(*) FROM rgw_any WHERE bucket IN ('rgw-data', 'rgw-zonegroup', 'rgw-list') GROUP BY bucket;
\! python3 test/s3tool.py count rgw-list '' + count rgw-data '' + uploads rgw-data
SELECT s3_delete_bucket('rgw', b) FROM unnest(ARRAY['rgw-data', 'rgw-zonegroup', 'rgw-list']) b;
SELECT name FROM s3_list_buckets('rgw');
\! python3 test/s3tool.py buckets
