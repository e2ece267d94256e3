/*-------------------------------------------------------------------------
 *
 * s3_bucket.c
 *		The bucket operations: CreateBucket (with the server's region as
 *		its location outside us-east-1), DeleteBucket, PutBucketVersioning
 *		and GetBucketVersioning.  ListBuckets is a listing: see s3_list.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "s3_call.h"
#include "s3_xml.h"

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

/*
 * PutBucketVersioning: enabled, or suspended (a bucket once versioned can
 * never go back to unversioned; suspended, it keeps its versions and
 * stores new writes as the "null" version).
 */
void
s3_put_bucket_versioning(S3Server *server, const char *bucket, bool enabled)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	bucket_call(&call, "PUT", _("could not set the versioning of bucket \"%s\""), bucket);
	call.query = "versioning";
	call.body = psprintf("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
						 "<Status>%s</Status></VersioningConfiguration>",
						 enabled ? "Enabled" : "Suspended");
	call.body_len = strlen(call.body);
	call.content_type = "application/xml";
	call.content_md5 = true;	/* S3 requires it of PutBucketVersioning */
	s3_execute(server, &call, &resp);
}

/* GetBucketVersioning: "Enabled", "Suspended", or NULL when never enabled */
char *
s3_get_bucket_versioning(S3Server *server, const char *bucket)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	char	   *status = NULL;
	char	   *result;
	char		errbuf[128];

	bucket_call(&call, "GET", _("could not read the versioning of bucket \"%s\""), bucket);
	call.query = "versioning";
	call.max_body = 64 * 1024;
	s3_execute(server, &call, &resp);
	if (s3_xml_parse_versioning(resp.body, resp.body_len, &status, errbuf, sizeof(errbuf)) != 0)
		s3_report_invalid_response(call.what, errbuf);
	result = status ? pstrdup(status) : NULL;
	free(status);
	return result;
}
