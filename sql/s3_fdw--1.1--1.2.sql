/* s3_fdw 1.1 -> 1.2: encryption, storage classes and restores, tags, versions, conditional writes, checksums */
\echo Use "ALTER EXTENSION s3_fdw UPDATE TO '1.2'" to load this file. \quit

-- The functions that gain trailing parameters with defaults (a version id,
-- encryption, a storage class, tags, conditions, a checksum algorithm) are
-- widened where they stand, as 1.1 widened s3_upload (s3_fdw--1.0--1.1.sql):
-- a model with the new parameter list lends it through pg_proc to the old
-- function, which keeps its OID, privileges, comment and dependants (views,
-- functions written BEGIN ATOMIC); then the model is dropped.  s3_head also
-- gains result columns at the end: a view over its first nine still reads
-- them by position.  The result is what s3_fdw--1.2.sql creates.
CREATE FUNCTION s3_fdw_model_read(server text, bucket text, key text, version_id text DEFAULT NULL)
RETURNS bytea AS 'MODULE_PATHNAME', 's3_read_sql' LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_model_read_text(server text, bucket text, key text, version_id text DEFAULT NULL)
RETURNS text AS 'MODULE_PATHNAME', 's3_read_text_sql' LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_model_read_range(server text, bucket text, key text, "offset" bigint, length bigint,
                                        version_id text DEFAULT NULL)
RETURNS bytea AS 'MODULE_PATHNAME', 's3_read_range_sql' LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_model_read_text_range(server text, bucket text, key text, "offset" bigint, length bigint,
                                             version_id text DEFAULT NULL)
RETURNS text AS 'MODULE_PATHNAME', 's3_read_text_range_sql' LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_model_remove(server text, bucket text, key text, version_id text DEFAULT NULL)
RETURNS void AS 'MODULE_PATHNAME', 's3_remove_sql' LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_model_head(server text, bucket text, key text, version_id text DEFAULT NULL)
RETURNS TABLE (size bigint, etag text, content_type text, content_encoding text,
               cache_control text, last_modified timestamptz, storage_class text,
               version_id text, metadata jsonb,
               sse text, kms_key_id text, bucket_key_enabled boolean, sse_customer_algorithm text,
               restore_status text, restore_expiry timestamptz, archive_status text,
               checksum_algorithm text, checksum text, checksum_type text, tag_count integer)
AS 'MODULE_PATHNAME', 's3_head_sql' LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_model_upload_bytea(server text, bucket text, key text, data bytea,
                          content_type text DEFAULT 'application/octet-stream',
                          metadata jsonb DEFAULT NULL, cache_control text DEFAULT NULL,
                          content_encoding text DEFAULT NULL,
                          sse text DEFAULT NULL, kms_key_id text DEFAULT NULL,
                          storage_class text DEFAULT NULL, tags jsonb DEFAULT NULL,
                          if_none_match boolean DEFAULT false, if_match text DEFAULT NULL,
                          checksum_algorithm text DEFAULT NULL,
                          encryption_context jsonb DEFAULT NULL,
                          bucket_key_enabled boolean DEFAULT NULL)
RETURNS text AS 'MODULE_PATHNAME', 's3_upload_bytea_sql' LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_model_upload_text(server text, bucket text, key text, data text,
                          content_type text DEFAULT 'text/plain; charset=utf-8',
                          metadata jsonb DEFAULT NULL, cache_control text DEFAULT NULL,
                          content_encoding text DEFAULT NULL,
                          sse text DEFAULT NULL, kms_key_id text DEFAULT NULL,
                          storage_class text DEFAULT NULL, tags jsonb DEFAULT NULL,
                          if_none_match boolean DEFAULT false, if_match text DEFAULT NULL,
                          checksum_algorithm text DEFAULT NULL,
                          encryption_context jsonb DEFAULT NULL,
                          bucket_key_enabled boolean DEFAULT NULL)
RETURNS text AS 'MODULE_PATHNAME', 's3_upload_text_sql' LANGUAGE C VOLATILE;

CREATE FUNCTION s3_fdw_model_copy(server text, src_bucket text, src_key text, dst_bucket text, dst_key text,
                        metadata jsonb DEFAULT NULL, src_version_id text DEFAULT NULL,
                        sse text DEFAULT NULL, kms_key_id text DEFAULT NULL,
                        storage_class text DEFAULT NULL, tags jsonb DEFAULT NULL,
                        if_none_match boolean DEFAULT false, if_match text DEFAULT NULL,
                        checksum_algorithm text DEFAULT NULL,
                        encryption_context jsonb DEFAULT NULL,
                        bucket_key_enabled boolean DEFAULT NULL)
RETURNS text AS 'MODULE_PATHNAME', 's3_copy_sql' LANGUAGE C VOLATILE;

UPDATE pg_catalog.pg_proc old
   SET pronargs = model.pronargs, pronargdefaults = model.pronargdefaults,
       proargtypes = model.proargtypes, proallargtypes = model.proallargtypes,
       proargmodes = model.proargmodes, proargnames = model.proargnames,
       proargdefaults = model.proargdefaults
  FROM pg_catalog.pg_proc model
 WHERE (old.oid, model.oid) IN
       (('s3_read(text, text, text)'::regprocedure,
         's3_fdw_model_read(text, text, text, text)'::regprocedure),
        ('s3_read_text(text, text, text)'::regprocedure,
         's3_fdw_model_read_text(text, text, text, text)'::regprocedure),
        ('s3_read(text, text, text, bigint, bigint)'::regprocedure,
         's3_fdw_model_read_range(text, text, text, bigint, bigint, text)'::regprocedure),
        ('s3_read_text(text, text, text, bigint, bigint)'::regprocedure,
         's3_fdw_model_read_text_range(text, text, text, bigint, bigint, text)'::regprocedure),
        ('s3_remove(text, text, text)'::regprocedure,
         's3_fdw_model_remove(text, text, text, text)'::regprocedure),
        ('s3_head(text, text, text)'::regprocedure,
         's3_fdw_model_head(text, text, text, text)'::regprocedure),
        ('s3_upload(text, text, text, bytea, text, jsonb, text, text)'::regprocedure,
         's3_fdw_model_upload_bytea(text, text, text, bytea, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean)'::regprocedure),
        ('s3_upload(text, text, text, text, text, jsonb, text, text)'::regprocedure,
         's3_fdw_model_upload_text(text, text, text, text, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean)'::regprocedure),
        ('s3_copy(text, text, text, text, text, jsonb)'::regprocedure,
         's3_fdw_model_copy(text, text, text, text, text, jsonb, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean)'::regprocedure));

DROP FUNCTION s3_fdw_model_read(text, text, text, text);
DROP FUNCTION s3_fdw_model_read_text(text, text, text, text);
DROP FUNCTION s3_fdw_model_read_range(text, text, text, bigint, bigint, text);
DROP FUNCTION s3_fdw_model_read_text_range(text, text, text, bigint, bigint, text);
DROP FUNCTION s3_fdw_model_remove(text, text, text, text);
DROP FUNCTION s3_fdw_model_head(text, text, text, text);
DROP FUNCTION s3_fdw_model_upload_bytea(text, text, text, bytea, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean);
DROP FUNCTION s3_fdw_model_upload_text(text, text, text, text, text, jsonb, text, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean);
DROP FUNCTION s3_fdw_model_copy(text, text, text, text, text, jsonb, text, text, text, text, jsonb, boolean, text, text, jsonb, boolean);

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
