/*-------------------------------------------------------------------------
 *
 * s3_bucket.c
 *		The bucket operations: CreateBucket (with the server's region as
 *		its location outside us-east-1) and DeleteBucket.  ListBuckets is a
 *		listing: see s3_list.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "s3_call.h"

/* A request on a bucket: the name checked, what the messages call it */
static void
bucket_call(S3SignedRequest *call, const char *method, const char *what_fmt, const char *bucket)
{
	s3_check_bucket_arg(bucket);
	memset(call, 0, sizeof(*call));
	call->what = psprintf(what_fmt, bucket);
	call->method = method;
	call->bucket = bucket;
}

void
s3_create_bucket(S3Server *server, const char *bucket)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	bucket_call(&call, "PUT", _("could not create bucket \"%s\""), bucket);
	if (strcmp(server->region, "us-east-1") != 0)
	{
		call.body = psprintf("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
							 "<LocationConstraint>%s</LocationConstraint>"
							 "</CreateBucketConfiguration>", server->region);
		call.body_len = strlen(call.body);
		call.content_type = "application/xml";
	}
	s3_execute(server, &call, &resp);
}

void
s3_delete_bucket(S3Server *server, const char *bucket)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	bucket_call(&call, "DELETE", _("could not delete bucket \"%s\""), bucket);
	s3_execute(server, &call, &resp);
}
