--
-- conditional: version 1.2's conditional writes.  if_none_match writes only
-- a new object (S3's If-None-Match: *), refused with 23505 as a unique key
-- would refuse a row; if_match writes only over the object whose ETag the
-- caller read (If-Match), refused with 40001 when it changed.  PutObject,
-- CopyObject, multipart uploads (the condition on CompleteMultipartUpload)
-- and s3_export take them; a rename through a foreign table copies with
-- If-None-Match, so that an object another client writes between the
-- rename's check and its copy is never replaced.  Against moto with
-- signatures checked.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
SELECT s3_create_bucket('s3', 'regress-cond');
-- multipart above 5 MB, in 5 MB parts
CREATE SERVER s3cond FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER s3cond OPTIONS (access_key_id :'ak', secret_access_key :'sk');

-- if_none_match: a new key is written, an existing one refused (nothing replaced)
SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'first', if_none_match => true) = md5('first') AS written;
SELECT s3_try($$SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'second', if_none_match => true)$$);
SELECT s3_read_text('s3', 'regress-cond', 'new.txt') AS still;
-- false (the default) replaces, as a PUT does
SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'third', if_none_match => false) = md5('third') AS replaced;

-- if_match: over the ETag read, with or without its quotes
SELECT etag AS e3 FROM s3_head('s3', 'regress-cond', 'new.txt') \gset
SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'fourth', if_match => :'e3') = md5('fourth') AS over_e3;
-- the ETag read before is no longer the object's: refused, the object unchanged
SELECT s3_try(format($$SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'fifth', if_match => %L)$$, :'e3'));
SELECT s3_read_text('s3', 'regress-cond', 'new.txt') AS still;
SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'sixth', if_match => '"' || md5('fourth') || '"') = md5('sixth') AS quoted;
-- over an object that does not exist: S3's NoSuchKey
SELECT s3_try($$SELECT s3_upload('s3', 'regress-cond', 'absent.txt', 'x', if_match => 'abc')$$);
SELECT count(*) AS absent FROM s3_head('s3', 'regress-cond', 'absent.txt');
-- both at once, or an if_match that cannot be a header: refused before any request
SELECT s3_try($$SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'x', if_none_match => true, if_match => 'abc')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'x', if_match => E'abc\r\nX-Evil: 1')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-cond', 'new.txt', 'x', if_match => '')$$);

-- bytea and text alike; NULL if_none_match is the default (false)
SELECT s3_upload('s3', 'regress-cond', 'bin', '\x0102'::bytea, if_none_match => true) IS NOT NULL AS bytea_new;
SELECT s3_try($$SELECT s3_upload('s3', 'regress-cond', 'bin', '\x03'::bytea, if_none_match => true)$$);
SELECT s3_upload('s3', 'regress-cond', 'bin', '\x04'::bytea, if_none_match => NULL) IS NOT NULL AS null_is_false;

-- multipart (6 MB, two parts): the condition goes with the completion
SELECT s3_upload('s3cond', 'regress-cond', 'big.bin', convert_to(repeat('a', 6 * 1024 * 1024), 'UTF8'),
                 if_none_match => true) LIKE '%-2' AS multipart_new;
SELECT s3_try($$SELECT s3_upload('s3cond', 'regress-cond', 'big.bin',
                 convert_to(repeat('b', 6 * 1024 * 1024), 'UTF8'), if_none_match => true)$$);
SELECT md5(s3_read('s3', 'regress-cond', 'big.bin')) = md5(repeat('a', 6 * 1024 * 1024)) AS unchanged;
-- the refused upload was aborted: no upload left behind
\! python3 test/s3tool.py uploads regress-cond
SELECT etag AS big_etag FROM s3_head('s3', 'regress-cond', 'big.bin') \gset
SELECT s3_upload('s3cond', 'regress-cond', 'big.bin', convert_to(repeat('c', 6 * 1024 * 1024), 'UTF8'),
                 if_match => :'big_etag') LIKE '%-2' AS multipart_over_etag;

-- s3_copy: onto a free name, then onto a taken one.  moto ignores the
-- conditions of a copy (it applies them to PutObject only): through the
-- keep-alive relay (server s3ka), which answers a conditional CopyObject as
-- S3 does
SELECT s3_copy('s3ka', 'regress-cond', 'new.txt', 'regress-cond', 'copy.txt', if_none_match => true) = md5('sixth') AS copied;
SELECT s3_upload('s3', 'regress-cond', 'other.txt', 'other') IS NOT NULL AS other;
SELECT s3_try($$SELECT s3_copy('s3ka', 'regress-cond', 'new.txt', 'regress-cond', 'other.txt', if_none_match => true)$$);
SELECT s3_read_text('s3', 'regress-cond', 'other.txt') AS other_kept;
SELECT s3_try($$SELECT s3_copy('s3ka', 'regress-cond', 'new.txt', 'regress-cond', 'other.txt', if_match => 'stale')$$);
SELECT s3_copy('s3ka', 'regress-cond', 'new.txt', 'regress-cond', 'other.txt', if_match => md5('other')) = md5('sixth') AS over_etag;

-- s3_export: if_none_match among its options
SELECT rows FROM s3_export('s3', 'SELECT 1 AS n', 'regress-cond', 'export.csv', 'format csv, if_none_match true');
SELECT s3_try($$SELECT rows FROM s3_export('s3', 'SELECT 2 AS n', 'regress-cond', 'export.csv', 'format csv, if_none_match true')$$);
SELECT s3_read_text('s3', 'regress-cond', 'export.csv') AS export_kept;
SELECT s3_try($$SELECT * FROM s3_import('s3', 'regress-cond', 'export.csv', 'pg_class', NULL, 'format csv, if_none_match true')$$);

-- a rename through a foreign table, raced: the keep-alive relay (server
-- s3ka) lets another client write a key named race-* just after s3_fdw's
-- HEAD found it free.  The copy's If-None-Match refuses to replace that
-- object: 23505, the source kept, the other client's object kept.  (Without
-- it, the copy replaced the other client's object.)
CREATE FOREIGN TABLE cond_t (key text, content text) SERVER s3ka OPTIONS (bucket 'regress-cond');
INSERT INTO cond_t VALUES ('mv/src.txt', 'the source');
SELECT s3_try($$UPDATE cond_t SET key = 'mv/race-dst.txt' WHERE key = 'mv/src.txt'$$);
SELECT key, content FROM cond_t WHERE key LIKE 'mv/%' ORDER BY key;
-- and with new content (a PUT to the new name, also If-None-Match)
INSERT INTO cond_t VALUES ('mv/src2.txt', 'the second source');
SELECT s3_try($$UPDATE cond_t SET key = 'mv/race-dst2.txt', content = 'new body' WHERE key = 'mv/src2.txt'$$);
SELECT key, content FROM cond_t WHERE key LIKE 'mv/%' ORDER BY key;
-- a rename nobody races still works
UPDATE cond_t SET key = 'mv/renamed.txt' WHERE key = 'mv/src.txt';
SELECT key, content FROM cond_t WHERE key LIKE 'mv/%' ORDER BY key;

DROP FOREIGN TABLE cond_t;
DROP SERVER s3cond CASCADE;
