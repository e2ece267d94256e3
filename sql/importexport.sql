--
-- importexport: s3_import (COPY FROM an object, read in ranged chunks with
-- If-Match, gzip inflated) and s3_export (COPY TO of a query, streamed into
-- a multipart upload).  Against moto with signatures checked: what s3_fdw
-- writes is read back with boto3 and compared byte for byte with the same
-- COPY TO into a local file; what boto3 writes is loaded and compared with a
-- local COPY FROM of the same bytes.  test/fakes/fault_server.py in front of
-- moto makes parts and chunks fail or hang.
--
\getenv endpoint S3FDW_ENDPOINT
\getenv fault_endpoint S3FDW_FAULT_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
SET extra_float_digits = 1;
-- parts of 5 MB (S3's smallest), 4 in flight; the same through the faulty S3
CREATE SERVER io FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'endpoint', part_size '5MB', multipart_threshold '5MB', max_concurrency '4');
CREATE USER MAPPING FOR PUBLIC SERVER io OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE SERVER iof FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', part_size '5MB', multipart_threshold '5MB', max_concurrency '4');
CREATE USER MAPPING FOR PUBLIC SERVER iof OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_create_bucket('io', 'regress-io');

-- a small round trip: one PUT, parts 1
CREATE TABLE io_small (id int, name text);
INSERT INTO io_small VALUES (1, 'one'), (2, 'two, "2"'), (3, NULL);
SELECT * FROM s3_export('io', 'SELECT * FROM io_small ORDER BY id', 'regress-io', 'small.csv');
\! python3 test/s3tool.py object regress-io small.csv
SELECT s3_read_text('io', 'regress-io', 'small.csv');
CREATE TABLE io_small2 (LIKE io_small);
SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2');
SELECT * FROM io_small2 ORDER BY id;
-- no rows: an empty object, or the header alone
SELECT * FROM s3_export('io', 'SELECT * FROM io_small WHERE false', 'regress-io', 'empty.csv');
SELECT * FROM s3_export('io', 'SELECT * FROM io_small WHERE false', 'regress-io', 'header.csv', 'format csv, header');
SELECT s3_read_text('io', 'regress-io', 'header.csv');
SELECT s3_import('io', 'regress-io', 'empty.csv', 'io_small2');
SELECT s3_import('io', 'regress-io', 'header.csv', 'io_small2', options => 'format csv, header match');
-- as aws_s3 writes them: '' for every column, the options in parentheses
TRUNCATE io_small2;
SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', '', '(format csv)');
SELECT s3_import('io', 'regress-io', 'header.csv', 'io_small2', ' ', ' ( format csv, header true ) ');
SELECT count(*) FROM io_small2;
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', '', '(format csv) , (header true)')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', '', '(format csv) WHERE (true)')$$);
SELECT rows FROM s3_export('io', 'SELECT 1', 'regress-io', 'paren.csv', '(format csv, header true)');
SELECT s3_read_text('io', 'regress-io', 'paren.csv');

-- 200,000 rows of the common types: NULLs, quotes, delimiters, newlines,
-- backslashes, unicode
CREATE TABLE io_rows AS
SELECT i AS id,
       i::bigint * 1000003 * CASE WHEN i % 2 = 0 THEN -1 ELSE 1 END AS big,
       CASE WHEN i % 11 = 0 THEN NULL ELSE round(i / 7.0, 6) END AS num,
       CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN 'plain ' || i WHEN 2 THEN 'quote " and '' ' || i
                  WHEN 3 THEN E'comma, tab\t and\nnewline\r\n' || i WHEN 4 THEN 'unicode é ü 日本 😀 ' || i
                  WHEN 5 THEN E'back\\slash \\N .' || i ELSE '' END AS txt,
       CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
       date '2000-01-01' + i % 10000 AS day,
       timestamptz '2020-01-01 00:00:00+00' + i * interval '67.125 seconds' AS at,
       CASE WHEN i % 13 = 0 THEN NULL ELSE decode(md5(i::text), 'hex') END AS raw,
       jsonb_build_object('i', i, 's', 'x"y\' || i, 'a', jsonb_build_array(i, NULL, true)) AS doc,
       ARRAY[i, NULL, -i] AS ints,
       ARRAY['a,b', 'c"d', NULL, '', E'e\nf'] AS texts
  FROM generate_series(1, 200000) i;
SELECT count(*), count(txt), count(raw) FROM io_rows;

-- csv with a header: several parts, the same bytes as COPY TO a file
COPY (SELECT * FROM io_rows ORDER BY id) TO '/tmp/s3fdw_io.csv' WITH (format csv, header true);
SELECT rows, parts > 1 AS multipart, bytes = (SELECT (pg_stat_file('/tmp/s3fdw_io.csv')).size) AS bytes_as_file
  FROM s3_export('io', 'SELECT * FROM io_rows ORDER BY id', 'regress-io', 'rows.csv', 'format csv, header true');
\! python3 test/s3tool.py compare regress-io rows.csv /tmp/s3fdw_io.csv
\! python3 test/s3tool.py object regress-io rows.csv | sed -E 's/[0-9]+ bytes/N bytes/; s/[0-9]+ part/N part/'
-- text, and binary
SELECT rows, parts > 1 AS multipart FROM s3_export('io', 'TABLE io_rows', 'regress-io', 'rows.txt', 'format text');
COPY io_rows TO '/tmp/s3fdw_io.txt';
\! python3 test/s3tool.py compare regress-io rows.txt /tmp/s3fdw_io.txt
SELECT rows, parts > 1 AS multipart FROM s3_export('io', 'SELECT * FROM io_rows ORDER BY id', 'regress-io', 'rows.bin', 'format binary');
COPY (SELECT * FROM io_rows ORDER BY id) TO '/tmp/s3fdw_io.bin' WITH (format binary);
\! python3 test/s3tool.py compare regress-io rows.bin /tmp/s3fdw_io.bin
\! python3 test/s3tool.py object regress-io rows.bin | sed -E 's/[0-9]+ bytes/N bytes/; s/[0-9]+ part/N part/'
-- COPY's options: delimiter, quoting, NULL, encoding
SELECT rows FROM s3_export('io', $$SELECT id, txt || ' €' AS txt, day FROM io_rows WHERE id <= 1000 AND id % 7 <> 4 ORDER BY id$$, 'regress-io', 'opts.csv',
                           $$format csv, delimiter ';', quote '''', force_quote (txt), null 'NULL', encoding 'LATIN9'$$);
COPY (SELECT id, txt || ' €' AS txt, day FROM io_rows WHERE id <= 1000 AND id % 7 <> 4 ORDER BY id) TO '/tmp/s3fdw_io_opts.csv'
  WITH (format csv, delimiter ';', quote '''', force_quote (txt), null 'NULL', encoding 'LATIN9');
\! python3 test/s3tool.py compare regress-io opts.csv /tmp/s3fdw_io_opts.csv
-- gzip on the fly: Content-Encoding gzip, the same bytes once decompressed
SELECT rows, parts, bytes < (SELECT (pg_stat_file('/tmp/s3fdw_io.csv')).size) / 2 AS compressed
  FROM s3_export('io', 'SELECT * FROM io_rows ORDER BY id', 'regress-io', 'rows.csv.gz', 'format csv, header true, compression gzip');
\! python3 test/s3tool.py compare regress-io rows.csv.gz /tmp/s3fdw_io.csv gunzip
\! python3 test/s3tool.py object regress-io rows.csv.gz | sed -E 's/[0-9]+ bytes/N bytes/'

-- imports: what s3_fdw exported, back into tables
CREATE TABLE io_in (LIKE io_rows);
SELECT s3_import('io', 'regress-io', 'rows.txt', 'io_in', options => 'format text');
SELECT count(*) AS differences FROM ((TABLE io_in EXCEPT ALL TABLE io_rows) UNION ALL (TABLE io_rows EXCEPT ALL TABLE io_in)) d;
TRUNCATE io_in;
SELECT s3_import('io', 'regress-io', 'rows.bin', 'io_in', options => 'format binary');
SELECT count(*) AS differences FROM ((TABLE io_in EXCEPT ALL TABLE io_rows) UNION ALL (TABLE io_rows EXCEPT ALL TABLE io_in)) d;
TRUNCATE io_in;
-- gzip by its Content-Encoding (and the key)
SELECT s3_import('io', 'regress-io', 'rows.csv.gz', 'io_in', options => 'format csv, header true');
SELECT count(*) AS differences FROM ((TABLE io_in EXCEPT ALL TABLE io_rows) UNION ALL (TABLE io_rows EXCEPT ALL TABLE io_in)) d;
TRUNCATE io_in;
-- files boto3 wrote (70,000 rows, three chunks), against COPY FROM the same bytes in a local file
COPY (SELECT * FROM io_rows WHERE id <= 70000 ORDER BY id) TO '/tmp/s3fdw_io_70k.csv' WITH (format csv, header true);
CREATE TABLE io_local (LIKE io_rows);
COPY io_local FROM '/tmp/s3fdw_io_70k.csv' WITH (format csv, header true);
\! python3 test/s3tool.py put-file regress-io boto/plain.csv /tmp/s3fdw_io_70k.csv | sed -E 's/[0-9]+ bytes/N bytes/'
\! python3 test/s3tool.py put-file regress-io boto/encoded.csv /tmp/s3fdw_io_70k.csv gzip | sed -E 's/[0-9]+ bytes/N bytes/'
\! python3 test/s3tool.py put-file regress-io boto/named.csv.gz /tmp/s3fdw_io_70k.csv gzip-name | sed -E 's/[0-9]+ bytes/N bytes/'
\! python3 test/s3tool.py put-file regress-io boto/members.csv.gz /tmp/s3fdw_io_70k.csv gzip2 | sed -E 's/[0-9]+ bytes/N bytes/'
CREATE FUNCTION io_check(k text) RETURNS TABLE (key text, loaded bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE io_in;
  key := k;
  loaded := s3_import('io', 'regress-io', k, 'io_in', options => 'format csv, header true');
  SELECT count(*) INTO differences
    FROM ((TABLE io_in EXCEPT ALL TABLE io_local) UNION ALL (TABLE io_local EXCEPT ALL TABLE io_in)) d;
  RETURN NEXT;
END $$;
SELECT c.* FROM unnest(ARRAY['boto/plain.csv', 'boto/encoded.csv', 'boto/named.csv.gz', 'boto/members.csv.gz']) k,
  LATERAL io_check(k) c;
-- compression 'none' reads a .gz as it is stored, which COPY then refuses
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'boto/named.csv.gz', 'io_in', options => 'format text, compression none')$$) ~ '^22' AS copy_refused;
-- compression 'gzip' inflates whatever the name
\! python3 test/s3tool.py put-file regress-io boto/unnamed /tmp/s3fdw_io_70k.csv gzip-name | sed -E 's/[0-9]+ bytes/N bytes/'
TRUNCATE io_in;
SELECT s3_import('io', 'regress-io', 'boto/unnamed', 'io_in', options => 'format csv, header true, compression gzip');
SELECT count(*) AS differences FROM ((TABLE io_in EXCEPT ALL TABLE io_local) UNION ALL (TABLE io_local EXCEPT ALL TABLE io_in)) d;
-- a column list, the other columns take their defaults
CREATE TABLE io_cols (id int, txt text, day date, note text DEFAULT 'default');
SELECT s3_import('io', 'regress-io', 'opts.csv', 'io_cols', 'id, txt, day',
                 $$format csv, delimiter ';', quote '''', null 'NULL', encoding 'LATIN9'$$) AS loaded;
SELECT count(*), count(DISTINCT note), min(note) FROM io_cols;

-- a malformed row: COPY's error with its line number, and nothing loaded
\! python3 test/s3tool.py put regress-io bad.csv "$(printf '1,a\n2,b\nthree,c\n4,d\n')"
TRUNCATE io_small2;
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'bad.csv', 'io_small2')$$);
SELECT count(*) FROM io_small2;
-- gzip that is not: corrupt, and cut short
\! python3 test/s3tool.py put regress-io notgzip.csv.gz 'this is not gzip'
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'notgzip.csv.gz', 'io_small2')$$);
COPY io_small TO '/tmp/s3fdw_io_small.csv' WITH (format csv);
\! python3 test/s3tool.py put-file regress-io boto/cut.csv.gz /tmp/s3fdw_io_small.csv gzip-cut | sed -E 's/[0-9]+ bytes/N bytes/'
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'boto/cut.csv.gz', 'io_small2')$$);
-- a missing object, a missing bucket
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'no/such.csv', 'io_small2')$$);
SELECT s3_try($$SELECT s3_import('io', 'no-such-bucket-io', 'x.csv', 'io_small2')$$);

-- options: COPY's own errors for COPY's options
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => 'format csv, bogus true')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => 'format xml')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => 'format csv, format text')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', 'id, nosuch')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'regress-io', 'x.csv', 'format csv, force_not_null (id)')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'regress-io', 'x.csv', 'format csv, header match')$$);
-- ours
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => 'compression zip')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'regress-io', 'x.csv', 'compression auto')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => 'compression gzip, compression none')$$);
-- nothing in options or columns can end COPY's statement and start another
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => 'format csv); DROP TABLE io_small; --')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => E'format csv) WHERE false --\n')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', 'id) FROM PROGRAM ''touch /tmp/s3fdw_pwned'' --')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => 'format csv) TO STDOUT (format csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'regress-io', 'x.csv', 'format csv); DROP TABLE io_small; --')$$);
SELECT count(*) AS io_small_still_there FROM io_small;
\! test -e /tmp/s3fdw_pwned && echo "PROGRAM ran" || echo "no program ran"
-- the query: one statement COPY takes
SELECT s3_try($$SELECT * FROM s3_export('io', 'SELECT 1; DROP TABLE io_small', 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', '', 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'CREATE TABLE io_x (a int)', 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'DELETE FROM io_small', 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'SELECT * INTO io_x FROM io_small', 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'SELECT nosuch FROM io_small', 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'SELEC 1', 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'SELECT 1/0', 'regress-io', 'x.csv')$$);
\! python3 test/s3tool.py exists regress-io x.csv
-- DML with RETURNING is exported (and done)
SELECT * FROM s3_export('io', 'UPDATE io_small SET name = upper(name) WHERE id = 1 RETURNING *', 'regress-io', 'updated.csv');
SELECT s3_read_text('io', 'regress-io', 'updated.csv');
-- NULL arguments, a bad key, before anything is sent or run
SELECT s3_try($$SELECT s3_import(NULL, 'regress-io', 'small.csv', 'io_small2')$$);
SELECT s3_try($$SELECT s3_import('io', NULL, 'small.csv', 'io_small2')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', NULL, 'io_small2')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', NULL)$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2', options => NULL)$$);
SELECT s3_try($$SELECT * FROM s3_export(NULL, 'TABLE io_small', 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', NULL, 'regress-io', 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', NULL, 'x.csv')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'regress-io', NULL)$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'regress-io', 'x.csv', NULL)$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'regress-io', '')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'Bad_Bucket', 'x.csv')$$);
-- the target: a table COPY can load
CREATE VIEW io_view AS SELECT * FROM io_small;
CREATE SEQUENCE io_seq;
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_view')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_seq')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_nosuch')$$);
-- privileges: USAGE on the server, INSERT on the table (or the columns), no row-level security
GRANT USAGE ON FOREIGN SERVER io TO regress_s3_user;
SELECT s3_upload('io', 'regress-io', 'ids.csv', E'4\n5\n') IS NOT NULL AS uploaded;
CREATE TABLE io_rls (id int, name text);
ALTER TABLE io_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY io_all ON io_rls USING (true) WITH CHECK (true);
GRANT INSERT ON io_rls TO regress_s3_user;
GRANT INSERT (id) ON io_small2 TO regress_s3_user;
SET ROLE regress_s3_user;
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_small2')$$);
SELECT s3_import('io', 'regress-io', 'ids.csv', 'io_small2', 'id') AS id_only;
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'small.csv', 'io_rls')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'TABLE io_small', 'regress-io', 'x.csv')$$);
RESET ROLE;
SET ROLE regress_s3_outsider;
SELECT s3_try($$SELECT * FROM s3_export('io', 'SELECT 1', 'regress-io', 'x.csv')$$);
RESET ROLE;

-- faults: a 503 burst on a part of an export is tried again for that part alone
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT rows, parts > 2 AS multipart FROM s3_export('iof', 'SELECT * FROM io_rows WHERE id <= 70000 ORDER BY id', 'regress-io', 'partflaky/rows.csv', 'format csv, header true');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress-io/partflaky/rows.csv%231"
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress-io/partflaky/rows.csv%232"
\! python3 test/s3tool.py compare regress-io partflaky/rows.csv /tmp/s3fdw_io_70k.csv
-- parts in flight: max_concurrency of them, but no more than 64 MB in all
-- (16 MB parts: 4 at once, each PUT held 200 ms by the faulty S3)
CREATE SERVER iof16 FOREIGN DATA WRAPPER s3_fdw
  OPTIONS (endpoint :'fault_endpoint', part_size '16MB', multipart_threshold '16MB', max_concurrency '16');
CREATE USER MAPPING FOR PUBLIC SERVER iof16 OPTIONS (access_key_id :'ak', secret_access_key :'sk');
\! curl -s -X POST "$S3FDW_FAULT_ENDPOINT/__reset"
SELECT rows, parts FROM s3_export('iof16', 'SELECT repeat(''x'', 1023) FROM generate_series(1, 100000)', 'regress-io', 'slowput/big.txt', 'format text');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__peak"
SELECT size FROM s3_head('io', 'regress-io', 'slowput/big.txt');
SELECT s3_remove('io', 'regress-io', 'slowput/big.txt');
DROP SERVER iof16 CASCADE;
-- and on a chunk of an import
\! python3 test/s3tool.py put-file regress-io chunkflaky/rows.csv /tmp/s3fdw_io_70k.csv | sed -E 's/[0-9]+ bytes/N bytes/'
TRUNCATE io_in;
SELECT s3_import('iof', 'regress-io', 'chunkflaky/rows.csv', 'io_in', options => 'format csv, header true');
\! curl -s "$S3FDW_FAULT_ENDPOINT/__tries?path=/regress-io/chunkflaky/rows.csv%23bytes=8388608-16777215"
SELECT count(*) AS differences FROM ((TABLE io_in EXCEPT ALL TABLE io_local) UNION ALL (TABLE io_local EXCEPT ALL TABLE io_in)) d;
-- a chunk answered with other bytes than it asked for (206 from byte 0, of
-- the right length, as its Content-Range says): 08P01, and nothing loaded
COPY (SELECT lpad(i::text, 11, '0') FROM generate_series(1, 1500000) i) TO '/tmp/s3fdw_io_lines.txt';
\! python3 test/s3tool.py put-file regress-io rangezero/lines.txt /tmp/s3fdw_io_lines.txt | sed -E 's/[0-9]+ bytes/N bytes/'
CREATE TABLE io_lines (v text);
-- (the line COPY had reached depends on its buffering: masked)
SELECT regexp_replace(s3_try($$SELECT s3_import('iof', 'regress-io', 'rangezero/lines.txt', 'io_lines')$$), 'line [0-9]+', 'line N') AS s3_try;
SELECT count(*) AS loaded FROM io_lines;
-- the same object, straight from moto: every line once
SELECT s3_import('io', 'regress-io', 'rangezero/lines.txt', 'io_lines');
SELECT count(*) AS loaded, count(DISTINCT v) AS distinct_lines FROM io_lines;
DROP TABLE io_lines;
\! rm -f /tmp/s3fdw_io_lines.txt
-- an object replaced during an import (If-Match answered 412)
\! python3 test/s3tool.py put regress-io changed/x.csv '1,a'
SELECT s3_try($$SELECT s3_import('iof', 'regress-io', 'changed/x.csv', 'io_small2')$$);
-- a part that always fails: the error, no object, no upload left
SELECT s3_try($$SELECT * FROM s3_export('iof', 'SELECT * FROM io_rows', 'regress-io', 'partfail/rows.csv')$$);
\! python3 test/s3tool.py uploads regress-io
\! python3 test/s3tool.py exists regress-io partfail/rows.csv
-- statement_timeout with parts hanging: ended quickly, aborted
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
SET statement_timeout = '1s';
SELECT * FROM s3_export('iof', 'SELECT * FROM io_rows', 'regress-io', 'partslow/rows.csv');
RESET statement_timeout;
SELECT clock_timestamp() - t < interval '4 s' AS ended_quickly FROM t0;
\! python3 test/s3tool.py uploads regress-io
\! python3 test/s3tool.py exists regress-io partslow/rows.csv
-- in a subtransaction; the session goes on, and its client still gets NOTICEs
DO $$
BEGIN
  PERFORM * FROM s3_export('iof', 'SELECT * FROM io_rows', 'regress-io', 'partfail/again.csv');
EXCEPTION WHEN fdw_error THEN
  RAISE NOTICE 'caught %', sqlstate;
END $$;
CREATE FUNCTION io_notice(i int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  IF i = 2 THEN RAISE NOTICE 'row % exported', i; END IF;
  RETURN i;
END $$;
SELECT * FROM s3_export('io', 'SELECT io_notice(i) FROM generate_series(1, 3) i', 'regress-io', 'notice.csv');
SELECT s3_read_text('io', 'regress-io', 'notice.csv');

-- from another session: pg_stat_progress_copy shows the export and the
-- import while they run, and a cancel ends them cleanly
\! psql -X -q -d contrib_regression -c "SELECT * FROM s3_export('iof', 'SELECT * FROM io_rows', 'regress-io', 'partslow/progress.csv')" >/tmp/s3fdw_io_bg.out 2>&1 &
CREATE FUNCTION io_wait(pattern text, want_bytes boolean) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..300 LOOP
    IF EXISTS (SELECT FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
                WHERE a.query LIKE pattern AND a.pid <> pg_backend_pid()
                  AND (NOT want_bytes OR p.bytes_processed > 0)) THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.1);
    PERFORM pg_stat_clear_snapshot();
  END LOOP;
  RETURN false;
END $$;
CREATE FUNCTION io_gone(pattern text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..300 LOOP
    IF NOT EXISTS (SELECT FROM pg_stat_activity WHERE query LIKE pattern AND pid <> pg_backend_pid()) THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.1);
    PERFORM pg_stat_clear_snapshot();
  END LOOP;
  RETURN false;
END $$;
SELECT io_wait('%partslow/progress.csv%', true) AS export_seen;
SELECT p.command, p.type, p.bytes_processed > 0 AS bytes, p.tuples_processed > 0 AS tuples
  FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
 WHERE a.query LIKE '%partslow/progress.csv%' AND a.pid <> pg_backend_pid();
-- (the cancel waits until the upload has begun: one that comes while
-- CreateMultipartUpload is on its way leaves no id to abort, see README)
\! for i in $(seq 1 50); do python3 test/s3tool.py uploads regress-io | grep -q '^1 multipart' && break; sleep 0.2; done
SELECT pg_cancel_backend(pid) FROM pg_stat_activity
 WHERE query LIKE '%partslow/progress.csv%' AND pid <> pg_backend_pid();
SELECT io_gone('%partslow/progress.csv%') AS export_ended;
\! cat /tmp/s3fdw_io_bg.out
\! python3 test/s3tool.py uploads regress-io
\! python3 test/s3tool.py exists regress-io partslow/progress.csv
-- an import whose first chunk comes and the next ones hang
\! python3 test/s3tool.py put-file regress-io chunkslow/rows.csv /tmp/s3fdw_io_70k.csv | sed -E 's/[0-9]+ bytes/N bytes/'
\! psql -X -q -d contrib_regression -c "SELECT s3_import('iof', 'regress-io', 'chunkslow/rows.csv', 'io_in', options => 'format csv, header true')" >/tmp/s3fdw_io_bg.out 2>&1 &
SELECT io_wait('%chunkslow/rows.csv%', true) AS import_seen;
SELECT p.command, p.type, p.relid::regclass, p.bytes_processed > 0 AS bytes,
       p.bytes_total = (SELECT (pg_stat_file('/tmp/s3fdw_io_70k.csv')).size) AS total_is_size,
       p.tuples_processed > 0 AS tuples
  FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
 WHERE a.query LIKE '%chunkslow/rows.csv%' AND a.pid <> pg_backend_pid();
SELECT pg_cancel_backend(pid) FROM pg_stat_activity
 WHERE query LIKE '%chunkslow/rows.csv%' AND pid <> pg_backend_pid();
SELECT io_gone('%chunkslow/rows.csv%') AS import_ended;
\! grep -E '^(ERROR|CONTEXT)' /tmp/s3fdw_io_bg.out | sed -E 's/line [0-9]+.*/line N/'

-- automation: every object under a prefix loaded in one statement, the
-- listing table joined with s3_import (as in the README)
\! python3 test/s3tool.py put regress-io daily/2026-11-24.csv "$(printf '1,a\n2,b\n')"
\! python3 test/s3tool.py put regress-io daily/2026-11-25.csv "$(printf '3,c\n')"
\! python3 test/s3tool.py put regress-io daily/2026-11-26.csv.gz "$(printf 'not loaded: the pattern leaves it out')"
CREATE FOREIGN TABLE io_listing (key text, size bigint) SERVER io OPTIONS (bucket 'regress-io');
CREATE TABLE io_daily (id int, name text);
SELECT key, s3_import('io', 'regress-io', key, 'io_daily') AS rows
  FROM io_listing WHERE key LIKE 'daily/2026-11-2%.csv' ORDER BY key;
SELECT * FROM io_daily ORDER BY id;

-- max_line_bytes: a line longer than the bound is refused before COPY holds
-- it (54000), in text, csv (quoted newlines are inside the line) and binary
CREATE TABLE io_line (t text);
\! python3 -c "import sys; sys.stdout.write('short\n' + 'x' * 2000 + '\n')" > /tmp/s3fdw_io_line.txt
\! python3 test/s3tool.py put-file regress-io line/long.txt /tmp/s3fdw_io_line.txt | sed -E 's/[0-9]+ bytes/N bytes/'
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'line/long.txt', 'io_line', options => 'format text, max_line_bytes 1024')$$);
SELECT count(*) FROM io_line;
SELECT s3_import('io', 'regress-io', 'line/long.txt', 'io_line', options => 'format text, max_line_bytes 2001');
SELECT length(t) FROM io_line ORDER BY 1;
TRUNCATE io_line;
\! python3 -c "import sys; sys.stdout.write('a\n\"' + 'y\n' * 1000 + '\"\n')" > /tmp/s3fdw_io_line.csv
\! python3 test/s3tool.py put-file regress-io line/quoted.csv /tmp/s3fdw_io_line.csv | sed -E 's/[0-9]+ bytes/N bytes/'
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'line/quoted.csv', 'io_line', options => 'format csv, max_line_bytes 1024')$$);
SELECT s3_import('io', 'regress-io', 'line/quoted.csv', 'io_line', options => 'format csv, max_line_bytes 4096');
SELECT length(t) FROM io_line ORDER BY 1;
TRUNCATE io_line;
COPY (SELECT repeat('z', 5000) UNION ALL SELECT 'b') TO '/tmp/s3fdw_io_line.bin' WITH (format binary);
\! python3 test/s3tool.py put-file regress-io line/long.bin /tmp/s3fdw_io_line.bin | sed -E 's/[0-9]+ bytes/N bytes/'
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'line/long.bin', 'io_line', options => 'format binary, max_line_bytes 4096')$$);
SELECT s3_import('io', 'regress-io', 'line/long.bin', 'io_line', options => 'format binary');
SELECT length(t) FROM io_line ORDER BY 1;
-- the option is checked before any request, and is an import's only
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'line/long.txt', 'io_line', options => 'max_line_bytes 10')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'line/long.txt', 'io_line', options => 'max_line_bytes 2000000000')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'line/long.txt', 'io_line', options => 'max_line_bytes lots')$$);
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'line/long.txt', 'io_line', options => 'max_line_bytes 2048, max_line_bytes 4096')$$);
SELECT s3_try($$SELECT * FROM s3_export('io', 'SELECT 1', 'regress-io', 'line/x.csv', 'max_line_bytes 2048')$$);

-- a gzip object of 80 kB that inflates to one line of 80 MB: refused at the
-- default bound (64 MB) with the backend's peak far below COPY's 1 GB
\c
\! python3 -c "import gzip, sys; sys.stdout.buffer.write(gzip.compress(b'x' * (80 << 20)))" > /tmp/s3fdw_io_bomb.gz
\! python3 test/s3tool.py put-file regress-io line/bomb.csv.gz /tmp/s3fdw_io_bomb.gz | sed -E 's/[0-9]+ bytes/N bytes/'
CREATE FUNCTION io_hwm() RETURNS bigint LANGUAGE sql AS
  $$ SELECT substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\s+(\d+) kB')::bigint $$;
SELECT count(*) AS warmed_up FROM s3_head('io', 'regress-io', 'small.csv');
CREATE TEMP TABLE hwm AS SELECT io_hwm() AS at_rest;
SELECT s3_try($$SELECT s3_import('io', 'regress-io', 'line/bomb.csv.gz', 'io_line')$$);
SELECT io_hwm() - at_rest < 200 * 1024 AS under_200mb FROM hwm;
DROP FUNCTION io_hwm();
DROP TABLE io_line;
\! rm -f /tmp/s3fdw_io_line.txt /tmp/s3fdw_io_line.csv /tmp/s3fdw_io_line.bin /tmp/s3fdw_io_bomb.gz

-- memory: exporting 300 MB and importing it back keep the backend's peak
-- (VmHWM) less than 100 MB above what it was at rest
\c
SET timezone = 'UTC';
CREATE FUNCTION io_hwm() RETURNS bigint LANGUAGE sql AS
  $$ SELECT substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\s+(\d+) kB')::bigint $$;
SELECT count(*) AS warmed_up FROM s3_head('io', 'regress-io', 'small.csv');
CREATE TEMP TABLE hwm AS SELECT io_hwm() AS at_rest;
SELECT rows, bytes > 300 * 1024 * 1024 AS over_300mb, parts FROM s3_export('io',
  $$SELECT i, repeat(md5(i::text), 31) FROM generate_series(1, 320000) i$$, 'regress-io', 'big.csv');
SELECT io_hwm() - at_rest < 100 * 1024 AS export_under_100mb FROM hwm;
CREATE TABLE io_big (i int, t text);
SELECT s3_import('io', 'regress-io', 'big.csv', 'io_big');
SELECT io_hwm() - at_rest < 100 * 1024 AS import_under_100mb FROM hwm;
SELECT count(*), sum(length(t)) FROM io_big;
DROP TABLE io_big;
\! rm -f /tmp/s3fdw_io.csv /tmp/s3fdw_io.txt /tmp/s3fdw_io.bin /tmp/s3fdw_io_opts.csv /tmp/s3fdw_io_bg.out /tmp/s3fdw_io_70k.csv /tmp/s3fdw_io_small.csv
