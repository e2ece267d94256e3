/*-------------------------------------------------------------------------
 *
 * s3_copy.c
 *		Copying an object inside S3: no byte passes through PostgreSQL.
 *		CopyObject up to the server's multipart_threshold (and S3's 5 GB),
 *		UploadPartCopy in parts above it, as the AWS CLI does.  Without new
 *		metadata the copy keeps the source's; with it, the metadata is
 *		replaced (x-amz-metadata-directive: REPLACE) and the content type,
 *		cache control and content encoding are kept.  Tags likewise: kept
 *		without new ones (a copy in parts reads the source's and sends
 *		them, as the AWS CLI does), replaced with them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "core.h"
#include "s3_call.h"

#define MAX_SINGLE_COPY ((int64) 5 * 1024 * 1024 * 1024)

/*
 * Copy src_key of src_bucket (the version src_version_id, or the latest)
 * to dst_key of dst_bucket; returns the new object's ETag (without
 * quotes).  metadata is a jsonb Datum, or 0 to keep the source's; given
 * the new object's settings (s3_put_options_defaults() applied):
 * content_type a new type, or NULL to keep the source's; tagging new tags,
 * or NULL to keep the source's; encryption, storage class and conditions.
 */
char *
s3_copy_object(S3Server *server, const char *src_bucket, const char *src_key,
			   const char *src_version_id, const char *dst_bucket, const char *dst_key,
			   Datum metadata, const S3PutOptions *given)
{
	char	   *what;
	char	   *src_utf8;
	char	   *enc;
	char	   *copy_source;
	S3ObjectHead *head;
	S3PutOptions opts;
	S3SignedRequest call;
	S3HttpResponse resp;
	S3Header   *headers;
	int			nheaders;
	char	   *etag;
	size_t		elen;
	const char *content_type = given->content_type;

	/* everything checked before the first request */
	s3_check_bucket_arg(src_bucket);
	src_utf8 = s3_check_key_arg(src_key);
	s3_check_bucket_arg(dst_bucket);
	(void) s3_check_key_arg(dst_key);
	if (src_version_id != NULL)
		s3_check_version_id_arg(src_version_id);
	what = psprintf(_("could not copy object \"%s\" of bucket \"%s\" to object \"%s\" of bucket \"%s\""),
					src_key, src_bucket, dst_key, dst_bucket);
	opts = *given;
	opts.meta = NULL;
	opts.nmeta = 0;
	if (metadata != (Datum) 0)
		opts.nmeta = s3_metadata_headers(metadata, &opts.meta);

	/* the source's size (a copy in parts?) and headers (kept) */
	head = s3_head_object(server, src_bucket, src_key, src_version_id);
	if (!head->found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg_internal("%s", what),
				 head->delete_marker && src_version_id != NULL
				 ? errdetail("The source version is a delete marker.")
				 : head->delete_marker
				 ? errdetail("The source object does not exist: its latest version is a delete marker.")
				 : errdetail("The source object does not exist.")));
	opts.content_type = content_type ? content_type : head->content_type;
	opts.cache_control = head->cache_control;
	opts.content_encoding = head->content_encoding;

	/*
	 * CopyObject gives the copy the bucket's default encryption and the
	 * STANDARD class unless told otherwise: a copy (a rename) keeps the
	 * source's KMS key and storage class when nothing else is asked for.
	 */
	if (opts.sse == NULL && opts.kms_key_id == NULL && opts.sse_customer_key == NULL &&
		head->sse != NULL && strncmp(head->sse, "aws:kms", 7) == 0)
	{
		opts.sse = head->sse;
		opts.kms_key_id = head->kms_key_id;
		if (opts.bucket_key_enabled == NULL && head->bucket_key_enabled >= 0)
			opts.bucket_key_enabled = head->bucket_key_enabled ? "true" : "false";
	}
	if (opts.storage_class == NULL && head->storage_class != NULL &&
		strcmp(head->storage_class, "STANDARD") != 0)
		opts.storage_class = head->storage_class;

	enc = s3_uri_encode(src_utf8, strlen(src_utf8), true);
	if (enc == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	copy_source = psprintf("/%s/%s", src_bucket, enc);
	free(enc);
	if (src_version_id != NULL)
	{
		enc = s3_uri_encode(src_version_id, strlen(src_version_id), false);
		if (enc == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		copy_source = psprintf("%s?versionId=%s", copy_source, enc);
		free(enc);
	}

	if (head->size > MAX_SINGLE_COPY || head->size > server->multipart_threshold)
	{
		List	   *late_tags;

		if (metadata == (Datum) 0)
			opts.nmeta = s3_metadata_headers(s3_metadata_jsonb(head), &opts.meta);	/* kept */
		/* UploadPartCopy copies bytes only: the tags are kept here */
		late_tags = s3_carry_tags(server, src_bucket, src_key, src_version_id, head->tag_count,
								  &opts);
		etag = s3_multipart_copy(server, copy_source, head->size, dst_bucket, dst_key,
								 what, &opts);
		if (late_tags != NIL)
			s3_put_tag_pairs(server, dst_bucket, dst_key, late_tags, NULL);
		return etag;
	}

	s3_object_call(&call, "PUT", "%s%s", dst_bucket, dst_key);
	call.what = what;
	call.customer_key = false;
	call.copy_source_customer_key = true;
	if (metadata == (Datum) 0 && content_type == NULL)
	{
		/* the source's headers and metadata: CopyObject keeps them */
		opts.content_type = NULL;
		opts.cache_control = NULL;
		opts.content_encoding = NULL;
	}
	else if (metadata == (Datum) 0)
		opts.nmeta = s3_metadata_headers(s3_metadata_jsonb(head), &opts.meta);	/* kept */
	nheaders = s3_put_headers(&opts, &headers);
	headers = repalloc(headers, sizeof(S3Header) * (nheaders + 4));
	if (metadata != (Datum) 0 || content_type != NULL)
	{
		headers[nheaders].name = "x-amz-metadata-directive";
		headers[nheaders++].value = "REPLACE";
		call.content_type = opts.content_type;
	}
	if (opts.tagging != NULL)
	{
		headers[nheaders].name = "x-amz-tagging-directive";
		headers[nheaders++].value = "REPLACE";
	}
	if (opts.checksum_algorithm != NULL)
	{
		/* S3 computes the copy's checksum with it */
		headers[nheaders].name = "x-amz-checksum-algorithm";
		headers[nheaders++].value = opts.checksum_algorithm;
	}
	headers[nheaders].name = "x-amz-copy-source";
	headers[nheaders++].value = copy_source;
	call.headers = headers;
	call.nheaders = nheaders;
	call.max_body = 1024 * 1024;
	if (opts.if_none_match || opts.if_match != NULL)
		call.ok_status = 412;	/* the condition's own error */
	s3_execute(server, &call, &resp);
	if (resp.status == 412)
		s3_report_precondition(&opts, what);
	etag = s3_answer_field(what, &resp, "CopyObjectResult", "ETag");
	elen = strlen(etag);
	if (elen >= 2 && etag[0] == '"' && etag[elen - 1] == '"')
		return pnstrdup(etag + 1, elen - 2);
	return etag;
}
