/* s3_fdw 1.0 -> 1.1: object headers and metadata, ranged reads, deleting a bucket, copies, import and export */
\echo Use "ALTER EXTENSION s3_fdw UPDATE TO '1.1'" to load this file. \quit

CREATE FUNCTION s3_head(server text, bucket text, key text)
RETURNS TABLE (size bigint, etag text, content_type text, content_encoding text,
               cache_control text, last_modified timestamptz, storage_class text,
               version_id text, metadata jsonb)
AS 'MODULE_PATHNAME', 's3_head_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_read(server text, bucket text, key text, "offset" bigint, length bigint)
RETURNS bytea
AS 'MODULE_PATHNAME', 's3_read_range_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_read_text(server text, bucket text, key text, "offset" bigint, length bigint)
RETURNS text
AS 'MODULE_PATHNAME', 's3_read_text_range_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_delete_bucket(server text, bucket text)
RETURNS void
AS 'MODULE_PATHNAME', 's3_delete_bucket_sql'
LANGUAGE C VOLATILE;

-- s3_upload takes user metadata, Cache-Control and Content-Encoding.  New
-- parameters with defaults make new functions; the old ones go (else a call
-- with four arguments would match both), and whatever EXECUTE privileges a
-- DBA gave or took on them pass to the new ones, as privileges of the DBA's
-- (not the extension's initial privileges), so that pg_dump keeps them.
CREATE TEMP TABLE s3_fdw_upload_acl AS
  SELECT 'bytea' AS form, proacl FROM pg_proc
   WHERE oid = 's3_upload(text, text, text, bytea, text)'::regprocedure
  UNION ALL
  SELECT 'text', proacl FROM pg_proc
   WHERE oid = 's3_upload(text, text, text, text, text)'::regprocedure;
DROP FUNCTION s3_upload(text, text, text, bytea, text);
DROP FUNCTION s3_upload(text, text, text, text, text);

CREATE FUNCTION s3_upload(server text, bucket text, key text, data bytea,
                          content_type text DEFAULT 'application/octet-stream',
                          metadata jsonb DEFAULT NULL, cache_control text DEFAULT NULL,
                          content_encoding text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_upload_bytea_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_upload(server text, bucket text, key text, data text,
                          content_type text DEFAULT 'text/plain; charset=utf-8',
                          metadata jsonb DEFAULT NULL, cache_control text DEFAULT NULL,
                          content_encoding text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_upload_text_sql'
LANGUAGE C VOLATILE;

DO $$
DECLARE
  saved record;
  acl record;
  fn regprocedure;
BEGIN
  FOR saved IN SELECT form, proacl FROM s3_fdw_upload_acl WHERE proacl IS NOT NULL LOOP
    fn := CASE saved.form
            WHEN 'bytea' THEN 's3_upload(text, text, text, bytea, text, jsonb, text, text)'::regprocedure
            ELSE 's3_upload(text, text, text, text, text, jsonb, text, text)'::regprocedure END;
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
    FOR acl IN SELECT * FROM aclexplode(saved.proacl) LOOP
      EXECUTE format('GRANT %s ON FUNCTION %s TO %s%s', acl.privilege_type, fn,
                     CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(acl.grantee::regrole::text) END,
                     CASE WHEN acl.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
    DELETE FROM pg_catalog.pg_init_privs WHERE objoid = fn AND classoid = 'pg_proc'::regclass;
  END LOOP;
END $$;
DROP TABLE s3_fdw_upload_acl;

COMMENT ON FUNCTION s3_upload(text, text, text, bytea, text, jsonb, text, text) IS 'upload an object, with its content type, user metadata and headers; returns its ETag';
COMMENT ON FUNCTION s3_upload(text, text, text, text, text, jsonb, text, text) IS 'upload text as UTF-8, with its content type, user metadata and headers; returns its ETag';

COMMENT ON FUNCTION s3_head(text, text, text) IS 'an object''s size, ETag, headers and user metadata, or no row when it does not exist';
COMMENT ON FUNCTION s3_read(text, text, text, bigint, bigint) IS 'length bytes of an object from offset (a Range request)';
COMMENT ON FUNCTION s3_read_text(text, text, text, bigint, bigint) IS 'length bytes of a UTF-8 object from offset, as text';
COMMENT ON FUNCTION s3_delete_bucket(text, text) IS 'delete an empty bucket';

CREATE FUNCTION s3_remove(server text, bucket text, keys text[])
RETURNS TABLE (key text, error_code text, message text)
AS 'MODULE_PATHNAME', 's3_remove_many_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_remove(text, text, text[]) IS 'remove many objects (DeleteObjects, 1,000 a request); a row for each key that could not be removed';

CREATE FUNCTION s3_copy(server text, src_bucket text, src_key text, dst_bucket text, dst_key text,
                        metadata jsonb DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_copy_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_copy(text, text, text, text, text, jsonb) IS 'copy an object inside S3 (new metadata replaces the source''s); returns the new ETag';

CREATE FUNCTION s3_import(server text, bucket text, key text, target regclass,
                          columns text DEFAULT NULL, options text DEFAULT 'format csv')
RETURNS bigint
AS 'MODULE_PATHNAME', 's3_import_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_import(text, text, text, regclass, text, text) IS 'load an object into a table with COPY FROM (COPY''s options; gzip decompressed); returns the rows loaded';

CREATE FUNCTION s3_export(server text, query text, bucket text, key text,
                          options text DEFAULT 'format csv')
RETURNS TABLE (rows bigint, bytes bigint, parts integer)
AS 'MODULE_PATHNAME', 's3_export_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_export(text, text, text, text, text) IS 'write a query''s COPY TO output to an object, streamed (multipart); the rows, bytes stored and parts';
