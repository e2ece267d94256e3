--
-- listing_parallel: a partitioned listing (parallel_listing, the default:
-- after the first page, the rest of the key range listed in partitions
-- bounded by start-after, several pages in flight) gives exactly the rows of
-- the sequential page chain (parallel_listing 'false'), key for key, column
-- for column and in the same order: S3's, the order of the keys' UTF-8
-- bytes.  Each listing is compared in the scan's own order (no ORDER BY)
-- with a sequential listing and with the listing computed from the keys
-- that were created (test/listing_compare.sql's functions).
--
-- The bucket regress-plist holds 2,896 keys (test/s3tool.py's
-- partition_keys()): dense clusters (aaa/NNNN, aaa/subN/NNN, zzz/NNNN, é/N,
-- 日本/ファイル N, 😀/N) with wide empty ranges of the key space between
-- them, and under nine stems the edge cases: keys that are prefixes of
-- others (a, a/, a/b, ab), bytes below "/" (space, ! + - . and the control
-- characters tab, 0x01, 0x1f, and 0x7f), 2-, 3- and 4-byte UTF-8 (U+0080,
-- U+07FF, U+0800, U+FF66, U+FFFD, U+10000, U+1F600, U+10FFFF), keys that
-- differ only after a multibyte character.  Each object's body is its key.
-- Small pages (page_size 7, 50) make many partitions out of these keys,
-- most of them empty; pages of one key (page_size 1) make many more.
--
-- moto reads every key of the bucket for each request, so a request costs
-- about as much as a page of 1,000 keys: the whole bucket is listed in
-- pages of 7 once (414 pages); pages of 50, 7 and 1 otherwise list
-- prefixes, ranges after a start_after and delimiter listings, of tens to
-- hundreds of entries (1,100 at most), each compared with the sequential
-- chain in pages of 1,000.
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
CREATE FOREIGN TABLE pl_par :cols SERVER s3 OPTIONS (bucket 'regress-plist');
CREATE FOREIGN TABLE pl_par50 :cols SERVER s3 OPTIONS (bucket 'regress-plist', page_size '50');
CREATE FOREIGN TABLE pl_par7 :cols SERVER s3 OPTIONS (bucket 'regress-plist', page_size '7');
CREATE FOREIGN TABLE pl_par1 :cols SERVER s3 OPTIONS (bucket 'regress-plist', page_size '1');
-- one page in flight (the sequential chain: no partitions), and two
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

-- EXPLAIN says how each lists: every page, key ranges in parallel (up to
-- max_concurrency pages in flight), and the page size below 1,000; the
-- sequential chain says neither, whether the table or the server turned
-- partitions off
EXPLAIN (COSTS OFF) SELECT * FROM pl_par;
EXPLAIN (COSTS OFF) SELECT * FROM pl_par7;
EXPLAIN (COSTS OFF) SELECT * FROM pl_par7_two WHERE prefix = 'k';
EXPLAIN (COSTS OFF) SELECT * FROM pl_seq;
EXPLAIN (COSTS OFF) SELECT * FROM pl_par7_one;
EXPLAIN (COSTS OFF) SELECT * FROM pl_srv_seq7;
EXPLAIN (COSTS OFF) SELECT * FROM pl_srv_par7;
EXPLAIN (COSTS OFF) SELECT * FROM pl_srv_par50;
-- a LIMIT that S3's max-keys says is one page, not partitioned
EXPLAIN (COSTS OFF) SELECT key FROM pl_par7 LIMIT 5;
-- EXPLAIN ANALYZE counts the partitions (how many depends on the pages'
-- timing): several for pages of 7, also with two pages in flight, and for
-- pages of one key; none for a
-- listing that ends on its first page, nor for a sequential one (one page
-- in flight, or parallel_listing 'off')
CREATE FUNCTION pl_partitions(q text) RETURNS integer LANGUAGE sql AS $$
  SELECT coalesce(sum(substring(l FROM 'S3 List Partitions: ([0-9]+)')::integer), 0)::integer
    FROM s3_explain_analyze(q) l $$;
SELECT pl_partitions($$SELECT * FROM pl_par7 WHERE prefix = 'k'$$) > 1 AS pages_of_7,
       pl_partitions($$SELECT * FROM pl_par7_two WHERE prefix = 'k'$$) > 1 AS two_in_flight,
       pl_partitions($$SELECT * FROM pl_par1 WHERE prefix = 'k'$$) > 1 AS pages_of_1,
       pl_partitions($$SELECT * FROM pl_par7_one WHERE prefix = 'k'$$) AS one_in_flight,
       pl_partitions($$SELECT * FROM pl_par WHERE prefix = 'k'$$) AS one_page,
       pl_partitions($$SELECT * FROM pl_srv_seq7 WHERE prefix = 'k'$$) AS sequential;

-- the whole bucket: 2,896 keys in one listing, with pages of 1,000 and 7
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'], 'true', 'pl_seq', pl_expected());

-- prefixes: a table's, conditions' (a stem of the edge cases, clusters of
-- multibyte keys, the 1,100 keys under aaa/), and one that matches nothing;
-- one and two pages in flight, and the server's options against the table's
SELECT * FROM pl_compare(ARRAY['pl_par_jp'], 'true', 'pl_seq_jp', pl_expected('日本/'));
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7', 'pl_par1'],
  $$prefix = 'k'$$, 'pl_seq', pl_expected('k'));
SELECT * FROM pl_compare(ARRAY['pl_par7'], $$key ^@ 'é'$$, 'pl_seq', pl_expected('é'));
SELECT * FROM pl_compare(ARRAY['pl_par7'], $$key ^@ '😀'$$, 'pl_seq', pl_expected('😀'));
SELECT * FROM pl_compare(ARRAY['pl_par7_one', 'pl_par7_two', 'pl_srv_seq7', 'pl_srv_par7', 'pl_srv_par50'],
  $$prefix = '日本/'$$, 'pl_seq', pl_expected('日本/'));
SELECT * FROM pl_compare(ARRAY['pl_par50'], $$prefix = 'aaa/'$$, 'pl_seq', pl_expected('aaa/'));
SELECT * FROM pl_compare(ARRAY['pl_par7'], $$prefix = 'm'$$, 'pl_seq', pl_expected('m'));

-- start_after and key > / >= (under "C", sent as start-after): between the
-- clusters, inside one, at a multibyte key, at a tab and at 0x01, at the
-- last key
SELECT * FROM pl_compare(ARRAY['pl_par'],
  $$start_after = 'm'$$, 'pl_seq', pl_expected('', NULL, 'm'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$prefix = 'aaa/' AND key > 'aaa/0850' COLLATE "C"$$, 'pl_seq', pl_expected('aaa/', NULL, 'aaa/0850'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$prefix = 'k' AND key >= 'kaé1' COLLATE "C"$$, 'pl_seq', 'kaé1'::text || pl_expected('k', NULL, 'kaé1'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$start_after = '😀a😀'$$, 'pl_seq', pl_expected('', NULL, '😀a😀'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$start_after = E'😀a\t'$$, 'pl_seq', pl_expected('', NULL, E'😀a\t'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$prefix = '0/' AND start_after = E'0/a\x01b'$$, 'pl_seq', pl_expected('0/', NULL, E'0/a\x01b'));
SELECT key = E'\U0010FFFF/a\U0010FFFF' AS the_last_key FROM pkeys ORDER BY convert_to(key, 'UTF8') DESC LIMIT 1;
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$start_after = E'\U0010FFFF/a\U0010FFFF'$$, 'pl_seq', pl_expected('', NULL, E'\U0010FFFF/a\U0010FFFF'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$prefix = 'zzz/' AND start_after = 'zzz/0990'$$, 'pl_seq', pl_expected('zzz/', NULL, 'zzz/0990'));

-- a delimiter: keys and common prefixes, each prefix once however many keys
-- it rolls up and whichever partitions they fall in (aaa/ holds 1,100 keys,
-- zzz/ 1,000, 日本/ 244)
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7', 'pl_par7_two'],
  $$delimiter = '/'$$, 'pl_seq', pl_expected('', '/'));
\! python3 test/s3tool.py folders regress-plist aaa/ / | sed -E 's/, keys .*//'
SELECT * FROM pl_compare(ARRAY['pl_par50', 'pl_par7'],
  $$prefix = 'aaa/' AND delimiter = '/'$$, 'pl_seq', pl_expected('aaa/', '/'));
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$prefix = 'k' AND delimiter = '/'$$, 'pl_seq', pl_expected('k', '/'));
-- a multibyte delimiter (after zzzz: the folder é rolls up 144 keys), and
-- one below "/" (日本/ファイル rolls up 200)
SELECT * FROM pl_compare(ARRAY['pl_par7'],
  $$delimiter = 'é' AND start_after = 'zzzz'$$, 'pl_seq', pl_expected('', 'é', 'zzzz'));
SELECT * FROM pl_compare(ARRAY['pl_par7', 'pl_par1'],
  $$prefix = 'k' AND delimiter = 'é'$$, 'pl_seq', pl_expected('k', 'é'));
SELECT * FROM pl_compare(ARRAY['pl_par7', 'pl_par7_two'],
  $$prefix = '日本/' AND delimiter = ' '$$, 'pl_seq', pl_expected('日本/', ' '));
-- a delimiter and start_after: after a prefix's keys, and inside them (the
-- folder aaa/ is then not listed again: start-after skips the prefixes it
-- does not come before)
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$delimiter = '/' AND start_after = 'a'$$, 'pl_seq', pl_expected('', '/', 'a'));
SELECT * FROM pl_compare(ARRAY['pl_par', 'pl_par7'],
  $$delimiter = '/' AND start_after = 'aaa/0500'$$, 'pl_seq', pl_expected('', '/', 'aaa/0500'));

-- count(*), LIMIT and OFFSET (pushed down as max-keys, a LIMIT is one
-- page); a LIMIT above a filter S3 cannot apply stops
-- a partitioned listing in its middle, its pages in flight dropped
SELECT count(*) FROM pl_par;
SELECT pl_diff(array_agg(key), (pl_expected())[1:5]) AS limit_5 FROM (SELECT key FROM pl_par7 LIMIT 5) s;
EXPLAIN (COSTS OFF) SELECT key FROM pl_par7 WHERE size > 0 OFFSET 100 LIMIT 150;
SELECT pl_diff(array_agg(key), (pl_expected())[101:250]) AS offset_100_limit_150
  FROM (SELECT key FROM pl_par7 WHERE size > 0 OFFSET 100 LIMIT 150) s;

-- the order: a key collated "C" sorts as S3 lists (the bytes of UTF-8), so
-- the scan gives ORDER BY key and a merge join as it comes (no Sort); the
-- database's default collation does not, nor does a list of prefixes (its
-- listings one after another, in the list's order)
SELECT datcollate NOT IN ('C', 'POSIX') AS default_collation_not_c FROM pg_database
 WHERE datname = current_database();
CREATE FOREIGN TABLE pl_c (key text COLLATE "C", size bigint, etag text, prefix text) SERVER s3
  OPTIONS (bucket 'regress-plist');
CREATE FOREIGN TABLE pl_c_jp (key text COLLATE "C", size bigint, etag text) SERVER s3
  OPTIONS (bucket 'regress-plist', prefix '日本/', page_size '7');
EXPLAIN (COSTS OFF) SELECT key FROM pl_c ORDER BY key;
EXPLAIN (COSTS OFF) SELECT key FROM pl_par ORDER BY key;
EXPLAIN (COSTS OFF) SELECT key FROM pl_c WHERE prefix IN ('k', '0/') ORDER BY key;
SELECT pl_diff(array_agg(key), pl_expected('k') || pl_expected('0/')) AS in_the_list_order
  FROM pl_c WHERE prefix IN ('k', '0/');
-- a merge join of two listings, and of the whole bucket with the keys made
-- (a temporary table, sorted): it finds every key only if the listing
-- comes in order
SET enable_hashjoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM pl_c a JOIN pl_c_jp b ON a.key = b.key WHERE a.prefix = '日本/';
SELECT count(*) AS rows, bool_and(a.etag = b.etag AND a.size = octet_length(b.key)) AS rows_ok
  FROM pl_c a JOIN pl_c_jp b ON a.key = b.key WHERE a.prefix = '日本/';
CREATE TEMP TABLE pkeys_c AS SELECT key COLLATE "C" AS key FROM pkeys;
ANALYZE pkeys_c;
EXPLAIN (COSTS OFF) SELECT count(*) FROM pl_c p JOIN pkeys_c k ON p.key = k.key;
SELECT count(*) AS rows, bool_and(p.size = octet_length(k.key) AND p.etag = md5(k.key)) AS rows_ok
  FROM pl_c p JOIN pkeys_c k ON p.key = k.key;
-- (a FULL JOIN's condition makes no equivalence class, and the scan offers
-- its order only for those and ORDER BY: it is sorted there)
EXPLAIN (COSTS OFF) SELECT count(*) FROM pl_c p FULL JOIN pkeys_c k ON p.key = k.key;
RESET enable_hashjoin;
RESET enable_nestloop;
-- a hash join with the keys made
SELECT count(*) AS rows, count(p.key) AS listed, count(k.key) AS made
  FROM (SELECT key FROM pl_par7 WHERE prefix = '日本/') p
  FULL JOIN (SELECT key FROM pkeys WHERE key ^@ '日本/') k USING (key);

-- DELETE and UPDATE find their rows with a partitioned listing: a bucket of
-- its own, 100 objects under del/, 30 under upd/, 10 under keep/
SELECT s3_create_bucket('s3', 'regress-plist-w');
CREATE FOREIGN TABLE plw (key text, content bytea, size bigint, prefix text) SERVER s3
  OPTIONS (bucket 'regress-plist-w', page_size '7');
INSERT INTO plw (key, content)
SELECT d || lpad(i::text, 3, '0'), convert_to(d || i, 'UTF8')
  FROM (VALUES ('del/', 100), ('upd/', 30), ('keep/', 10)) v (d, n), generate_series(1, n) i;
SELECT pl_partitions($$SELECT key FROM plw WHERE prefix = 'del/'$$) > 1 AS partitioned;
EXPLAIN (COSTS OFF) DELETE FROM plw WHERE prefix = 'del/';
DELETE FROM plw WHERE prefix = 'del/';
SELECT count(*) FILTER (WHERE key ^@ 'del/') AS del, count(*) FILTER (WHERE key ^@ 'upd/') AS upd,
       count(*) FILTER (WHERE key ^@ 'keep/') AS keep FROM plw;
EXPLAIN (COSTS OFF) UPDATE plw SET content = convert_to('updated', 'UTF8') WHERE prefix = 'upd/' AND key ~ '[05]$';
UPDATE plw SET content = convert_to('updated', 'UTF8') WHERE prefix = 'upd/' AND key ~ '[05]$'
RETURNING key;
SELECT key, convert_from(content, 'UTF8') FROM plw WHERE prefix = 'upd/' AND size = 7 ORDER BY key;
SELECT count(*) AS unchanged FROM plw WHERE prefix = 'upd/' AND size <> 7;
