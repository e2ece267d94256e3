/*-------------------------------------------------------------------------
 *
 * functions_tags.c
 *		The SQL-callable functions on an object's tags: s3_get_tags and
 *		s3_put_tags (GetObjectTagging, PutObjectTagging).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include "functions.h"

PG_FUNCTION_INFO_V1(s3_get_tags_sql);
PG_FUNCTION_INFO_V1(s3_put_tags_sql);

/* s3_get_tags(server, bucket, key, version_id text) RETURNS jsonb */
Datum
s3_get_tags_sql(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("s3_get_tags is not built yet")));
	PG_RETURN_NULL();
}

/* s3_put_tags(server, bucket, key, tags jsonb, version_id text) RETURNS void */
Datum
s3_put_tags_sql(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("s3_put_tags is not built yet")));
	PG_RETURN_VOID();
}
