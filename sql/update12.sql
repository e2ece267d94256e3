--
-- update12: ALTER EXTENSION s3_fdw UPDATE from 1.1 to 1.2 keeps what was
-- built on 1.1: a view over s3_head (which gains columns at the end), a
-- function written BEGIN ATOMIC that calls s3_read, s3_copy and s3_remove,
-- and the privileges a DBA set; and gives what CREATE EXTENSION gives.
-- (object_info.sql updates from 1.0 through 1.1 to 1.2.)
--
SELECT current_database() AS regress_db \gset
\getenv endpoint S3FDW_ENDPOINT
\getenv ak S3FDW_AK
\getenv sk S3FDW_SK
CREATE DATABASE s3fdw_from11;
CREATE DATABASE s3fdw_fresh12;
\c s3fdw_from11
CREATE EXTENSION s3_fdw VERSION '1.1';
SELECT extversion FROM pg_extension WHERE extname = 's3_fdw';
CREATE SERVER s3 FOREIGN DATA WRAPPER s3_fdw OPTIONS (endpoint :'endpoint');
CREATE USER MAPPING FOR PUBLIC SERVER s3 OPTIONS (access_key_id :'ak', secret_access_key :'sk');
SELECT s3_upload('s3', 'regress', 'update12/a.txt', 'from 1.1', 'text/plain') = md5('from 1.1') AS uploaded;
-- what a 1.1 user built
CREATE ROLE s3fdw_copier;
REVOKE EXECUTE ON FUNCTION s3_copy(text, text, text, text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION s3_copy(text, text, text, text, text, jsonb) TO s3fdw_copier;
CREATE VIEW head_view AS SELECT * FROM s3_head('s3', 'regress', 'update12/a.txt');
CREATE VIEW head_cols AS SELECT size, content_type, metadata FROM s3_head('s3', 'regress', 'update12/a.txt');
CREATE FUNCTION copy_and_read(k text) RETURNS text LANGUAGE sql
  BEGIN ATOMIC
    SELECT s3_copy('s3', 'regress', 'update12/a.txt', 'regress', k);
    SELECT s3_read_text('s3', 'regress', k) || ' / ' || encode(s3_read('s3', 'regress', k, 0, 4), 'escape');
  END;
CREATE FUNCTION remove_it(k text) RETURNS void LANGUAGE sql
  BEGIN ATOMIC SELECT s3_remove('s3', 'regress', k); END;
SELECT size, content_type FROM head_view;
ALTER EXTENSION s3_fdw UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 's3_fdw';
-- the dependants work, with 1.2's functions under them
SELECT size, content_type, etag = md5('from 1.1') AS etag FROM head_view;
SELECT * FROM head_cols;
SELECT copy_and_read('update12/b.txt') AS copied;
SELECT remove_it('update12/b.txt');
SELECT count(*) AS removed FROM s3_head('s3', 'regress', 'update12/b.txt');
-- the view keeps its nine columns; a new query sees twenty
SELECT count(*) AS view_columns FROM information_schema.columns WHERE table_name = 'head_view';
SELECT sse, restore_status, tag_count IS NULL AS no_tag_count FROM s3_head('s3', 'regress', 'update12/a.txt');
-- 1.2's arguments on the functions 1.1 had
SELECT s3_read_text('s3', 'regress', 'update12/a.txt', version_id => NULL) AS latest;
SELECT s3_upload('s3', 'regress', 'update12/c.txt', 'new', if_none_match => true) = md5('new') AS conditional;
-- the DBA's privileges stay with the widened s3_copy
SELECT p.oid::regprocedure AS function,
       has_function_privilege('s3fdw_copier', p.oid, 'EXECUTE') AS copier,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public
  FROM pg_proc p WHERE proname = 's3_copy';
DROP VIEW head_view, head_cols;
DROP FUNCTION copy_and_read(text), remove_it(text);
DROP SERVER s3 CASCADE;
DROP OWNED BY s3fdw_copier;
-- what the update made equals CREATE EXTENSION at 1.2: objects, definitions, comments
CREATE VIEW ext_objects AS
  SELECT pg_describe_object(classid, objid, objsubid) AS object,
         coalesce(pg_get_functiondef(CASE WHEN classid = 'pg_proc'::regclass
                                          AND (SELECT prokind FROM pg_proc WHERE oid = objid) = 'f'
                                          THEN objid END), '') AS definition,
         coalesce(obj_description(objid, classid::regclass::text), '') AS comment
    FROM pg_depend
   WHERE refclassid = 'pg_extension'::regclass
     AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 's3_fdw');
SELECT md5(string_agg(object || definition || comment, ';' ORDER BY object)) AS updated FROM ext_objects \gset
SELECT count(*) AS objects FROM ext_objects;
\c s3fdw_fresh12
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
\c :regress_db
DROP DATABASE s3fdw_from11;
DROP DATABASE s3fdw_fresh12;
DROP ROLE s3fdw_copier;

-- calls that might have become ambiguous with the new defaults: the
-- one-key s3_remove and the array one, the whole and the ranged reads
SELECT s3_upload('s3', 'regress', 'update12/d.txt', 'abcdef') IS NOT NULL AS uploaded;
SELECT s3_read_text('s3', 'regress', 'update12/d.txt') AS whole,
       s3_read_text('s3', 'regress', 'update12/d.txt', 1, 2) AS ranged,
       s3_read_text('s3', 'regress', 'update12/d.txt', 1, 2, NULL) AS ranged_latest;
SELECT s3_remove('s3', 'regress', 'update12/d.txt');
SELECT * FROM s3_remove('s3', 'regress', ARRAY['update12/a.txt', 'update12/c.txt']);
SELECT count(*) AS left_over FROM s3_head('s3', 'regress', 'update12/d.txt');
