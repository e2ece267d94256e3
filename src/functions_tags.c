/*-------------------------------------------------------------------------
 *
 * functions_tags.c
 *		The SQL-callable functions on an object's tags: s3_get_tags and
 *		s3_put_tags (GetObjectTagging, PutObjectTagging; '{}' removes every
 *		tag, with DeleteObjectTagging).
 *
 * Like the other functions, each refuses a NULL argument by name (see
 * functions.c), looks the server up with USAGE and the caller's user
 * mapping, then runs one operation (s3_ops.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "functions.h"

PG_FUNCTION_INFO_V1(s3_get_tags_sql);
PG_FUNCTION_INFO_V1(s3_put_tags_sql);

static const char *const arg_names[] = {"server", "bucket", "key"};

/* The version_id argument at position i, or NULL for the latest */
static const char *
version_arg(FunctionCallInfo fcinfo, int i)
{
	if (PG_NARGS() <= i || PG_ARGISNULL(i))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

/*
 * s3_get_tags(server, bucket, key, version_id text) RETURNS jsonb: the
 * object's tags as a JSON object of strings ('{}' when it has none).
 */
Datum
s3_get_tags_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server = s3_target_args(fcinfo, 3, arg_names, &bucket, &key);

	PG_RETURN_DATUM(s3_get_object_tags(server, bucket, key, version_arg(fcinfo, 3)));
}

/*
 * s3_put_tags(server, bucket, key, tags jsonb, version_id text) RETURNS
 * void: the object's tags replaced by tags, a JSON object of strings.
 */
Datum
s3_put_tags_sql(PG_FUNCTION_ARGS)
{
	char	   *bucket,
			   *key;
	S3Server   *server;

	server = s3_target_args(fcinfo, 3, arg_names, &bucket, &key);
	s3_check_not_null(fcinfo, 3, "tags");
	s3_put_object_tags(server, bucket, key, PG_GETARG_DATUM(3), "tags", version_arg(fcinfo, 4));
	PG_RETURN_VOID();
}
