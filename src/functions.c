/*-------------------------------------------------------------------------
 *
 * functions.c
 *		The SQL-callable functions: s3_list_buckets, s3_create_bucket,
 *		s3_read, s3_read_text, s3_upload, s3_remove, s3_presign_get,
 *		s3_presign_put and s3_fdw_connection_stats.
 *
 * They are not STRICT: a NULL argument is an error naming the argument
 * rather than a silent NULL result, so that an automation that loses a
 * value does not believe it has uploaded or removed something.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "functions.h"

PG_FUNCTION_INFO_V1(s3_list_buckets_sql);
PG_FUNCTION_INFO_V1(s3_create_bucket_sql);
PG_FUNCTION_INFO_V1(s3_read_sql);
PG_FUNCTION_INFO_V1(s3_read_text_sql);
PG_FUNCTION_INFO_V1(s3_upload_bytea_sql);
PG_FUNCTION_INFO_V1(s3_upload_text_sql);
PG_FUNCTION_INFO_V1(s3_remove_sql);
PG_FUNCTION_INFO_V1(s3_presign_get_sql);
PG_FUNCTION_INFO_V1(s3_presign_put_sql);
PG_FUNCTION_INFO_V1(s3_fdw_connection_stats);

static const char *const arg_names[] = {"server", "bucket", "key"};

/* Refuse a NULL argument with a message naming it. */
void
s3_check_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

/*
 * The leading arguments (server, then bucket and key when nargs says so),
 * none NULL (names[] names them), as C strings; returns the server, looked
 * up with USAGE.
 */
S3Server *
s3_target_args(FunctionCallInfo fcinfo, int nargs, const char *const *names,
			   char **bucket, char **key)
{
	int			i;

	for (i = 0; i < nargs; i++)
		s3_check_not_null(fcinfo, i, names[i]);
	if (bucket != NULL)
		*bucket = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (key != NULL)
		*key = text_to_cstring(PG_GETARG_TEXT_PP(2));
	return s3_lookup_server(text_to_cstring(PG_GETARG_TEXT_PP(0)));
}

static S3Server *
get_target_args(FunctionCallInfo fcinfo, int nargs, char **bucket, char **key)
{
	return s3_target_args(fcinfo, nargs, arg_names, nargs > 1 ? bucket : NULL,
						  nargs > 2 ? key : NULL);
}

/* A materialized result set for a function returning a table */
Tuplestorestate *
s3_begin_result(FunctionCallInfo fcinfo, TupleDesc *desc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	MemoryContext oldcontext;
	Tuplestorestate *tupstore;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	oldcontext = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupstore = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tupstore;
	rsinfo->setDesc = CreateTupleDescCopy(tupdesc);
	MemoryContextSwitchTo(oldcontext);
	*desc = rsinfo->setDesc;
	return tupstore;
}

/*
 * s3_list_buckets(server text) RETURNS TABLE (name text, creation_date timestamptz)
 */
Datum
s3_list_buckets_sql(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Tuplestorestate *tupstore;
	S3Server   *server;
	List	   *buckets;
	ListCell   *lc;
	char	   *what;

	server = get_target_args(fcinfo, 1, NULL, NULL);
	buckets = s3_list_buckets(server);
	what = psprintf(_("could not list buckets of server \"%s\""), server->servername);
	tupstore = s3_begin_result(fcinfo, &desc);

	foreach(lc, buckets)
	{
		S3BucketInfo *b = (S3BucketInfo *) lfirst(lc);
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = CStringGetTextDatum(b->name);
		if (b->creation_date != NULL)
			values[1] = s3_timestamptz(b->creation_date, what, "CreationDate");
		else
			nulls[1] = true;
		tuplestore_putvalues(tupstore, desc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * s3_create_bucket(server text, bucket text) RETURNS void
 */
Datum
s3_create_bucket_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket;
	S3Server   *server = get_target_args(fcinfo, 2, &bucket, NULL);

	s3_create_bucket(server, bucket);
	PG_RETURN_VOID();
}

/*
 * s3_read(server text, bucket text, key text) RETURNS bytea
 */
Datum
s3_read_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = get_target_args(fcinfo, 3, &bucket, &key);

	PG_RETURN_BYTEA_P(s3_get_object(server, bucket, key));
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
	S3Server   *server = get_target_args(fcinfo, 3, &bucket, &key);

	PG_RETURN_TEXT_P(s3_object_as_text(s3_get_object(server, bucket, key), bucket, key));
}

static Datum
upload(FunctionCallInfo fcinfo, const char *data, size_t len)
{
	char	   *bucket,
			   *key;
	S3Server   *server = get_target_args(fcinfo, 3, &bucket, &key);
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
	S3Server   *server = get_target_args(fcinfo, 3, &bucket, &key);

	s3_delete_object(server, bucket, key);
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
	S3Server   *server = get_target_args(fcinfo, 3, &bucket, &key);

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
	S3Server   *server = get_target_args(fcinfo, 3, &bucket, &key);
	char	   *content_type = NULL;

	s3_check_not_null(fcinfo, 3, "expires_in");
	if (!PG_ARGISNULL(4))
		content_type = text_to_cstring(PG_GETARG_TEXT_PP(4));
	PG_RETURN_TEXT_P(cstring_to_text(s3_presign(server, "PUT", bucket, key,
												PG_GETARG_INT32(3), content_type)));
}

/*
 * s3_fdw_connection_stats(OUT requests bigint, OUT connections bigint,
 *						   OUT credential_fetches bigint)
 *
 * HTTP requests made, connections opened and temporary credentials fetched
 * by this backend so far: with keep-alive, many requests share one
 * connection; with the cache, many requests share one set of credentials.
 */
Datum
s3_fdw_connection_stats(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int64		requests,
				connections;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	s3_http_stats(&requests, &connections);
	values[0] = Int64GetDatum(requests);
	values[1] = Int64GetDatum(connections);
	values[2] = Int64GetDatum(s3_credential_fetches());
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
