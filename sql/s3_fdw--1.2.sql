/* s3_fdw--1.2.sql: the whole extension at version 1.2 */

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

CREATE FUNCTION s3_read(server text, bucket text, key text, version_id text DEFAULT NULL)
RETURNS bytea
AS 'MODULE_PATHNAME', 's3_read_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_read_text(server text, bucket text, key text, version_id text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_read_text_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_upload(server text, bucket text, key text, data bytea,
                          content_type text DEFAULT 'application/octet-stream',
                          metadata jsonb DEFAULT NULL, cache_control text DEFAULT NULL,
                          content_encoding text DEFAULT NULL,
                          sse text DEFAULT NULL, kms_key_id text DEFAULT NULL,
                          storage_class text DEFAULT NULL, tags jsonb DEFAULT NULL,
                          if_none_match boolean DEFAULT false, if_match text DEFAULT NULL,
                          checksum_algorithm text DEFAULT NULL,
                          encryption_context jsonb DEFAULT NULL,
                          bucket_key_enabled boolean DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_upload_bytea_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_upload(server text, bucket text, key text, data text,
                          content_type text DEFAULT 'text/plain; charset=utf-8',
                          metadata jsonb DEFAULT NULL, cache_control text DEFAULT NULL,
                          content_encoding text DEFAULT NULL,
                          sse text DEFAULT NULL, kms_key_id text DEFAULT NULL,
                          storage_class text DEFAULT NULL, tags jsonb DEFAULT NULL,
                          if_none_match boolean DEFAULT false, if_match text DEFAULT NULL,
                          checksum_algorithm text DEFAULT NULL,
                          encryption_context jsonb DEFAULT NULL,
                          bucket_key_enabled boolean DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_upload_text_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_remove(server text, bucket text, key text, version_id text DEFAULT NULL)
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
COMMENT ON FUNCTION s3_presign_get(text, text, text, integer) IS 'a presigned download URL';
COMMENT ON FUNCTION s3_presign_put(text, text, text, integer, text) IS 'a presigned upload URL';
COMMENT ON FUNCTION s3_fdw_connection_stats() IS 'HTTP requests made, connections opened and temporary credentials fetched by this backend';

CREATE FUNCTION s3_head(server text, bucket text, key text, version_id text DEFAULT NULL)
RETURNS TABLE (size bigint, etag text, content_type text, content_encoding text,
               cache_control text, last_modified timestamptz, storage_class text,
               version_id text, metadata jsonb,
               sse text, kms_key_id text, bucket_key_enabled boolean, sse_customer_algorithm text,
               restore_status text, restore_expiry timestamptz, archive_status text,
               checksum_algorithm text, checksum text, checksum_type text, tag_count integer)
AS 'MODULE_PATHNAME', 's3_head_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_read(server text, bucket text, key text, "offset" bigint, length bigint,
                        version_id text DEFAULT NULL)
RETURNS bytea
AS 'MODULE_PATHNAME', 's3_read_range_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_read_text(server text, bucket text, key text, "offset" bigint, length bigint,
                             version_id text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_read_text_range_sql'
LANGUAGE C VOLATILE;

CREATE FUNCTION s3_delete_bucket(server text, bucket text)
RETURNS void
AS 'MODULE_PATHNAME', 's3_delete_bucket_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_delete_bucket(text, text) IS 'delete an empty bucket';

CREATE FUNCTION s3_remove(server text, bucket text, keys text[])
RETURNS TABLE (key text, error_code text, message text)
AS 'MODULE_PATHNAME', 's3_remove_many_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_remove(text, text, text[]) IS 'remove many objects (DeleteObjects, 1,000 a request); a row for each key that could not be removed';

CREATE FUNCTION s3_copy(server text, src_bucket text, src_key text, dst_bucket text, dst_key text,
                        metadata jsonb DEFAULT NULL, src_version_id text DEFAULT NULL,
                        sse text DEFAULT NULL, kms_key_id text DEFAULT NULL,
                        storage_class text DEFAULT NULL, tags jsonb DEFAULT NULL,
                        if_none_match boolean DEFAULT false, if_match text DEFAULT NULL,
                        checksum_algorithm text DEFAULT NULL,
                        encryption_context jsonb DEFAULT NULL,
                        bucket_key_enabled boolean DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_copy_sql'
LANGUAGE C VOLATILE;

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

COMMENT ON FUNCTION s3_read(text, text, text, text) IS 'the body of an object (or of one of its versions)';
COMMENT ON FUNCTION s3_read_text(text, text, text, text) IS 'the body of a UTF-8 object (or of one of its versions), in the database encoding';
COMMENT ON FUNCTION s3_read(text, text, text, bigint, bigint, text) IS 'length bytes of an object from offset (a Range request)';
COMMENT ON FUNCTION s3_read_text(text, text, text, bigint, bigint, text) IS 'length bytes of a UTF-8 object from offset, as text';
COMMENT ON FUNCTION s3_remove(text, text, text, text) IS 'remove an object, or one of its versions (no error if it does not exist)';
COMMENT ON FUNCTION s3_head(text, text, text, text) IS 'an object''s size, ETag, headers, user metadata, encryption, restore status and checksum, or no row when it does not exist';
COMMENT ON FUNCTION s3_upload(text, text, text, bytea, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean) IS 'upload an object, with its content type, user metadata, headers, encryption, storage class, tags, conditions and checksum; returns its ETag';
COMMENT ON FUNCTION s3_upload(text, text, text, text, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean) IS 'upload text as UTF-8, with its content type, user metadata, headers, encryption, storage class, tags, conditions and checksum; returns its ETag';
COMMENT ON FUNCTION s3_copy(text, text, text, text, text, jsonb, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean) IS 'copy an object (or one of its versions) inside S3, with new metadata, encryption, storage class, tags or conditions; returns the new ETag';

CREATE FUNCTION s3_restore(server text, bucket text, key text, days integer DEFAULT 1,
                           tier text DEFAULT 'Standard', version_id text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 's3_restore_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_restore(text, text, text, integer, text, text) IS 'restore an archived object (GLACIER, DEEP_ARCHIVE) for some days; started, in progress or already restored';

CREATE FUNCTION s3_get_tags(server text, bucket text, key text, version_id text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 's3_get_tags_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_get_tags(text, text, text, text) IS 'an object''s tags, as a JSON object';

CREATE FUNCTION s3_put_tags(server text, bucket text, key text, tags jsonb, version_id text DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 's3_put_tags_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_put_tags(text, text, text, jsonb, text) IS 'replace an object''s tags with a JSON object of strings';

CREATE FUNCTION s3_put_bucket_versioning(server text, bucket text, enabled boolean)
RETURNS void
AS 'MODULE_PATHNAME', 's3_put_bucket_versioning_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_put_bucket_versioning(text, text, boolean) IS 'enable, or suspend, versioning on a bucket';

CREATE FUNCTION s3_get_bucket_versioning(server text, bucket text)
RETURNS text
AS 'MODULE_PATHNAME', 's3_get_bucket_versioning_sql'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION s3_get_bucket_versioning(text, text) IS 'a bucket''s versioning: Enabled, Suspended, or NULL when it was never enabled';
