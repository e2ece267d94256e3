/* s3_fdw--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION s3_fdw" to load this file. \quit

CREATE FUNCTION s3_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FUNCTION s3_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER s3_fdw
  HANDLER s3_fdw_handler
  VALIDATOR s3_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER s3_fdw IS 'Amazon S3 and S3-compatible object stores';

CREATE FUNCTION s3_list_buckets(server text)
RETURNS TABLE (name text, creation_date timestamptz)
AS 'MODULE_PATHNAME', 's3_list_buckets_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_create_bucket(server text, bucket text)
RETURNS void
AS 'MODULE_PATHNAME', 's3_create_bucket_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_read(server text, bucket text, key text)
RETURNS bytea
AS 'MODULE_PATHNAME', 's3_read_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_read_text(server text, bucket text, key text)
RETURNS text
AS 'MODULE_PATHNAME', 's3_read_text_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_upload(server text, bucket text, key text, data bytea,
                          content_type text DEFAULT 'application/octet-stream')
RETURNS text
AS 'MODULE_PATHNAME', 's3_upload_bytea_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_upload(server text, bucket text, key text, data text,
                          content_type text DEFAULT 'text/plain; charset=utf-8')
RETURNS text
AS 'MODULE_PATHNAME', 's3_upload_text_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_remove(server text, bucket text, key text)
RETURNS void
AS 'MODULE_PATHNAME', 's3_remove_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_presign_get(server text, bucket text, key text,
                               expires_in integer DEFAULT 3600)
RETURNS text
AS 'MODULE_PATHNAME', 's3_presign_get_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_presign_put(server text, bucket text, key text,
                               expires_in integer DEFAULT 3600,
                               content_type text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_presign_put_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_connection_stats(OUT requests bigint, OUT connections bigint,
                                        OUT credential_fetches bigint)
RETURNS record
AS 'MODULE_PATHNAME'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_list_buckets(text) IS 'buckets visible to the caller''s credentials on a server';
COMMENT ON FUNCTION s3_create_bucket(text, text) IS 'create a bucket in the server''s region';
COMMENT ON FUNCTION s3_read(text, text, text) IS 'the body of an object';
COMMENT ON FUNCTION s3_read_text(text, text, text) IS 'the body of a UTF-8 object, in the database encoding';
COMMENT ON FUNCTION s3_upload(text, text, text, bytea, text) IS 'upload an object; returns its ETag';
COMMENT ON FUNCTION s3_upload(text, text, text, text, text) IS 'upload text as UTF-8; returns its ETag';
COMMENT ON FUNCTION s3_remove(text, text, text) IS 'remove an object (no error if it does not exist)';
COMMENT ON FUNCTION s3_presign_get(text, text, text, integer) IS 'a presigned download URL';
COMMENT ON FUNCTION s3_presign_put(text, text, text, integer, text) IS 'a presigned upload URL';
COMMENT ON FUNCTION s3_fdw_connection_stats() IS 'HTTP requests made, connections opened and temporary credentials fetched by this backend';
