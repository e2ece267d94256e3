--
-- readonly: a role put through the README's read-only recipe (its marked
-- block, run as written: test/readme_sql.py README.md sql/readonly.sql) can
-- write nothing, whatever function it calls.  The extension's functions come
-- from the catalog (pg_proc and pg_depend), and the role may run none
-- outside the read-only allowlist below: a writing function added later
-- that the recipe does not revoke fails this test.  The role's keys would
-- let it write (they are the keys that may do everything): only the database
-- stops it, with 42501, for every writing function and for INSERT, UPDATE
-- and DELETE through a foreign table, even one it owns.
--
\getenv readonly_sql S3FDW_README_READONLY_SQL
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
SELECT current_database() AS home \gset
CREATE DATABASE regress_readonly;
\c regress_readonly
CREATE EXTENSION s3_fdw;
CREATE ROLE reporting;
CREATE ROLE writers;
CREATE SERVER s3 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR CURRENT_USER SERVER s3 OPTIONS (access_key_id :'ak', secret_access_key :'sk');
CREATE USER MAPPING FOR reporting SERVER s3 OPTIONS (access_key_id :'ak', secret_access_key :'sk');
GRANT USAGE ON FOREIGN SERVER s3 TO reporting;
GRANT CREATE ON SCHEMA public TO reporting;
SELECT s3_create_bucket('s3', 'regress-readonly');
SELECT s3_upload('s3', 'regress-readonly', 'report.csv', 'id,amount' || chr(10) || '1,12.50' || chr(10), 'text/csv',
                 metadata => '{"owner": "finance"}') AS etag;

-- the README's recipe, as written
\i :readonly_sql

-- the allowlist: what a read-only role may run (reads S3, or writes only
-- into a local table, with the INSERT privilege COPY FROM needs)
CREATE TEMP TABLE read_only_allowlist (fn text PRIMARY KEY);
INSERT INTO read_only_allowlist VALUES
  ('s3_fdw_handler()'),
  ('s3_fdw_validator(text[],oid)'),
  ('s3_fdw_connection_stats()'),
  ('s3_list_buckets(text)'),
  ('s3_read(text,text,text)'),
  ('s3_read(text,text,text,bigint,bigint)'),
  ('s3_read_text(text,text,text)'),
  ('s3_read_text(text,text,text,bigint,bigint)'),
  ('s3_head(text,text,text)'),
  ('s3_presign_get(text,text,text,integer)'),
  ('s3_import(text,text,text,regclass,text,text)');
CREATE TEMP VIEW extension_functions AS
  SELECT p.oid, replace(p.oid::regprocedure::text, ' ', '') AS fn
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 's3_fdw';
-- every function of the extension, and whether reporting and writers may run it
SELECT fn, has_function_privilege('reporting', oid, 'EXECUTE') AS reporting,
       has_function_privilege('writers', oid, 'EXECUTE') AS writers,
       fn IN (SELECT fn FROM read_only_allowlist) AS read_only
  FROM extension_functions ORDER BY fn;
-- the test itself: no function outside the allowlist is left to reporting
SELECT fn AS writes_and_is_not_revoked
  FROM extension_functions
 WHERE has_function_privilege('reporting', oid, 'EXECUTE')
   AND fn NOT IN (SELECT fn FROM read_only_allowlist);
-- ... and the allowlist names only functions that exist
SELECT fn AS allowlisted_but_missing FROM read_only_allowlist
 WHERE fn NOT IN (SELECT fn FROM extension_functions);

-- what reporting gets: SQLSTATE and message of each try
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE FOREIGN TABLE shared_objects (key text, content text, content_type text)
  SERVER s3 OPTIONS (bucket 'regress-readonly');
GRANT SELECT, INSERT, UPDATE, DELETE ON shared_objects TO reporting;
CREATE TABLE local_copy (id int, amount numeric);
GRANT INSERT, SELECT ON local_copy TO reporting;
SET ROLE reporting;
-- its own foreign table: owning it gives no way around the recipe
CREATE FOREIGN TABLE own_objects (key text, content text) SERVER s3 OPTIONS (bucket 'regress-readonly');
CREATE TEMP TABLE tries (n serial, what text, sql text);
INSERT INTO tries (what, sql) VALUES
  ('s3_upload text', $$SELECT s3_upload('s3', 'regress-readonly', 'report.csv', 'overwritten')$$),
  ('s3_upload bytea', $$SELECT s3_upload('s3', 'regress-readonly', 'report.csv', '\x00'::bytea)$$),
  ('s3_copy', $$SELECT s3_copy('s3', 'regress-readonly', 'report.csv', 'regress-readonly', 'report.csv', '{"owner": "mallory"}')$$),
  ('s3_remove one', $$SELECT s3_remove('s3', 'regress-readonly', 'report.csv')$$),
  ('s3_remove many', $$SELECT * FROM s3_remove('s3', 'regress-readonly', ARRAY['report.csv'])$$),
  ('s3_export', $$SELECT * FROM s3_export('s3', 'SELECT 1', 'regress-readonly', 'report.csv')$$),
  ('s3_presign_put', $$SELECT s3_presign_put('s3', 'regress-readonly', 'report.csv')$$),
  ('s3_create_bucket', $$SELECT s3_create_bucket('s3', 'regress-readonly-2')$$),
  ('s3_delete_bucket', $$SELECT s3_delete_bucket('s3', 'regress-readonly')$$),
  ('INSERT, granted table', $$INSERT INTO shared_objects (key, content) VALUES ('report.csv', 'overwritten')$$),
  ('UPDATE content, granted table', $$UPDATE shared_objects SET content = 'overwritten' WHERE key = 'report.csv'$$),
  ('UPDATE content_type, granted table', $$UPDATE shared_objects SET content_type = 'text/html' WHERE key = 'report.csv'$$),
  ('UPDATE key, granted table', $$UPDATE shared_objects SET key = 'moved.csv' WHERE key = 'report.csv'$$),
  ('DELETE, granted table', $$DELETE FROM shared_objects WHERE key = 'report.csv'$$),
  ('INSERT, own table', $$INSERT INTO own_objects (key, content) VALUES ('report.csv', 'overwritten')$$),
  ('UPDATE, own table', $$UPDATE own_objects SET content = 'overwritten' WHERE key = 'report.csv'$$),
  ('DELETE, own table', $$DELETE FROM own_objects WHERE key = 'report.csv'$$);
SELECT n, what, pg_temp.try(sql) AS result FROM tries ORDER BY n;
-- what stays allowed works: reading, listing, a presigned download, an import into a local table
SELECT s3_read_text('s3', 'regress-readonly', 'report.csv') AS reads;
SELECT key, content_type FROM shared_objects;
SELECT metadata FROM s3_head('s3', 'regress-readonly', 'report.csv');
SELECT s3_presign_get('s3', 'regress-readonly', 'report.csv') LIKE 'http%' AS presigns_downloads;
SELECT s3_import('s3', 'regress-readonly', 'report.csv', 'local_copy', options => 'format csv, header true') AS imported;
DROP FOREIGN TABLE own_objects;
RESET ROLE;
-- nothing was written: the object, its type and its metadata are as they were
SELECT s3_read_text('s3', 'regress-readonly', 'report.csv') AS body;
SELECT size, content_type, metadata FROM s3_head('s3', 'regress-readonly', 'report.csv');
SELECT key FROM shared_objects ORDER BY key;
SELECT s3_remove('s3', 'regress-readonly', 'report.csv');
SELECT s3_delete_bucket('s3', 'regress-readonly');
\c :home
DROP DATABASE regress_readonly;
DROP ROLE reporting, writers;
