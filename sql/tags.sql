--
-- tags: an object's tags.  s3_get_tags and s3_put_tags (GetObjectTagging,
-- PutObjectTagging with an XML body, DeleteObjectTagging for '{}'), one
-- version's tags on a versioned bucket; tags on s3_upload, s3_copy
-- (CopyObject keeps or replaces them, a copy in parts carries them over)
-- and s3_export; the listing table's tags column, fetched per object only
-- when the query reads it, several at once; INSERT and UPDATE of tags.
-- Against moto with signatures checked; boto3 reads what s3_fdw wrote and
-- writes what it reads.  test/fakes/fault_server.py holds GETs under
-- slowget/ (GetObjectTagging among them) for 200 ms and counts how many
-- wait at once.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE OR REPLACE FUNCTION requests() RETURNS bigint LANGUAGE sql AS 'SELECT requests FROM s3_fdw_connection_stats()';
SELECT s3_create_bucket('s3', 'regress-tags');

-- a round trip: none, set, replaced (not merged); boto3 sees the same
SELECT s3_upload('s3', 'regress-tags', 'a.txt', 'a') IS NOT NULL AS uploaded;
SELECT s3_get_tags('s3', 'regress-tags', 'a.txt') AS no_tags;
SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{"project": "blue", "owner": "alice"}');
SELECT s3_get_tags('s3', 'regress-tags', 'a.txt');
SELECT tag_count FROM s3_head('s3', 'regress-tags', 'a.txt');
\! python3 test/s3tool.py tags regress-tags a.txt
SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{"stage": "2"}');
SELECT s3_get_tags('s3', 'regress-tags', 'a.txt');
-- non-ASCII names and values, an empty value, and the characters the
-- header's query form escapes (space + = / : @)
SELECT s3_put_tags('s3', 'regress-tags', 'a.txt',
                   '{"café": "naïve Grüße", "a b": "x+y=z/w:v@u", "empty": "", "ключ": "значение"}');
SELECT s3_get_tags('s3', 'regress-tags', 'a.txt');
\! python3 test/s3tool.py tags regress-tags a.txt
-- the longest S3 takes, counted in characters: a name of 128, a value of 256
SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', jsonb_build_object(repeat('é', 128), repeat('ü', 256)));
SELECT length(k) AS name_chars, length(v) AS value_chars, octet_length(v) AS value_bytes
  FROM jsonb_each_text(s3_get_tags('s3', 'regress-tags', 'a.txt')) AS t(k, v);
-- tags boto3 set, read by s3_fdw
\! python3 test/s3tool.py put-tags regress-tags a.txt 'Ünï=Çödé' 'k=v' 'path=/a/b'
SELECT s3_get_tags('s3', 'regress-tags', 'a.txt');
-- '{}' removes every tag
SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{}');
SELECT s3_get_tags('s3', 'regress-tags', 'a.txt') AS no_tags, tag_count FROM s3_head('s3', 'regress-tags', 'a.txt');
\! python3 test/s3tool.py tags regress-tags a.txt
-- XML's special characters travel escaped: moto, as S3, takes none of them
-- in a tag and says so, naming the value it read
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{"x": "&<>\"''"}')$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{"a<b>&c": "1"}')$$);
SELECT s3_get_tags('s3', 'regress-tags', 'a.txt') AS still_none;

-- S3's rules checked before anything is sent
SELECT requests() AS r0 \gset
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt',
  (SELECT jsonb_object_agg('t' || i, 'v') FROM generate_series(1, 11) i))$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', jsonb_build_object(repeat('n', 129), 'v'))$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{"": "v"}')$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', jsonb_build_object('long', repeat('v', 257)))$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', jsonb_build_object('ctl', E'a\nb'))$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', jsonb_build_object(E'tab\there', 'v'))$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '["a", "b"]')$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '"a=b"')$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{"n": 1}')$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{"n": null}')$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', NULL)$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', NULL, '{}')$$);
SELECT s3_try($$SELECT s3_get_tags(NULL, 'regress-tags', 'a.txt')$$);
SELECT s3_try($$SELECT s3_get_tags('s3', 'regress-tags', NULL)$$);
SELECT s3_try($$SELECT s3_get_tags('s3', 'Bad_Bucket', 'a.txt')$$);
SELECT s3_try($$SELECT s3_get_tags('s3', 'regress-tags', '')$$);
SELECT s3_try($$SELECT s3_get_tags('s3', 'regress-tags', 'a.txt', '')$$);
SELECT s3_try($$SELECT s3_get_tags('s3', 'regress-tags', 'a.txt', E'v\n1')$$);
SELECT s3_try($$SELECT s3_upload('s3', 'regress-tags', 'never.txt', 'x', tags => '{"n": 1}')$$);
SELECT s3_try($$SELECT s3_copy('s3', 'regress-tags', 'a.txt', 'regress-tags', 'never.txt', tags => '[1]')$$);
SELECT requests() - :r0 AS requests_made;
-- what S3 refuses: a missing object or bucket, a version that is not there,
-- a role whose keys may not read or write tags (s3:GetObjectTagging,
-- s3:PutObjectTagging)
SELECT s3_try($$SELECT s3_get_tags('s3', 'regress-tags', 'missing.txt')$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'missing.txt', '{"a": "b"}')$$);
SELECT s3_try($$SELECT s3_get_tags('s3', 'regress-nosuchbucket', 'a.txt')$$);
SET ROLE regress_s3_reader;
SELECT s3_try($$SELECT s3_get_tags('s3', 'regress-tags', 'a.txt')$$);
SELECT s3_try($$SELECT s3_put_tags('s3', 'regress-tags', 'a.txt', '{"a": "b"}')$$);
RESET ROLE;

-- tags on upload (x-amz-tagging), bytea and text; '{}' is none
SELECT s3_upload('s3', 'regress-tags', 'up/bytes.bin', '\x0102'::bytea,
                 tags => '{"from": "upload", "ü": "ß", "sum": "1+1=2"}') IS NOT NULL AS uploaded;
SELECT s3_get_tags('s3', 'regress-tags', 'up/bytes.bin');
\! python3 test/s3tool.py tags regress-tags up/bytes.bin
SELECT s3_upload('s3', 'regress-tags', 'up/text.txt', 'text', tags => '{"kind": "text"}') IS NOT NULL AS uploaded;
SELECT s3_get_tags('s3', 'regress-tags', 'up/text.txt');
SELECT s3_upload('s3', 'regress-tags', 'up/none.txt', 'none', tags => '{}') IS NOT NULL AS uploaded;
SELECT s3_get_tags('s3', 'regress-tags', 'up/none.txt') AS no_tags;
-- a new upload replaces the object, tags and all
SELECT s3_upload('s3', 'regress-tags', 'up/text.txt', 'again') IS NOT NULL AS uploaded;
SELECT s3_get_tags('s3', 'regress-tags', 'up/text.txt') AS no_tags;

-- tags on copy: CopyObject keeps the source's, new ones replace them, '{}'
-- leaves none, new metadata keeps them
SELECT s3_upload('s3', 'regress-tags', 'cp/src.txt', 'copy me', tags => '{"origin": "src", "n": "1"}') IS NOT NULL AS uploaded;
SELECT s3_copy('s3', 'regress-tags', 'cp/src.txt', 'regress-tags', 'cp/kept.txt') IS NOT NULL AS copied;
SELECT s3_get_tags('s3', 'regress-tags', 'cp/kept.txt') AS kept;
SELECT s3_copy('s3', 'regress-tags', 'cp/src.txt', 'regress-tags', 'cp/replaced.txt',
               tags => '{"origin": "copy"}') IS NOT NULL AS copied;
SELECT s3_get_tags('s3', 'regress-tags', 'cp/replaced.txt') AS replaced;
\! python3 test/s3tool.py tags regress-tags cp/replaced.txt
SELECT s3_copy('s3', 'regress-tags', 'cp/src.txt', 'regress-tags', 'cp/none.txt', tags => '{}') IS NOT NULL AS copied;
SELECT s3_get_tags('s3', 'regress-tags', 'cp/none.txt') AS none;
SELECT s3_copy('s3', 'regress-tags', 'cp/src.txt', 'regress-tags', 'cp/meta.txt', '{"m": "1"}') IS NOT NULL AS copied;
SELECT s3_get_tags('s3', 'regress-tags', 'cp/meta.txt') AS kept, metadata FROM s3_head('s3', 'regress-tags', 'cp/meta.txt');
SELECT s3_get_tags('s3', 'regress-tags', 'cp/src.txt') AS source_unchanged;
-- a copy in parts (UploadPartCopy copies bytes only): the source's tags read
-- (GetObjectTagging, only when HeadObject counts some) and sent with
-- CreateMultipartUpload
CREATE SERVER s3_tagparts FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', multipart_threshold '5MB', part_size '5MB');
CREATE USER MAPPING FOR PUBLIC SERVER s3_tagparts OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3', 'regress-tags', 'cp/big.bin', decode(repeat('ab', 6 * 1024 * 1024), 'hex'),
                 tags => '{"size": "big", "ü": "ö"}') IS NOT NULL AS uploaded;
SELECT s3_upload('s3', 'regress-tags', 'cp/big-untagged.bin', decode(repeat('ab', 6 * 1024 * 1024), 'hex')) IS NOT NULL AS uploaded;
SELECT requests() AS r0 \gset
SELECT s3_copy('s3_tagparts', 'regress-tags', 'cp/big.bin', 'regress-tags', 'cp/big-kept.bin') ~ '-2$' AS two_parts;
SELECT requests() - :r0 AS requests_tagged \gset
SELECT s3_get_tags('s3', 'regress-tags', 'cp/big-kept.bin') AS kept;
\! python3 test/s3tool.py tags regress-tags cp/big-kept.bin
SELECT requests() AS r0 \gset
SELECT s3_copy('s3_tagparts', 'regress-tags', 'cp/big-untagged.bin', 'regress-tags', 'cp/big-none.bin') ~ '-2$' AS two_parts;
-- (HEAD, create, 2 parts, complete: one request less than with tags)
SELECT requests() - :r0 AS requests_untagged, :requests_tagged AS requests_tagged;
SELECT s3_get_tags('s3', 'regress-tags', 'cp/big-none.bin') AS none;
SELECT s3_copy('s3_tagparts', 'regress-tags', 'cp/big.bin', 'regress-tags', 'cp/big-replaced.bin',
               tags => '{"size": "copied"}') ~ '-2$' AS two_parts;
SELECT s3_get_tags('s3', 'regress-tags', 'cp/big-replaced.bin') AS replaced;
SELECT s3_copy('s3_tagparts', 'regress-tags', 'cp/big.bin', 'regress-tags', 'cp/big-empty.bin',
               tags => '{}') ~ '-2$' AS two_parts;
SELECT s3_get_tags('s3', 'regress-tags', 'cp/big-empty.bin') AS none;
-- tags too long for a header (over 2 kB as a query, as the AWS CLI has it)
-- are set with PutObjectTagging once the copy is complete
SELECT s3_put_tags('s3', 'regress-tags', 'cp/big.bin',
                   (SELECT jsonb_object_agg(i || repeat('é', 100), repeat('ü', 200)) FROM generate_series(1, 10) i));
SELECT s3_copy('s3_tagparts', 'regress-tags', 'cp/big.bin', 'regress-tags', 'cp/big-long.bin') ~ '-2$' AS two_parts;
SELECT s3_get_tags('s3', 'regress-tags', 'cp/big-long.bin') = s3_get_tags('s3', 'regress-tags', 'cp/big.bin') AS same_tags,
       (SELECT count(*) FROM jsonb_object_keys(s3_get_tags('s3', 'regress-tags', 'cp/big-long.bin'))) AS tags;
\! python3 test/s3tool.py uploads regress-tags

-- tags on export: one PUT, or CreateMultipartUpload
SELECT rows, parts FROM s3_export('s3', 'SELECT 1 AS a', 'regress-tags', 'ex/one.csv',
                                  $$format csv, tags '{"export": "one", "é": "è"}'$$);
SELECT s3_get_tags('s3', 'regress-tags', 'ex/one.csv');
SELECT rows, parts FROM s3_export('s3_tagparts', 'SELECT repeat(''x'', 1000) FROM generate_series(1, 12000)',
                                  'regress-tags', 'ex/parts.csv', $$format csv, tags '{"export": "parts"}'$$);
SELECT s3_get_tags('s3', 'regress-tags', 'ex/parts.csv');
\! python3 test/s3tool.py tags regress-tags ex/parts.csv
SELECT s3_try($$SELECT * FROM s3_export('s3', 'SELECT 1', 'regress-tags', 'ex/bad.csv', 'format csv, tags ''{"a": 1}''')$$);
SELECT s3_try($$SELECT * FROM s3_export('s3', 'SELECT 1', 'regress-tags', 'ex/bad.csv', 'format csv, tags ''not json''')$$);

-- one version's tags on a versioned bucket
SELECT s3_create_bucket('s3', 'regress-tags-versions');
\! python3 test/s3tool.py enable-versioning regress-tags-versions
SELECT s3_upload('s3', 'regress-tags-versions', 'v.txt', 'one', tags => '{"v": "1"}') IS NOT NULL AS uploaded;
SELECT version_id AS v1 FROM s3_head('s3', 'regress-tags-versions', 'v.txt') \gset
SELECT s3_upload('s3', 'regress-tags-versions', 'v.txt', 'two', tags => '{"v": "2"}') IS NOT NULL AS uploaded;
SELECT s3_get_tags('s3', 'regress-tags-versions', 'v.txt') AS latest,
       s3_get_tags('s3', 'regress-tags-versions', 'v.txt', :'v1') AS first;
SELECT s3_put_tags('s3', 'regress-tags-versions', 'v.txt', '{"v": "1", "old": "yes"}', :'v1');
SELECT s3_get_tags('s3', 'regress-tags-versions', 'v.txt') AS latest,
       s3_get_tags('s3', 'regress-tags-versions', 'v.txt', version_id => :'v1') AS first;
\setenv v1 :v1
\! python3 test/s3tool.py tags regress-tags-versions v.txt + tags regress-tags-versions v.txt "$v1"
SELECT s3_put_tags('s3', 'regress-tags-versions', 'v.txt', '{}', :'v1');
SELECT s3_get_tags('s3', 'regress-tags-versions', 'v.txt', :'v1') AS first_none,
       s3_get_tags('s3', 'regress-tags-versions', 'v.txt') AS latest;
-- a copy of the first version keeps its tags
SELECT s3_put_tags('s3', 'regress-tags-versions', 'v.txt', '{"v": "first"}', :'v1');
SELECT s3_copy('s3', 'regress-tags-versions', 'v.txt', 'regress-tags-versions', 'v-copy.txt',
               src_version_id => :'v1') IS NOT NULL AS copied;
SELECT s3_read_text('s3', 'regress-tags-versions', 'v-copy.txt'), s3_get_tags('s3', 'regress-tags-versions', 'v-copy.txt');
SELECT s3_try($$SELECT s3_get_tags('s3', 'regress-tags-versions', 'v.txt', 'no-such-version')$$);

-- the listing table's tags column: NULL for folders
CREATE FOREIGN TABLE tagged (key text, content text, tags jsonb, etag text, size bigint,
                             is_prefix boolean, prefix text, delimiter text)
  SERVER s3 OPTIONS (bucket 'regress-tags', prefix 'tbl/');
INSERT INTO tagged (key, content, tags) VALUES
  ('tbl/1.txt', 'one', '{"n": "1"}'), ('tbl/2.txt', 'two', NULL), ('tbl/3.txt', 'three', '{"n": "3", "odd": "yes"}'),
  ('tbl/sub/4.txt', 'four', '{"n": "4", "deep": "ü"}');
\! python3 test/s3tool.py tags regress-tags tbl/3.txt
SELECT key, tags FROM tagged ORDER BY key;
SELECT key, is_prefix, tags FROM tagged WHERE delimiter = '/' ORDER BY key;
SELECT key FROM tagged WHERE tags ? 'odd';
SELECT key, tags->>'n' AS n, content FROM tagged WHERE key = 'tbl/3.txt';
-- fetched only when the query reads the column: one listing request
-- without it, one GetObjectTagging more per object with it
SELECT requests() AS r0 \gset
SELECT count(*) FROM (SELECT key, size, etag FROM tagged) t;
SELECT requests() - :r0 AS without_tags;
SELECT requests() AS r0 \gset
SELECT count(tags) FROM tagged;
SELECT requests() - :r0 AS with_tags;
SELECT requests() AS r0 \gset
SELECT key, tags FROM tagged LIMIT 1;
SELECT requests() - :r0 AS with_tags_limit_1;
-- a folder costs no request: four rows, three objects
SELECT requests() AS r0 \gset
SELECT count(*) AS rows, count(tags) AS with_tags FROM tagged WHERE delimiter = '/';
SELECT requests() - :r0 AS with_tags_and_folder;
EXPLAIN (COSTS OFF) SELECT key, tags FROM tagged;
EXPLAIN (COSTS OFF) SELECT key, tags, content FROM tagged;
EXPLAIN (COSTS OFF) SELECT key FROM tagged;
SELECT * FROM s3_explain_analyze('SELECT key, tags FROM tagged');
SELECT * FROM s3_explain_analyze('SELECT key, content, tags FROM tagged');

-- several at once: at most max_concurrency requests waiting at a time
-- (4 here), rows in listing order, each with its own tags; with content
-- too, a GET and a GetObjectTagging per object within the same 4
CREATE SERVER tags_slow FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', max_concurrency '4');
CREATE USER MAPPING FOR PUBLIC SERVER tags_slow OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FOREIGN TABLE tags_slow (key text, content text, tags jsonb)
  SERVER tags_slow OPTIONS (bucket 'regress-tags', prefix 'slowget/');
SELECT count(s3_upload('s3', 'regress-tags', format('slowget/%s', lpad(i::text, 2, '0')), i::text,
                       tags => jsonb_build_object('i', i::text)))
  FROM generate_series(1, 20) i;
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT count(*) AS rows, bool_and(tags->>'i' = n::text) AS in_order_with_own_tags
  FROM (SELECT row_number() OVER () AS n, key, tags FROM tags_slow) t;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT count(*) AS rows, bool_and(tags->>'i' = content) AS own_tags_and_bodies FROM tags_slow;
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
-- LIMIT 1: one GetObjectTagging
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT key, tags FROM tags_slow LIMIT 1;
SELECT pg_sleep(0.5);
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
-- an object gone between the listing and its GetObjectTagging: S3's error
-- (the fault server answers 404 for keys ending in -gone)
CREATE FOREIGN TABLE tags_odd (key text, tags jsonb)
  SERVER tags_slow OPTIONS (bucket 'regress-tags', prefix 'oddget/');
SELECT s3_upload('s3', 'regress-tags', 'oddget/a', 'a', tags => '{"a": "1"}') IS NOT NULL AS uploaded,
       s3_upload('s3', 'regress-tags', 'oddget/b-gone', 'b') IS NOT NULL AS uploaded;
SELECT key FROM tags_odd ORDER BY key;
SELECT s3_try($$SELECT key, tags FROM tags_odd$$);

-- UPDATE of tags alone: PutObjectTagging, the object (and its ETag) unchanged
SELECT etag AS etag1 FROM tagged WHERE key = 'tbl/1.txt' \gset
UPDATE tagged SET tags = '{"n": "one", "é": "è"}' WHERE key = 'tbl/1.txt' RETURNING key, tags;
SELECT key, tags, etag = :'etag1' AS same_etag FROM tagged WHERE key = 'tbl/1.txt';
\! python3 test/s3tool.py tags regress-tags tbl/1.txt
-- from the tags it read
UPDATE tagged SET tags = tags || '{"extra": "x"}' WHERE key LIKE 'tbl/%' AND tags ? 'n' RETURNING key, tags;
UPDATE tagged SET tags = tags - 'extra' WHERE tags ? 'extra';
SELECT key, tags FROM tagged ORDER BY key;
-- '{}' removes them; NULL and bad tags are refused before anything is
-- written (the UPDATEs look their key up: one request each)
UPDATE tagged SET tags = '{}' WHERE key = 'tbl/2.txt';
SELECT requests() AS r0 \gset
SELECT s3_try($$UPDATE tagged SET tags = NULL WHERE key = 'tbl/1.txt'$$);
SELECT s3_try($$UPDATE tagged SET tags = '{"a": [1]}' WHERE key = 'tbl/1.txt'$$);
SELECT s3_try($$INSERT INTO tagged (key, content, tags) VALUES ('tbl/bad.txt', 'x', '{"": "v"}')$$);
SELECT requests() - :r0 AS requests_made;
SELECT key, tags FROM tagged ORDER BY key;
-- a new body keeps the object's tags (a PUT alone would drop them), unless
-- the UPDATE gives new ones
UPDATE tagged SET content = 'uno' WHERE key = 'tbl/1.txt';
SELECT key, content, tags FROM tagged WHERE key = 'tbl/1.txt';
UPDATE tagged SET content = 'tres', tags = '{"n": "three"}' WHERE key = 'tbl/3.txt';
SELECT key, content, tags FROM tagged WHERE key = 'tbl/3.txt';
-- a rename (a copy) keeps them too, or replaces them
UPDATE tagged SET key = 'tbl/1-renamed.txt' WHERE key = 'tbl/1.txt';
UPDATE tagged SET key = 'tbl/3-renamed.txt', tags = '{"renamed": "yes"}' WHERE key = 'tbl/3.txt';
SELECT key, content, tags FROM tagged ORDER BY key;
\! python3 test/s3tool.py tags regress-tags tbl/1-renamed.txt + tags regress-tags tbl/3-renamed.txt
-- UPDATE of tags takes EXECUTE on s3_put_tags, as calling it does
BEGIN;
REVOKE EXECUTE ON FUNCTION s3_put_tags(text, text, text, jsonb, text) FROM PUBLIC;
GRANT SELECT, UPDATE ON tagged TO regress_s3_user;
SET ROLE regress_s3_user;
SELECT s3_try($$UPDATE tagged SET tags = '{"n": "x"}' WHERE key = 'tbl/2.txt'$$);
UPDATE tagged SET content = 'dos' WHERE key = 'tbl/2.txt';
RESET ROLE;
ROLLBACK;
SELECT key, content, tags FROM tagged WHERE key = 'tbl/2.txt';
-- a folder row has no tags to set
UPDATE tagged SET tags = '{"x": "y"}' WHERE delimiter = '/' AND is_prefix;
\! python3 test/s3tool.py exists regress-tags tbl/sub/
