/*-------------------------------------------------------------------------
 *
 * functions_1_1.c
 *		The SQL-callable functions of version 1.1: s3_head, the ranged forms
 *		of s3_read and s3_read_text, s3_delete_bucket, s3_remove of many keys,
 *		s3_copy.
 *
 * Like functions.c: arguments checked (NULLs named), the server looked up
 * with USAGE and the caller's user mapping, then one operation.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "functions.h"

PG_FUNCTION_INFO_V1(s3_head_sql);
PG_FUNCTION_INFO_V1(s3_read_range_sql);
PG_FUNCTION_INFO_V1(s3_read_text_range_sql);
PG_FUNCTION_INFO_V1(s3_delete_bucket_sql);
PG_FUNCTION_INFO_V1(s3_remove_many_sql);
PG_FUNCTION_INFO_V1(s3_copy_sql);

static const char *const arg_names[] = {"server", "bucket", "key", "offset", "length"};

/* The leading arguments, none NULL; returns the server */
static S3Server *
args(FunctionCallInfo fcinfo, int nargs, char **bucket, char **key)
{
	return s3_target_args(fcinfo, nargs, arg_names, bucket, key);
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
	Datum		values[9];
	bool		nulls[9];

	server = args(fcinfo, 3, &bucket, &key);
	h = s3_head_object(server, bucket, key);
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

	PG_RETURN_BYTEA_P(s3_get_object_range(server, bucket, key, PG_GETARG_INT64(3),
										  PG_GETARG_INT64(4)));
}

/* s3_read_text(server, bucket, key, "offset" bigint, length bigint) RETURNS text */
Datum
s3_read_text_range_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = args(fcinfo, 5, &bucket, &key);
	bytea	   *raw = s3_get_object_range(server, bucket, key, PG_GETARG_INT64(3),
										  PG_GETARG_INT64(4));

	PG_RETURN_TEXT_P(s3_object_as_text(raw, bucket, key));
}

/* s3_delete_bucket(server text, bucket text) RETURNS void: it must be empty */
Datum
s3_delete_bucket_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket;
	S3Server   *server = args(fcinfo, 2, &bucket, NULL);

	s3_delete_bucket(server, bucket);
	PG_RETURN_VOID();
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
	failed = s3_delete_objects(server, bucket, keys, n);

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
	char	   *etag;

	for (i = 0; i < 5; i++)
		s3_check_not_null(fcinfo, i, names[i]);
	server = s3_lookup_server(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	etag = s3_copy_object(server,
						  text_to_cstring(PG_GETARG_TEXT_PP(1)), text_to_cstring(PG_GETARG_TEXT_PP(2)),
						  text_to_cstring(PG_GETARG_TEXT_PP(3)), text_to_cstring(PG_GETARG_TEXT_PP(4)),
						  PG_ARGISNULL(5) ? (Datum) 0 : PG_GETARG_DATUM(5), NULL);
	PG_RETURN_TEXT_P(cstring_to_text(etag));
}
