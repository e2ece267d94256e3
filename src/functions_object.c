/*-------------------------------------------------------------------------
 *
 * functions_object.c
 *		The SQL-callable functions on objects: s3_read and s3_read_text
 *		(whole or a range), s3_upload, s3_remove (one key or many), s3_head,
 *		s3_copy, s3_presign_get, s3_presign_put and s3_restore.
 *
 * Each checks its arguments (a NULL is named: see functions.c), looks the
 * server up with USAGE and the caller's user mapping, then runs one
 * operation (s3_ops.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "functions.h"

PG_FUNCTION_INFO_V1(s3_read_sql);
PG_FUNCTION_INFO_V1(s3_read_text_sql);
PG_FUNCTION_INFO_V1(s3_read_range_sql);
PG_FUNCTION_INFO_V1(s3_read_text_range_sql);
PG_FUNCTION_INFO_V1(s3_upload_bytea_sql);
PG_FUNCTION_INFO_V1(s3_upload_text_sql);
PG_FUNCTION_INFO_V1(s3_remove_sql);
PG_FUNCTION_INFO_V1(s3_remove_many_sql);
PG_FUNCTION_INFO_V1(s3_head_sql);
PG_FUNCTION_INFO_V1(s3_copy_sql);
PG_FUNCTION_INFO_V1(s3_presign_get_sql);
PG_FUNCTION_INFO_V1(s3_presign_put_sql);
PG_FUNCTION_INFO_V1(s3_restore_sql);

static const char *const arg_names[] = {"server", "bucket", "key", "offset", "length"};

/*
 * Version 1.2's upload arguments, from argument first on (s3_upload: 8,
 * s3_copy: 7), in their order: sse, kms_key_id, storage_class, tags,
 * if_none_match, if_match, checksum_algorithm, encryption_context,
 * bucket_key_enabled.  A function still declared as 1.1 has none of them.
 */
static void
put_args(FunctionCallInfo fcinfo, int first, S3PutOptions *opts)
{
#define ARG_GIVEN(i) (PG_NARGS() > first + (i) && !PG_ARGISNULL(first + (i)))
#define TEXT_ARG(i) text_to_cstring(PG_GETARG_TEXT_PP(first + (i)))
	if (ARG_GIVEN(0))
		opts->sse = TEXT_ARG(0);
	if (ARG_GIVEN(1))
		opts->kms_key_id = TEXT_ARG(1);
	if (ARG_GIVEN(2))
		opts->storage_class = TEXT_ARG(2);
	if (ARG_GIVEN(3))
		opts->tagging = s3_tagging_query(PG_GETARG_DATUM(first + 3), "tags");
	if (ARG_GIVEN(4))
		opts->if_none_match = PG_GETARG_BOOL(first + 4);
	if (ARG_GIVEN(5))
		opts->if_match = TEXT_ARG(5);
	if (ARG_GIVEN(6))
		opts->checksum_algorithm = TEXT_ARG(6);
	if (ARG_GIVEN(7))
		opts->encryption_context = s3_encryption_context_json(PG_GETARG_DATUM(first + 7),
															  "encryption_context");
	if (ARG_GIVEN(8))
		opts->bucket_key_enabled = PG_GETARG_BOOL(first + 8) ? "true" : "false";
#undef ARG_GIVEN
#undef TEXT_ARG
}

/* The version_id argument at position i, or NULL (latest; or a 1.1 call) */
static const char *
version_arg(FunctionCallInfo fcinfo, int i)
{
	if (PG_NARGS() <= i || PG_ARGISNULL(i))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

/* The leading arguments, none NULL; returns the server */
static S3Server *
args(FunctionCallInfo fcinfo, int nargs, char **bucket, char **key)
{
	return s3_target_args(fcinfo, nargs, arg_names, bucket, key);
}

/*
 * s3_read(server text, bucket text, key text) RETURNS bytea
 */
Datum
s3_read_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 3, &bucket, &key);

	PG_RETURN_BYTEA_P(s3_get_object(server, bucket, key, version_arg(fcinfo, 3)));
}

/*
 * s3_read_text(server text, bucket text, key text) RETURNS text
 *
 * The object must be UTF-8; it is converted to the database encoding.
 */
Datum
s3_read_text_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 3, &bucket, &key);

	PG_RETURN_TEXT_P(s3_object_as_text(s3_get_object(server, bucket, key, version_arg(fcinfo, 3)),
									   bucket, key));
}

static Datum
upload(FunctionCallInfo fcinfo, const char *data, size_t len)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 3, &bucket, &key);
	S3PutOptions opts;
	char	   *etag;

	/* the callers have checked data */
	memset(&opts, 0, sizeof(opts));
	s3_check_not_null(fcinfo, 4, "content_type");
	opts.content_type = text_to_cstring(PG_GETARG_TEXT_PP(4));
	/* version 1.1: metadata, cache_control, content_encoding */
	if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
		opts.nmeta = s3_metadata_headers(PG_GETARG_DATUM(5), &opts.meta);
	if (PG_NARGS() > 6 && !PG_ARGISNULL(6))
		opts.cache_control = text_to_cstring(PG_GETARG_TEXT_PP(6));
	if (PG_NARGS() > 7 && !PG_ARGISNULL(7))
		opts.content_encoding = text_to_cstring(PG_GETARG_TEXT_PP(7));
	/* version 1.2: encryption, storage class, tags, conditions, checksum */
	put_args(fcinfo, 8, &opts);
	s3_put_options_defaults(&opts, server, NULL);
	etag = s3_put_object(server, bucket, key, data, len, &opts);
	if (etag == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(etag));
}

/*
 * s3_upload(server, bucket, key, data bytea, content_type text) RETURNS text
 */
Datum
s3_upload_bytea_sql(PG_FUNCTION_ARGS)
{
	bytea	   *data;

	s3_check_not_null(fcinfo, 3, "data");
	data = PG_GETARG_BYTEA_PP(3);
	return upload(fcinfo, VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data));
}

/*
 * s3_upload(server, bucket, key, data text, content_type text) RETURNS text
 *
 * The text is stored in UTF-8, whatever the database encoding.
 */
Datum
s3_upload_text_sql(PG_FUNCTION_ARGS)
{
	text	   *data;
	char	   *utf8;

	s3_check_not_null(fcinfo, 3, "data");
	data = PG_GETARG_TEXT_PP(3);
	utf8 = pg_server_to_any(VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), PG_UTF8);
	return upload(fcinfo, utf8,
				  utf8 == VARDATA_ANY(data) ? VARSIZE_ANY_EXHDR(data) : strlen(utf8));
}

/*
 * s3_remove(server text, bucket text, key text) RETURNS void
 */
Datum
s3_remove_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 3, &bucket, &key);

	s3_delete_object(server, bucket, key, version_arg(fcinfo, 3));
	PG_RETURN_VOID();
}

/*
 * s3_presign_get(server, bucket, key, expires_in integer) RETURNS text
 */
Datum
s3_presign_get_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 3, &bucket, &key);

	s3_check_not_null(fcinfo, 3, "expires_in");
	PG_RETURN_TEXT_P(cstring_to_text(s3_presign(server, "GET", bucket, key,
												PG_GETARG_INT32(3), NULL)));
}

/*
 * s3_presign_put(server, bucket, key, expires_in integer, content_type text)
 * RETURNS text
 *
 * With a content type, the URL is valid only for uploads that send it.
 */
Datum
s3_presign_put_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 3, &bucket, &key);
	char	   *content_type = NULL;

	s3_check_not_null(fcinfo, 3, "expires_in");
	if (!PG_ARGISNULL(4))
		content_type = text_to_cstring(PG_GETARG_TEXT_PP(4));
	PG_RETURN_TEXT_P(cstring_to_text(s3_presign(server, "PUT", bucket, key,
												PG_GETARG_INT32(3), content_type)));
}

/*
 * s3_head(server text, bucket text, key text) RETURNS TABLE (size bigint,
 *   etag text, content_type text, content_encoding text, cache_control text,
 *   last_modified timestamptz, storage_class text, version_id text,
 *   metadata jsonb): one row, none when the object does not exist.
 */
Datum
s3_head_sql(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Tuplestorestate *tupstore;
	char	   *bucket,
			   *key;
	S3Server   *server;
	S3ObjectHead *h;
	Datum		values[20];
	bool		nulls[20];

	server = args(fcinfo, 3, &bucket, &key);
	h = s3_head_object(server, bucket, key, version_arg(fcinfo, 3));
	tupstore = s3_begin_result(fcinfo, &desc);
	if (!h->found)
		return (Datum) 0;

	memset(nulls, 0, sizeof(nulls));
	values[0] = Int64GetDatum(h->size);
	nulls[0] = h->size < 0;
#define TEXT_OR_NULL(i, s) \
	do { nulls[i] = (s) == NULL; values[i] = (s) ? CStringGetTextDatum(s) : (Datum) 0; } while (0)
	TEXT_OR_NULL(1, h->etag);
	TEXT_OR_NULL(2, h->content_type);
	TEXT_OR_NULL(3, h->content_encoding);
	TEXT_OR_NULL(4, h->cache_control);
	values[5] = h->last_modified;
	nulls[5] = !h->has_last_modified;
	TEXT_OR_NULL(6, h->storage_class);
	TEXT_OR_NULL(7, h->version_id);
	values[8] = s3_metadata_jsonb(h);
	/* version 1.2's columns (a function still declared as 1.1 has nine) */
	TEXT_OR_NULL(9, h->sse);
	TEXT_OR_NULL(10, h->kms_key_id);
	values[11] = BoolGetDatum(h->bucket_key_enabled > 0);
	nulls[11] = h->bucket_key_enabled < 0;
	TEXT_OR_NULL(12, h->sse_customer_algorithm);
	TEXT_OR_NULL(13, h->restore_status);
	values[14] = h->restore_expiry;
	nulls[14] = !h->has_restore_expiry;
	TEXT_OR_NULL(15, h->archive_status);
	TEXT_OR_NULL(16, h->checksum_algorithm);
	TEXT_OR_NULL(17, h->checksum);
	TEXT_OR_NULL(18, h->checksum_type);
	values[19] = Int32GetDatum(Max(h->tag_count, 0));
	nulls[19] = h->tag_count < 0;
#undef TEXT_OR_NULL
	if (desc->natts != 9 && desc->natts != 20)
		elog(ERROR, "s3_head: unexpected result of %d columns", desc->natts);
	tuplestore_putvalues(tupstore, desc, values, nulls);
	return (Datum) 0;
}

/*
 * s3_read(server, bucket, key, "offset" bigint, length bigint) RETURNS bytea:
 * a Range request; past the end, an empty value.
 */
Datum
s3_read_range_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 5, &bucket, &key);

	PG_RETURN_BYTEA_P(s3_get_object_range(server, bucket, key, version_arg(fcinfo, 5),
										  PG_GETARG_INT64(3), PG_GETARG_INT64(4)));
}

/* s3_read_text(server, bucket, key, "offset" bigint, length bigint) RETURNS text */
Datum
s3_read_text_range_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 5, &bucket, &key);
	bytea	   *raw = s3_get_object_range(server, bucket, key, version_arg(fcinfo, 5),
										  PG_GETARG_INT64(3), PG_GETARG_INT64(4));

	PG_RETURN_TEXT_P(s3_object_as_text(raw, bucket, key));
}

/*
 * s3_remove(server text, bucket text, keys text[]) RETURNS TABLE (key text,
 *   error_code text, message text): DeleteObjects in batches of 1,000; one
 *   row per key S3 could not remove, none when every key is gone.
 */
Datum
s3_remove_many_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket;
	S3Server   *server;
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	char	  **keys;
	List	   *failed;
	ListCell   *lc;
	TupleDesc	desc;
	Tuplestorestate *tupstore;

	s3_check_not_null(fcinfo, 2, "keys");
	server = args(fcinfo, 2, &bucket, NULL);
	arr = PG_GETARG_ARRAYTYPE_P(2);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("keys must be a one-dimensional array")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	keys = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("keys must not contain null"),
					 errdetail("Element %d is null.", i + 1)));
		keys[i] = TextDatumGetCString(elems[i]);
	}
	failed = s3_delete_objects(server, bucket, keys, NULL, n);

	tupstore = s3_begin_result(fcinfo, &desc);
	foreach(lc, failed)
	{
		S3DeleteFailure *f = (S3DeleteFailure *) lfirst(lc);
		Datum		values[3];
		bool		isnull[3] = {false, f->code == NULL, f->message == NULL};

		values[0] = CStringGetTextDatum(f->key);
		values[1] = f->code ? CStringGetTextDatum(f->code) : (Datum) 0;
		values[2] = f->message ? CStringGetTextDatum(f->message) : (Datum) 0;
		tuplestore_putvalues(tupstore, desc, values, isnull);
	}
	return (Datum) 0;
}

/*
 * s3_copy(server text, src_bucket text, src_key text, dst_bucket text,
 *   dst_key text, metadata jsonb DEFAULT NULL) RETURNS text: a copy inside
 *   S3; the new object's ETag.
 */
Datum
s3_copy_sql(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"server", "src_bucket", "src_key", "dst_bucket", "dst_key"};
	int			i;
	S3Server   *server;
	S3PutOptions opts;
	char	   *etag;

	for (i = 0; i < 5; i++)
		s3_check_not_null(fcinfo, i, names[i]);
	server = s3_lookup_server(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	/* version 1.2: src_version_id, then the upload arguments */
	memset(&opts, 0, sizeof(opts));
	put_args(fcinfo, 7, &opts);
	s3_put_options_defaults(&opts, server, NULL);
	etag = s3_copy_object(server,
						  text_to_cstring(PG_GETARG_TEXT_PP(1)), text_to_cstring(PG_GETARG_TEXT_PP(2)),
						  version_arg(fcinfo, 6),
						  text_to_cstring(PG_GETARG_TEXT_PP(3)), text_to_cstring(PG_GETARG_TEXT_PP(4)),
						  PG_ARGISNULL(5) ? (Datum) 0 : PG_GETARG_DATUM(5), &opts);
	PG_RETURN_TEXT_P(cstring_to_text(etag));
}

/*
 * s3_restore(server, bucket, key, days integer DEFAULT 1, tier text DEFAULT
 *   'Standard', version_id text DEFAULT NULL) RETURNS text: RestoreObject of
 *   an archived object; 'started', 'in progress' or 'already restored'.
 *   days NULL sends none (INTELLIGENT_TIERING's archive tiers take none),
 *   tier NULL none (S3's default).
 */
Datum
s3_restore_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 3, &bucket, &key);
	int			days = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3);
	const char *tier = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	const char *answer = NULL;

	switch (s3_restore_object(server, bucket, key, version_arg(fcinfo, 5),
							  PG_ARGISNULL(3) ? NULL : &days, tier))
	{
		case S3_RESTORE_STARTED:
			answer = "started";
			break;
		case S3_RESTORE_IN_PROGRESS:
			answer = "in progress";
			break;
		case S3_RESTORE_DONE_ALREADY:
			answer = "already restored";
			break;
	}
	PG_RETURN_TEXT_P(cstring_to_text(answer));
}
