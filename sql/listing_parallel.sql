--
-- listing_parallel: a partitioned listing (parallel_listing, the default:
-- after the first page, the rest of the key range listed in partitions
-- bounded by start-after, several pages in flight) gives exactly the rows of
-- the sequential page chain (parallel_listing 'false'), key for key and in
-- the same order: S3's, the order of the keys' UTF-8 bytes.  Each listing
-- is compared in the scan's own order (no ORDER BY) with a sequential
-- listing and with the listing computed from the keys that were created
-- (test/listing_compare.sql's functions).
--
-- The bucket regress-plist holds 2,896 keys (test/s3tool.py's
-- partition_keys()): dense clusters (aaa/NNNN, aaa/subN/NNN, zzz/NNNN, é/N,
-- 日本/ファイル N, 😀/N) with wide empty ranges of the key space between
-- them, and under nine stems the edge cases: keys that are prefixes of
-- others (a, a/, a/b, ab), bytes below "/" (space, ! + - . and the control
-- characters tab, 0x01, 0x1f, and 0x7f), 2-, 3- and 4-byte UTF-8 (U+0080,
-- U+07FF, U+0800, U+FF66, U+FFFD, U+10000, U+1F600, U+10FFFF), keys that
-- differ only after a multibyte character.  Each object's body is its key.
-- Small pages (page_size 7, 50, 1) make many partitions out of these keys,
-- most of them empty.
--
\i test/listing_compare.sql
SELECT count(*) AS keys, count(DISTINCT key) AS distinct_keys,
       count(*) FILTER (WHERE key ~ '[\u0080-\u07ff]') AS two_byte,
       count(*) FILTER (WHERE key ~ '[\u0800-\uffff]') AS three_byte,
       count(*) FILTER (WHERE key ~ '[\U00010000-\U0010ffff]') AS four_byte,
       count(*) FILTER (WHERE key ~ '[\x01-\x1f\x7f]') AS control,
       count(*) FILTER (WHERE key ~ '[ !+.-]') AS below_slash
  FROM pkeys;
-- the order of their UTF-8 bytes, here and in Python (the MD5 of the keys'
-- hex forms joined with commas)
SELECT count(*), md5(string_agg(encode(convert_to(key, 'UTF8'), 'hex'), ',' ORDER BY convert_to(key, 'UTF8')))
  FROM pkeys;
\! python3 test/s3tool.py key-order

-- the objects, written by s3_fdw (16 uploads in flight: a few seconds)
SELECT s3_create_bucket('s3', 'regress-plist');
CREATE FOREIGN TABLE pl_write (key text, content bytea) SERVER s3 OPTIONS (bucket 'regress-plist');
INSERT INTO pl_write SELECT key, convert_to(key, 'UTF8') FROM pkeys;
-- boto3's paginator lists them
\! python3 test/s3tool.py list regress-plist

-- the tables: sequential (parallel_listing 'false') and partitioned (the
-- server's default), with pages of 1,000, 50, 7 and 1 keys
\set cols '(key text, size bigint, etag text, last_modified timestamptz, storage_class text, prefix text, start_after text, delimiter text, is_prefix boolean)'
CREATE FOREIGN TABLE pl_seq :cols SERVER s3 OPTIONS (bucket 'regress-plist', parallel_listing 'false');
CREATE FOREIGN TABLE pl_seq7 :cols SERVER s3 OPTIONS (bucket 'regress-plist', parallel_listing 'false', page_size '7');
CREATE FOREIGN TABLE pl_par :cols SERVER s3 OPTIONS (bucket 'regress-plist');
CREATE FOREIGN TABLE pl_par50 :cols SERVER s3 OPTIONS (bucket 'regress-plist', page_size '50');
CREATE FOREIGN TABLE pl_par7 :cols SERVER s3 OPTIONS (bucket 'regress-plist', page_size '7');
CREATE FOREIGN TABLE pl_par1 :cols SERVER s3 OPTIONS (bucket 'regress-plist', page_size '1');
-- partitions, but one page in flight; and two
CREATE FOREIGN TABLE pl_par7_one :cols SERVER s3
  OPTIONS (bucket 'regress-plist', page_size '7', max_concurrency '1');
CREATE FOREIGN TABLE pl_par7_two :cols SERVER s3
  OPTIONS (bucket 'regress-plist', page_size '7', max_concurrency '2');
-- a table prefix
CREATE FOREIGN TABLE pl_seq_jp :cols SERVER s3
  OPTIONS (bucket 'regress-plist', prefix '日本/', parallel_listing 'false');
CREATE FOREIGN TABLE pl_par_jp :cols SERVER s3 OPTIONS (bucket 'regress-plist', prefix '日本/', page_size '7');
-- parallel_listing 'off' and page_size on the server; a table's options win
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE SERVER s3_seq FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint', parallel_listing 'off', page_size '7');
CREATE USER MAPPING FOR PUBLIC SERVER s3_seq OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE FOREIGN TABLE pl_srv_seq7 :cols SERVER s3_seq OPTIONS (bucket 'regress-plist');
CREATE FOREIGN TABLE pl_srv_par7 :cols SERVER s3_seq OPTIONS (bucket 'regress-plist', parallel_listing 'on');
CREATE FOREIGN TABLE pl_srv_par50 :cols SERVER s3_seq OPTIONS (bucket 'regress-plist', parallel_listing 'true', page_size '50');

-- the whole bucket: 2,896 keys in one listing
SELECT * FROM pl_compare(ARRAY['pl_seq', 'pl_seq7', 'pl_par', 'pl_par50', 'pl_par7', 'pl_par7_one', 'pl_par7_two'],
  'true', 'pl_seq', pl_expected());
-- every column agrees, row for row
SELECT count(*) AS rows, count(s.key) AS sequential, count(p.key) AS partitioned,
       count(*) FILTER (WHERE (p.size, p.etag, p.last_modified, p.storage_class)
                              IS DISTINCT FROM (s.size, s.etag, s.last_modified, s.storage_class)) AS differing
  FROM pl_par7 p FULL JOIN pl_seq s USING (key);

-- prefixes: a table's, conditions' (a stem of the edge cases, clusters of
-- multibyte keys, the 1,100 keys under aaa/), and one that matches nothing
SELECT * FROM pl_compare(ARRAY['pl_par_jp'], 'true', 'pl_seq_jp', pl_expected('日本/'));
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7', 'pl_par1'],
  $$prefix = 'k'$$, 'pl_seq', pl_expected('k'));
SELECT * FROM pl_compare(ARRAY['pl_par7'], $$key ^@ 'é'$$, 'pl_seq', pl_expected('é'));
SELECT * FROM pl_compare(ARRAY['pl_par7'], $$key ^@ '😀'$$, 'pl_seq', pl_expected('😀'));
SELECT * FROM pl_compare(ARRAY['pl_par7', 'pl_srv_seq7', 'pl_srv_par7', 'pl_srv_par50'],
  $$prefix = 'aaa/'$$, 'pl_seq', pl_expected('aaa/'));
SELECT * FROM pl_compare(ARRAY['pl_par7'], $$prefix = 'm'$$, 'pl_seq', pl_expected('m'));

-- start_after and key > / >= (under "C", sent as start-after): between the
-- clusters, inside one, at a multibyte key, before every key, at the last
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$start_after = 'm'$$, 'pl_seq', pl_expected('', NULL, 'm'));
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$key > 'aaa/0500' COLLATE "C"$$, 'pl_seq', pl_expected('', NULL, 'aaa/0500'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$key >= 'kaé1' COLLATE "C"$$, 'pl_seq', 'kaé1'::text || pl_expected('', NULL, 'kaé1'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$start_after = 'a😀'$$, 'pl_seq', pl_expected('', NULL, 'a😀'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$start_after = E'\t'$$, 'pl_seq', pl_expected('', NULL, E'\t'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$start_after = E'0/a\x01b'$$, 'pl_seq', pl_expected('', NULL, E'0/a\x01b'));
SELECT key = E'\U0010FFFF/a\U0010FFFF' AS the_last_key FROM pkeys ORDER BY convert_to(key, 'UTF8') DESC LIMIT 1;
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$start_after = E'\U0010FFFF/a\U0010FFFF'$$, 'pl_seq', pl_expected('', NULL, E'\U0010FFFF/a\U0010FFFF'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$prefix = 'zzz/' AND start_after = 'zzz/0990'$$, 'pl_seq', pl_expected('zzz/', NULL, 'zzz/0990'));

-- a delimiter: keys and common prefixes, each prefix once however many keys
-- it rolls up and whichever partitions they fall in (aaa/ holds 1,100 keys,
-- zzz/ 1,000, 日本/ 244)
SELECT * FROM pl_compare(ARRAY['pl_seq7', 'pl_par', 'pl_par50', 'pl_par7', 'pl_par1', 'pl_par7_one'],
  $$delimiter = '/'$$, 'pl_seq', pl_expected('', '/'));
SELECT count(*) AS entries, count(*) FILTER (WHERE is_prefix) AS prefixes FROM pl_par7 WHERE delimiter = '/';
\! python3 test/s3tool.py folders regress-plist aaa/ / | sed -E 's/, keys .*//'
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$prefix = 'aaa/' AND delimiter = '/'$$, 'pl_seq', pl_expected('aaa/', '/'));
SELECT key, is_prefix FROM pl_par7 WHERE prefix = 'aaa/' AND delimiter = '/' AND is_prefix;
SELECT * FROM pl_compare(ARRAY['pl_par7', 'pl_par1'],
  $$prefix = 'k' AND delimiter = '/'$$, 'pl_seq', pl_expected('k', '/'));
-- a multibyte delimiter, and one below "/"
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$delimiter = 'é'$$, 'pl_seq', pl_expected('', 'é'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$delimiter = ' '$$, 'pl_seq', pl_expected('', ' '));
-- a delimiter and start_after: after a prefix's keys, and inside them (the
-- folder aaa/ is then not listed again: start-after skips the prefixes it
-- does not come before)
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$delimiter = '/' AND start_after = 'a'$$, 'pl_seq', pl_expected('', '/', 'a'));
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$delimiter = '/' AND start_after = 'aaa/0500'$$, 'pl_seq', pl_expected('', '/', 'aaa/0500'));

-- count(*), LIMIT and OFFSET
SELECT count(*) FROM pl_par7;
SELECT count(*) FROM pl_par7 WHERE delimiter = '/';
SELECT pl_diff(array_agg(key), (pl_expected())[1:5]) AS limit_5 FROM (SELECT key FROM pl_par7 LIMIT 5) s;
SELECT pl_diff(array_agg(key), (pl_expected())[101:1600]) AS offset_100_limit_1500
  FROM (SELECT key FROM pl_par7 OFFSET 100 LIMIT 1500) s;
SELECT pl_diff(array_agg(key), (pl_expected())[2891:2896]) AS offset_2890
  FROM (SELECT key FROM pl_par50 OFFSET 2890) s;

-- joins: with the keys made (a hash join), and a merge join that takes the
-- scan's own order of a key collated "C"
SELECT count(*) AS rows, count(p.key) AS listed, count(k.key) AS made
  FROM pl_par7 p FULL JOIN pkeys k USING (key);
CREATE FOREIGN TABLE pl_par7_c (key text COLLATE "C", size bigint, etag text) SERVER s3
  OPTIONS (bucket 'regress-plist', page_size '7');
CREATE TEMP TABLE pkeys_c AS SELECT key COLLATE "C" AS key FROM pkeys;
ANALYZE pkeys_c;
SET enable_hashjoin = off;
SET enable_nestloop = off;
SELECT count(*) AS rows, count(p.key) AS listed, count(k.key) AS made,
       bool_and(p.size = octet_length(k.key) AND p.etag = md5(k.key)) AS rows_ok
  FROM pl_par7_c p FULL JOIN pkeys_c k ON p.key = k.key;
RESET enable_hashjoin;
RESET enable_nestloop;
