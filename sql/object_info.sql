--
-- object_info: version 1.1's functions: s3_head (an object's headers and
-- user metadata, no row when it does not exist), ranged s3_read and
-- s3_read_text, s3_delete_bucket; and ALTER EXTENSION s3_fdw UPDATE from
-- 1.0, which must give what CREATE EXTENSION gives.  Against moto with
-- signatures checked, cross-checked with boto3.
--
SELECT current_database() AS regress_db \gset
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK

-- the update path: 1.0, then ALTER EXTENSION UPDATE, against a fresh 1.1
CREATE DATABASE s3fdw_updated;
CREATE DATABASE s3fdw_fresh;
\c s3fdw_updated
CREATE EXTENSION s3_fdw VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 's3_fdw';
SELECT count(*) AS has_s3_head FROM pg_proc WHERE proname = 's3_head';
-- a DBA took uploads away from PUBLIC and gave them to writers (README's advice)
CREATE ROLE s3fdw_writer;
CREATE ROLE s3fdw_reader;
REVOKE EXECUTE ON FUNCTION s3_upload(text, text, text, bytea, text), s3_upload(text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION s3_upload(text, text, text, bytea, text), s3_upload(text, text, text, text, text) TO s3fdw_writer;
-- functions written BEGIN ATOMIC and a view that call 1.0's s3_upload: they
-- hold it by OID, and the update must keep them working (it used to drop
-- the old functions, and failed with 2BP01)
CREATE FUNCTION keep_bytea(k text) RETURNS text LANGUAGE sql
  BEGIN ATOMIC SELECT s3_upload('s3', 'regress', k, '\x01'::bytea); END;
CREATE FUNCTION keep_text(k text) RETURNS text LANGUAGE sql
  BEGIN ATOMIC SELECT s3_upload('s3', 'regress', k, 'kept'::text, 'text/csv'); END;
CREATE VIEW keep_view AS SELECT s3_upload('s3', 'regress', 'upgrade/view.txt', 'from a view'::text) AS etag;
ALTER EXTENSION s3_fdw UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 's3_fdw';
CREATE SERVER s3 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3 OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT keep_bytea('upgrade/a.bin') = md5('\x01'::bytea) AS bytea_etag,
       keep_text('upgrade/b.csv') = md5('kept') AS text_etag,
       (SELECT etag FROM keep_view) = md5('from a view') AS view_etag;
SELECT content_type, size FROM s3_head('s3', 'regress', 'upgrade/b.csv');
SELECT s3_read_text('s3', 'regress', 'upgrade/view.txt') AS from_view;
-- the stored calls still name the function with the arguments they gave
SELECT regexp_replace(pg_get_functiondef('keep_text(text)'::regprocedure), '\s+', ' ', 'g') AS keep_text;
DROP FUNCTION keep_bytea(text), keep_text(text);
DROP VIEW keep_view;
DROP SERVER s3 CASCADE;
-- the new s3_upload functions keep those privileges, as the DBA's (pg_dump keeps them)
SELECT p.oid::regprocedure AS function,
       has_function_privilege('s3fdw_writer', p.oid, 'EXECUTE') AS writer,
       has_function_privilege('s3fdw_reader', p.oid, 'EXECUTE') AS reader,
       EXISTS (SELECT FROM pg_init_privs i WHERE i.objoid = p.oid) AS initial_privilege
  FROM pg_proc p WHERE proname = 's3_upload' ORDER BY 1::text;
DROP OWNED BY s3fdw_writer;
CREATE VIEW ext_objects AS
  SELECT pg_describe_object(classid, objid, objsubid) AS object,
         coalesce(pg_get_functiondef(CASE WHEN classid = 'pg_proc'::regclass
                                          AND (SELECT prokind FROM pg_proc WHERE oid = objid) = 'f'
                                          THEN objid END), '') AS definition,
         coalesce(obj_description(objid, classid::regclass::text), '') AS comment
    FROM pg_depend
   WHERE refclassid = 'pg_extension'::regclass
     AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 's3_fdw');
SELECT object FROM ext_objects WHERE object LIKE '%bigint%' OR object LIKE '%s3_head%' OR object LIKE '%delete_bucket%' OR object LIKE '%upload%' ORDER BY 1;
SELECT md5(string_agg(object || definition || comment, ';' ORDER BY object)) AS updated FROM ext_objects \gset
\c s3fdw_fresh
CREATE EXTENSION s3_fdw;
SELECT extversion FROM pg_extension WHERE extname = 's3_fdw';
SELECT md5(string_agg(pg_describe_object(classid, objid, objsubid)
                      || coalesce(pg_get_functiondef(CASE WHEN classid = 'pg_proc'::regclass
                                                          AND (SELECT prokind FROM pg_proc WHERE oid = objid) = 'f'
                                                          THEN objid END), '')
                      || coalesce(obj_description(objid, classid::regclass::text), ''),
                      ';' ORDER BY pg_describe_object(classid, objid, objsubid))) = :'updated' AS same_as_updated
  FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 's3_fdw');
-- and a 1.1 from scratch: everyone may upload, as in 1.0
SELECT has_function_privilege('s3fdw_reader', 's3_upload(text, text, text, text, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean)', 'EXECUTE') AS reader;
\c :regress_db
DROP DATABASE s3fdw_updated;
DROP DATABASE s3fdw_fresh;
DROP ROLE s3fdw_writer;
DROP ROLE s3fdw_reader;

-- s3_head: what s3_fdw wrote
SELECT s3_upload('s3', 'regress', 'head/plain.txt', 'hello, head', 'text/plain') IS NOT NULL AS uploaded;
SELECT size, etag = md5('hello, head') AS md5_etag, content_type, content_encoding, cache_control,
       last_modified > now() - interval '1 hour' AS recent, storage_class, version_id, metadata
  FROM s3_head('s3', 'regress', 'head/plain.txt');
-- what boto3 wrote, with metadata (a non-ASCII value as S3 sends it: an RFC 2047 encoded-word)
\! python3 test/s3tool.py put-meta regress head/meta.txt 'with metadata' owner=alice Project=Apollo 'greeting==?UTF-8?B?R3LDvMOfZQ==?=' 'quoted==?utf-8?Q?caf=C3=A9_au_lait?='
\! python3 test/s3tool.py head-meta regress head/meta.txt
SELECT size, content_type, content_encoding, cache_control, metadata
  FROM s3_head('s3', 'regress', 'head/meta.txt');
SELECT metadata ->> 'greeting' AS greeting, metadata ->> 'quoted' AS quoted
  FROM s3_head('s3', 'regress', 'head/meta.txt');
-- no row for a missing object (or bucket): a cheap existence test
SELECT count(*) FROM s3_head('s3', 'regress', 'head/missing.txt');
SELECT EXISTS (SELECT FROM s3_head('s3', 'regress', 'head/plain.txt')) AS present,
       EXISTS (SELECT FROM s3_head('s3', 'regress', 'head/nothing')) AS absent,
       EXISTS (SELECT FROM s3_head('s3', 'no-such-bucket-at-all', 'x')) AS no_bucket;
-- per row of a listing (LATERAL), and bad arguments before any request
SELECT key, h.size, h.content_type FROM (VALUES ('head/meta.txt'), ('head/plain.txt'), ('head/none')) v(key)
  LEFT JOIN LATERAL s3_head('s3', 'regress', v.key) h ON true ORDER BY key;
SELECT * FROM s3_head('s3', 'regress', NULL);
SELECT * FROM s3_head('s3', 'Bad_Bucket', 'k');
SELECT * FROM s3_head('s3', 'regress', '');

-- ranged reads: a Range request, compared with boto3's
SELECT s3_upload('s3', 'regress', 'range/digits.txt', '0123456789') IS NOT NULL AS uploaded;
SELECT s3_read_text('s3', 'regress', 'range/digits.txt', 2, 3) AS "2+3";
\! python3 test/s3tool.py range regress range/digits.txt bytes=2-4
SELECT s3_read_text('s3', 'regress', 'range/digits.txt', 8, 10) AS "8+10",
       s3_read_text('s3', 'regress', 'range/digits.txt', 0, 1) AS "0+1",
       s3_read('s3', 'regress', 'range/digits.txt', 9, 1) AS "9+1";
-- past the end, or nothing asked for: empty, not an error
SELECT s3_read('s3', 'regress', 'range/digits.txt', 10, 5) AS "10+5",
       s3_read('s3', 'regress', 'range/digits.txt', 1000000, 1) AS far,
       s3_read('s3', 'regress', 'range/digits.txt', 3, 0) AS nothing,
       s3_read('s3', 'regress', 'range/digits.txt', 5, 9223372036854775807) AS to_the_end;
SELECT s3_upload('s3', 'regress', 'range/empty.txt', ''::bytea) IS NOT NULL AS uploaded;
SELECT s3_read('s3', 'regress', 'range/empty.txt', 0, 10) AS empty_object;
-- bad arguments
SELECT s3_read('s3', 'regress', 'range/digits.txt', -1, 5);
SELECT s3_read('s3', 'regress', 'range/digits.txt', 0, -5);
SELECT s3_read('s3', 'regress', 'range/digits.txt', NULL, 5);
SELECT s3_try($$SELECT s3_read('s3', 'regress', 'range/missing.txt', 0, 5)$$);
-- no bytes asked for: still an error when the object (or the bucket) does not exist
SELECT s3_try($$SELECT s3_read('s3', 'regress', 'range/missing.txt', 0, 0)$$);
SELECT s3_try($$SELECT s3_read_text('s3', 'regress', 'range/missing.txt', 7, 0)$$);
SELECT s3_try($$SELECT s3_read('s3', 'no-such-bucket-at-all', 'x', 0, 0)$$);
SELECT s3_read('s3', 'regress', 'range/empty.txt', 0, 0) AS empty_object_nothing,
       s3_read('s3', 'regress', 'range/digits.txt', 100, 0) AS far_nothing;
-- a range that cuts a UTF-8 character is not text
SELECT s3_upload('s3', 'regress', 'range/utf8.txt', 'é') IS NOT NULL AS uploaded;
SELECT s3_try($$SELECT s3_read_text('s3', 'regress', 'range/utf8.txt', 0, 1)$$);
SELECT s3_read_text('s3', 'regress', 'range/utf8.txt', 0, 2) AS whole;

-- s3_delete_bucket: an empty bucket goes; a bucket with objects does not
SELECT s3_create_bucket('s3', 'regress-doomed');
SELECT s3_delete_bucket('s3', 'regress-doomed');
SELECT count(*) FROM s3_list_buckets('s3') WHERE name = 'regress-doomed';
SELECT s3_try($$SELECT s3_delete_bucket('s3', 'regress')$$);
SELECT s3_try($$SELECT s3_delete_bucket('s3', 'regress-never-was')$$);
SELECT s3_delete_bucket('s3', 'Not_A_Bucket');
SELECT s3_delete_bucket('s3', NULL);

-- s3_upload with user metadata, Cache-Control and Content-Encoding (named
-- arguments); boto3 reads them, and so does s3_head
SELECT s3_upload('s3', 'regress', 'head/by-sql.txt', 'written by SQL',
                 metadata => '{"Owner": "bob", "count": 3, "checked": true, "greeting": "Grüße"}',
                 cache_control => 'no-cache', content_encoding => 'identity') IS NOT NULL AS uploaded;
\! python3 test/s3tool.py head-meta regress head/by-sql.txt
SELECT content_type, cache_control, content_encoding, metadata FROM s3_head('s3', 'regress', 'head/by-sql.txt');
SELECT s3_upload('s3', 'regress', 'head/by-sql.bin', '\x00ff'::bytea, 'application/x-test', '{"kind": "binary"}') IS NOT NULL AS uploaded;
SELECT content_type, metadata FROM s3_head('s3', 'regress', 'head/by-sql.bin');
-- in parts too: the metadata goes with CreateMultipartUpload
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE SERVER s3_parts FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER s3_parts OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3_parts', 'regress', 'head/parts.bin', decode(repeat('ab', 6 * 1024 * 1024), 'hex'),
                 metadata => '{"parts": "yes"}', cache_control => 'max-age=3600') ~ '-2$' AS two_parts;
SELECT size, cache_control, metadata FROM s3_head('s3', 'regress', 'head/parts.bin');
-- the calls of 1.0 work unchanged
SELECT s3_upload('s3', 'regress', 'head/old.txt', 'x') = md5('x') AS four_args,
       s3_upload('s3', 'regress', 'head/old.bin', 'x'::bytea, 'application/x-old') = md5('x') AS five_args;
SELECT content_type, metadata FROM s3_head('s3', 'regress', 'head/old.bin');
-- metadata that S3 cannot take is refused before anything is sent
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', metadata => '[1, 2]');
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', metadata => '{"a": {"b": 1}}');
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', metadata => '{"a": null}');
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', metadata => '{"two words": "x"}');
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', metadata => '{"café": "x"}');
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', metadata => '{"a": "line\nbreak"}');
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', metadata => jsonb_build_object('big', repeat('x', 2100)));
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', cache_control => E'no-cache\r\nX-Evil: 1');
SELECT s3_upload('s3', 'regress', 'head/bad.txt', 'x', content_encoding => '');
\! python3 test/s3tool.py exists regress head/bad.txt
