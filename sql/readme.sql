--
-- readme: the README's SQL blocks marked "run by the tests", run as written
-- and in order (test/readme_sql.py extracts them), in a database of their
-- own, against the local S3; then the README's claims about them: the
-- reporting role can read and may not upload, uploads stay when a
-- transaction rolls back, DROP EXTENSION ... CASCADE drops servers,
-- mappings and tables.
--
\getenv readme_sql S3FDW_README_SQL
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
SELECT current_database() AS home \gset
CREATE DATABASE regress_readme;
\c regress_readme
-- what the README takes as given: a role reporting, a role writers
CREATE ROLE reporting;
CREATE ROLE writers;
-- run right after the README's first block: the server s3 it created points
-- at the local S3, and both mappings hold the local S3's keys (the reporting
-- role's too: the database alone keeps it from writing)
\set readme_local_s3 'ALTER SERVER s3 OPTIONS (ADD endpoint ' :'endpoint' '); ALTER USER MAPPING FOR CURRENT_USER SERVER s3 OPTIONS (SET access_key_id ' :'ak' ', SET secret_access_key ' :'sk' '); ALTER USER MAPPING FOR reporting SERVER s3 OPTIONS (SET access_key_id ' :'ak' ', SET secret_access_key ' :'sk' ');'
\i :readme_sql
-- as the README says
SELECT srvname, srvoptions FROM pg_foreign_server WHERE srvname <> 's3' ORDER BY srvname;
SELECT srvname, usename FROM pg_user_mappings ORDER BY srvname, usename;
SELECT p.proname, p.proparallel, p.provolatile FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
  JOIN pg_extension e ON e.oid = d.refobjid WHERE e.extname = 's3_fdw' AND p.proname LIKE 's3\_%'
  ORDER BY 1, 2, 3;
SELECT has_function_privilege('reporting', 's3_upload(text, text, text, text, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean)', 'EXECUTE') AS reporting_may_upload,
       has_function_privilege('reporting', 's3_read(text, text, text, text)', 'EXECUTE') AS reporting_may_read,
       has_function_privilege('writers', 's3_upload(text, text, text, text, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean)', 'EXECUTE') AS writers_may_upload,
       has_function_privilege('writers', 's3_copy(text, text, text, text, text, jsonb, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean)', 'EXECUTE') AS writers_may_copy;
-- the examples' objects, as the README left them
CREATE FOREIGN TABLE readme_objects (bucket text, key text, size bigint) SERVER s3;
SELECT bucket, key, size FROM readme_objects
 WHERE bucket IN ('acme-archive', 'acme-inbox', 'acme-logs', 'acme-photos', 'acme-reports')
 ORDER BY 1, 2;
-- not transactional: the upload stays after a rollback
BEGIN;
INSERT INTO invoices VALUES (2, 'Bob', 99);
ROLLBACK;
SELECT count(*) AS invoices_in_table FROM invoices WHERE id = 2;
SELECT s3_read_text('s3', 'acme-archive', 'invoices/2.json') AS archived_all_the_same;
-- the reporting role reads with its own mapping, and may not upload
SET ROLE reporting;
SELECT s3_read_text('s3', 'acme-archive', 'invoices/1.json') IS NOT NULL AS reporting_reads;
SELECT s3_upload('s3', 'acme-archive', 'x', 'y');
RESET ROLE;
-- removing: servers, mappings and foreign tables go with the extension
DROP EXTENSION s3_fdw CASCADE;
SELECT (SELECT count(*) FROM pg_foreign_server) AS servers, (SELECT count(*) FROM pg_user_mappings) AS mappings,
       (SELECT count(*) FROM pg_foreign_table) AS foreign_tables;
\c :home
DROP DATABASE regress_readme;
DROP ROLE reporting, writers;
