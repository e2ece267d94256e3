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

-- s3_upload takes user metadata, Cache-Control and Content-Encoding: three
-- new trailing parameters with defaults.  A new function beside the old one
-- would make every call with four or five arguments ambiguous, and dropping
-- the old one fails (2BP01) when a view or a function written BEGIN ATOMIC
-- calls it.  So each old function is widened where it stands: a model with
-- the new signature is created, its parameter list (types, names, defaults)
-- copied into the old function's catalog row, and the model dropped.  The
-- function keeps its OID, its privileges and its dependants; a stored call
-- with five arguments gets the new defaults when it is planned, as any call
-- that leaves out trailing arguments does.  The result is what
-- s3_fdw--1.1.sql creates.
CREATE FUNCTION s3_fdw_upload_model_bytea(server text, bucket text, key text, data bytea,
                          content_type text DEFAULT 'application/octet-stream',
                          metadata jsonb DEFAULT NULL, cache_control text DEFAULT NULL,
                          content_encoding text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_upload_bytea_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_upload_model_text(server text, bucket text, key text, data text,
                          content_type text DEFAULT 'text/plain; charset=utf-8',
                          metadata jsonb DEFAULT NULL, cache_control text DEFAULT NULL,
                          content_encoding text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_upload_text_sql'
LANGUAGE C VOLATILE;

UPDATE pg_catalog.pg_proc old
   SET pronargs = model.pronargs, pronargdefaults = model.pronargdefaults,
       proargtypes = model.proargtypes, proallargtypes = model.proallargtypes,
       proargmodes = model.proargmodes, proargnames = model.proargnames,
       proargdefaults = model.proargdefaults
  FROM pg_catalog.pg_proc model
 WHERE (old.oid, model.oid) IN
       (('s3_upload(text, text, text, bytea, text)'::regprocedure,
         's3_fdw_upload_model_bytea(text, text, text, bytea, text, jsonb, text, text)'::regprocedure),
        ('s3_upload(text, text, text, text, text)'::regprocedure,
         's3_fdw_upload_model_text(text, text, text, text, text, jsonb, text, text)'::regprocedure));

DROP FUNCTION s3_fdw_upload_model_bytea(text, text, text, bytea, text, jsonb, text, text);
DROP FUNCTION s3_fdw_upload_model_text(text, text, text, text, text, jsonb, text, text);

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
