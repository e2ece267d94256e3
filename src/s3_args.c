/*-------------------------------------------------------------------------
 *
 * s3_args.c
 *		The naming rules of s3_names.c raised as errors: bucket names and
 *		object keys given by SQL (function arguments, table options), checked
 *		before any request is made, and the rules' fragments as sentences.
 *
 * Below every other PostgreSQL-facing file: the validator, the operations
 * and the foreign table all check their arguments here.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "s3_fdw.h"

/*
 * A fragment from a PostgreSQL-free core ("a bucket name must ...") as a
 * detail sentence: capitalized, with a period.
 */
char *
s3_sentence(const char *fragment)
{
	char	   *s = psprintf("%s.", fragment);

	s[0] = pg_toupper((unsigned char) s[0]);
	return s;
}

/* Raise an error unless bucket is a valid S3 bucket name. */
void
s3_check_bucket_arg(const char *bucket)
{
	const char *problem = s3_check_bucket_name(bucket);

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("invalid bucket name \"%s\"", bucket),
				 errdetail("%s", s3_sentence(problem))));
}

/*
 * Check an object key and return it converted to UTF-8, the encoding S3
 * keys are in.
 */
char *
s3_check_key_arg(const char *key)
{
	char	   *utf8 = pg_server_to_any(key, strlen(key), PG_UTF8);
	const char *problem = s3_check_key(utf8, strlen(utf8));

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid object key"),
				 errdetail("%s", s3_sentence(problem))));
	return utf8;
}

/*
 * Is s printable ASCII?  What credentials and continuation tokens must be,
 * since they go into headers and URLs.
 */
bool
s3_printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s < 0x20 || (unsigned char) *s >= 0x7f)
			return false;
	return true;
}
