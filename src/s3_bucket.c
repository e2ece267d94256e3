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

void
s3_create_bucket(S3Server *server, const char *bucket)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	s3_check_bucket_arg(bucket);
	memset(&call, 0, sizeof(call));
	call.what = psprintf(_("could not create bucket \"%s\""), bucket);
	call.method = "PUT";
	call.bucket = bucket;
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

	s3_check_bucket_arg(bucket);
	memset(&call, 0, sizeof(call));
	call.what = psprintf(_("could not delete bucket \"%s\""), bucket);
	call.method = "DELETE";
	call.bucket = bucket;
	s3_execute(server, &call, &resp);
}
