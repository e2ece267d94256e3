/*-------------------------------------------------------------------------
 *
 * s3_call.h
 *		What the S3 operation files share (s3_call.c), and the multipart
 *		uploads that PutObject, CopyObject and s3_export hand their large
 *		bodies to (s3_multipart.c).  Only operation files include it: the
 *		layers above them see s3_ops.h.
 *
 * An operation checks its arguments, fills an S3SignedRequest (an object's
 * with s3_object_call()) and runs it with s3_execute(); or, for several
 * requests at once, s3_address_call() then s3_request_start() for each.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_CALL_H
#define S3FDW_S3_CALL_H

#include "credentials.h"
#include "s3_ops.h"
#include "s3_request.h"
#include "s3_values.h"

/* s3_call.c */
extern void s3_address_call(S3Server *server, S3SignedRequest *call);
extern void s3_execute(S3Server *server, S3SignedRequest *call, S3HttpResponse *resp);
extern void s3_object_call(S3SignedRequest *call, const char *method, const char *what_fmt,
						   const char *bucket, const char *key);
extern void s3_check_header_arg(const char *argname, const char *value);
extern void s3_call_add_header(S3SignedRequest *call, const char *name, const char *value);
extern void s3_check_customer_key_https(const S3Server *server, const char *what);
extern void s3_check_range_answer(const char *what, const S3HttpResponse *resp, int64 first,
								  int64 last, int64 total);
extern char *s3_answer_field(const char *what, const S3HttpResponse *resp, const char *root,
							 const char *field);
extern char *s3_answer_field_opt(const char *what, const S3HttpResponse *resp, const char *root,
								 const char *field);
extern int	s3_put_headers(const S3PutOptions *opts, S3Header **headers);
extern int	s3_create_headers(const S3PutOptions *opts, S3Header *h);
S3_NORETURN_BEGIN extern void s3_report_precondition(const S3PutOptions *opts,
							   const char *what) S3_NORETURN_END;
extern void *s3_zalloc(void *opaque, unsigned int items, unsigned int size);

/* s3_verify.c: a whole object's body against its stored checksum */
extern void s3_verify_checksum(const S3SignedRequest *call, const S3HttpResponse *resp);
extern void s3_zfree(void *opaque, void *address);

/* s3_multipart.c: a body in parts, several in flight */
extern char *s3_multipart_put(S3Server *server, const char *bucket, const char *key,
							  const char *data, size_t len, const S3PutOptions *opts);
extern char *s3_multipart_copy(S3Server *server, const char *copy_source, int64 size,
							   const char *bucket, const char *key, const char *what,
							   const S3PutOptions *opts);

/* a multipart upload fed part by part (s3_export) */
typedef struct S3MultipartStream S3MultipartStream;
extern S3MultipartStream *s3_multipart_stream_begin(S3Server *server, const char *bucket,
													const char *key, const S3PutOptions *opts);
extern void s3_multipart_stream_part(S3MultipartStream *s, MemoryContext data_cxt,
									 const char *data, size_t len);
extern void s3_multipart_stream_finish(S3MultipartStream *s);
extern void s3_multipart_stream_abort(S3MultipartStream *s);
extern int	s3_multipart_stream_done(S3MultipartStream *s);

#endif							/* S3FDW_S3_CALL_H */
