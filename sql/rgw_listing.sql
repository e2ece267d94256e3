--
-- rgw_listing: listing_parallel.sql's equality against Ceph's RADOS Gateway,
-- which keeps connections open and keeps its bucket index in RADOS: a
-- partitioned listing (parallel_listing, the default) gives exactly the rows
-- of the sequential page chain (parallel_listing 'false'), key for key and
-- in the same order, and both give the listing computed from the keys
-- created.  The keys are listing_parallel.sql's but for the 18 holding 0x01
-- or 0x1f, which RGW 16.2 writes into its XML as character references XML
-- 1.0 forbids: 2,878 keys (clusters with wide empty ranges between them,
-- keys that are prefixes of others, bytes below "/", a tab and 0x7f, 2-, 3-
-- and 4-byte UTF-8), each object's body its key; small pages make many
-- partitions (pages of one key, page_size 1, many more).  RGW's
-- continuation token is the page's last key itself, in UTF-8: pages ending
-- on non-ASCII keys are followed with such tokens.
--
-- A request costs RGW tens of milliseconds (the whole bucket in pages of 7
-- took 11 s): the whole bucket is listed in pages of 1,000 and 50; pages of
-- 7 and 1 list prefixes, ranges after a start_after and delimiter listings
-- of tens to hundreds of entries (listing_parallel.sql lists the whole
-- bucket in pages of 7, on moto).
--
\i test/rgw_env.sql
\setenv S3TOOL_KEYS rgw
\i test/listing_compare.sql
SELECT count(*) AS keys, count(*) FILTER (WHERE key ~ '[\x01-\x08\x0a-\x1f]') AS control_but_tab,
       md5(string_agg(encode(convert_to(key, 'UTF8'), 'hex'), ',' ORDER BY convert_to(key, 'UTF8')))
  FROM pkeys;
\! python3 test/s3tool.py key-order

CREATE SERVER rgw_plist FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'rgw_endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER rgw_plist OPTIONS (access_key_id :'rgw_ak', secret_access_key :'rgw_sk');
SELECT s3_create_bucket('rgw_plist', 'rgw-plist');
CREATE FOREIGN TABLE rgw_pl_write (key text, content bytea) SERVER rgw_plist OPTIONS (bucket 'rgw-plist');
INSERT INTO rgw_pl_write SELECT key, convert_to(key, 'UTF8') FROM pkeys;
-- boto3's paginator lists them
\! python3 test/s3tool.py list rgw-plist

\set cols '(key text, size bigint, etag text, last_modified timestamptz, storage_class text, prefix text, start_after text, delimiter text, is_prefix boolean, max_keys integer, continuation_token text, next_continuation_token text)'
CREATE FOREIGN TABLE rgw_pl_seq :cols SERVER rgw_plist OPTIONS (bucket 'rgw-plist', parallel_listing 'false');
CREATE FOREIGN TABLE rgw_pl_par :cols SERVER rgw_plist OPTIONS (bucket 'rgw-plist');
CREATE FOREIGN TABLE rgw_pl_par50 :cols SERVER rgw_plist OPTIONS (bucket 'rgw-plist', page_size '50');
CREATE FOREIGN TABLE rgw_pl_par7 :cols SERVER rgw_plist OPTIONS (bucket 'rgw-plist', page_size '7');
CREATE FOREIGN TABLE rgw_pl_par1 :cols SERVER rgw_plist OPTIONS (bucket 'rgw-plist', page_size '1');
CREATE FOREIGN TABLE rgw_pl_par7_two :cols SERVER rgw_plist
  OPTIONS (bucket 'rgw-plist', page_size '7', max_concurrency '2');

-- the whole bucket (with every column: sizes, ETags, times, storage
-- classes), then prefixes: a stem of the edge cases, clusters of multibyte
-- keys, one that matches nothing
SELECT * FROM pl_compare(ARRAY['rgw_pl_par', 'rgw_pl_par50'], 'true', 'rgw_pl_seq', pl_expected());
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7', 'rgw_pl_par1'],
  $$prefix = 'k'$$, 'rgw_pl_seq', pl_expected('k'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7', 'rgw_pl_par7_two'], $$prefix = '日本/'$$, 'rgw_pl_seq', pl_expected('日本/'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7'], $$key ^@ '😀'$$, 'rgw_pl_seq', pl_expected('😀'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7'], $$prefix = 'm'$$, 'rgw_pl_seq', pl_expected('m'));

-- start_after: between the clusters, inside one, at a multibyte key, at a
-- tab, at the last key
SELECT * FROM pl_compare(ARRAY['rgw_pl_par50'],
  $$start_after = 'm'$$, 'rgw_pl_seq', pl_expected('', NULL, 'm'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7'],
  $$prefix = 'aaa/' AND key > 'aaa/0850' COLLATE "C"$$, 'rgw_pl_seq', pl_expected('aaa/', NULL, 'aaa/0850'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7'],
  $$start_after = '😀a😀'$$, 'rgw_pl_seq', pl_expected('', NULL, '😀a😀'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7'],
  $$start_after = E'😀a\t'$$, 'rgw_pl_seq', pl_expected('', NULL, E'😀a\t'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par', 'rgw_pl_par7'],
  $$start_after = E'\U0010FFFF/a\U0010FFFF'$$, 'rgw_pl_seq', pl_expected('', NULL, E'\U0010FFFF/a\U0010FFFF'));
-- RGW's token, a key (pages of 1,000 after aaa/0500 end on zzz/0293 and on
-- 日本/ファイル 159), shown in next_continuation_token and taken back
SELECT next_continuation_token AS token FROM rgw_pl_seq
 WHERE start_after = 'aaa/0500' AND max_keys = 2000 OFFSET 1999 LIMIT 1 \gset
SELECT :'token' AS token;
SELECT pl_diff(array_agg(key), pl_expected('', NULL, :'token')) AS after_token
  FROM rgw_pl_seq WHERE continuation_token = :'token';

-- a delimiter, at the root and under aaa/ (five folders of 40 keys among 900
-- keys); a multibyte one (after zzzz: the folder é rolls up 144 keys, kaé
-- four), one below "/" (日本/ファイル rolls up 200); with start_after after a
-- folder and inside one
SELECT * FROM pl_compare(ARRAY['rgw_pl_par', 'rgw_pl_par7'],
  $$delimiter = '/'$$, 'rgw_pl_seq', pl_expected('', '/'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par50'],
  $$prefix = 'aaa/' AND delimiter = '/'$$, 'rgw_pl_seq', pl_expected('aaa/', '/'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7'],
  $$prefix = 'k' AND delimiter = '/'$$, 'rgw_pl_seq', pl_expected('k', '/'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7'],
  $$delimiter = 'é' AND start_after = 'zzzz'$$, 'rgw_pl_seq', pl_expected('', 'é', 'zzzz'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par1'],
  $$prefix = 'k' AND delimiter = 'é'$$, 'rgw_pl_seq', pl_expected('k', 'é'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par7'],
  $$prefix = '日本/' AND delimiter = ' '$$, 'rgw_pl_seq', pl_expected('日本/', ' '));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par', 'rgw_pl_par7'],
  $$delimiter = '/' AND start_after = 'a'$$, 'rgw_pl_seq', pl_expected('', '/', 'a'));
SELECT * FROM pl_compare(ARRAY['rgw_pl_par', 'rgw_pl_par7'],
  $$delimiter = '/' AND start_after = 'aaa/0500'$$, 'rgw_pl_seq', pl_expected('', '/', 'aaa/0500'));
\! python3 test/s3tool.py folders rgw-plist aaa/ / | sed -E 's/, keys .*//'

-- count(*), a LIMIT above a filter S3 cannot apply (a partitioned listing
-- stopped in its middle), and a join
SELECT count(*) FROM rgw_pl_par;
SELECT pl_diff(array_agg(key), (pl_expected())[101:250]) AS offset_100_limit_150
  FROM (SELECT key FROM rgw_pl_par7 WHERE size > 0 OFFSET 100 LIMIT 150) s;
SELECT count(*) AS rows, count(p.key) AS listed, count(k.key) AS made
  FROM (SELECT key FROM rgw_pl_par7 WHERE prefix = '日本/') p
  FULL JOIN (SELECT key FROM pkeys WHERE key ^@ '日本/') k USING (key);
