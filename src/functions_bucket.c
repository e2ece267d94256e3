/*-------------------------------------------------------------------------
 *
 * functions_bucket.c
 *		The SQL-callable functions on buckets: s3_list_buckets,
 *		s3_create_bucket, s3_delete_bucket, s3_put_bucket_versioning and
 *		s3_get_bucket_versioning.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "functions.h"

PG_FUNCTION_INFO_V1(s3_list_buckets_sql);
PG_FUNCTION_INFO_V1(s3_create_bucket_sql);
PG_FUNCTION_INFO_V1(s3_delete_bucket_sql);
PG_FUNCTION_INFO_V1(s3_put_bucket_versioning_sql);
PG_FUNCTION_INFO_V1(s3_get_bucket_versioning_sql);

static const char *const arg_names[] = {"server", "bucket"};

/* The server, and the bucket when nargs is 2; none NULL */
static S3Server *
args(FunctionCallInfo fcinfo, int nargs, char **bucket)
{
	return s3_target_args(fcinfo, nargs, arg_names, bucket, NULL);
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

	server = args(fcinfo, 1, NULL);
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
	S3Server   *server = args(fcinfo, 2, &bucket);

	s3_create_bucket(server, bucket);
	PG_RETURN_VOID();
}

/* s3_delete_bucket(server text, bucket text) RETURNS void: it must be empty */
Datum
s3_delete_bucket_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket;
	S3Server   *server = args(fcinfo, 2, &bucket);

	s3_delete_bucket(server, bucket);
	PG_RETURN_VOID();
}

/*
 * s3_put_bucket_versioning(server text, bucket text, enabled boolean)
 * RETURNS void: enabled, or suspended (false)
 */
Datum
s3_put_bucket_versioning_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket;
	S3Server   *server = args(fcinfo, 2, &bucket);

	s3_check_not_null(fcinfo, 2, "enabled");
	s3_put_bucket_versioning(server, bucket, PG_GETARG_BOOL(2));
	PG_RETURN_VOID();
}

/*
 * s3_get_bucket_versioning(server text, bucket text) RETURNS text:
 * 'Enabled', 'Suspended', or NULL when versioning was never enabled
 */
Datum
s3_get_bucket_versioning_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket;
	S3Server   *server = args(fcinfo, 2, &bucket);
	char	   *status = s3_get_bucket_versioning(server, bucket);

	if (status == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(status));
}
