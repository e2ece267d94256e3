/*
 * fuzz_xml.c
 *		libFuzzer target: every S3 and STS document parser of s3_xml.c on the
 *		same input.  Any crash, leak or undefined behaviour is a finding.
 *
 * And a differential check: the streaming ListObjectsV2 parser
 * (s3_xml_stream.c), fed the input whole and in pieces whose sizes the
 * input's own bytes choose, must give what s3_xml_parse_list_objects()
 * gives: the same fields, or a failure, unless the stream failed on a limit
 * of its own.  A token it reports before the end must be the page's.  Any
 * disagreement aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws_json.h"
#include "s3_xml.h"
#include "../list_compare.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Feeds buf to a stream: whole (pieces 0), or in pieces of 1 to 16 bytes,
 * each size taken from the next byte of the input.  Checks what
 * token_known says on the way against the finished page.
 */
static int
stream_parse(const char *buf, size_t size, int pieces, s3_object_list *out,
			 char *err, size_t errlen)
{
	s3_list_stream *s = s3_list_stream_new();
	size_t		pos = 0;
	size_t		k = 0;
	int			rc = 0;
	int			known = 0;
	int			known_trunc = 0;
	char	   *known_token = NULL;

	if (s == NULL)
		abort();
	while (pos < size && rc == 0)
	{
		size_t		n = pieces ? 1 + ((unsigned char) buf[k++ % size] & 15) : size;
		bool		trunc;
		const char *token;

		if (n > size - pos)
			n = size - pos;
		rc = s3_list_stream_feed(s, buf + pos, n, err, errlen);
		pos += n;
		if (rc == 0 && !known && s3_list_stream_token_known(s, &trunc, &token))
		{
			known = 1;
			known_trunc = trunc;
			known_token = token != NULL ? strdup(token) : NULL;
			if (token != NULL && known_token == NULL)
				abort();
		}
	}
	if (rc == 0)
		rc = s3_list_stream_finish(s, out, err, errlen);
	if (rc == 0 && known &&
		(out->is_truncated != known_trunc ||
		 (known_token != NULL && !same_str(out->next_continuation_token, known_token)) ||
		 (known_token == NULL && known_trunc)))
		abort();
	free(known_token);
	s3_list_stream_free(s);
	return rc;
}

/* Does this message name a limit of the stream that the tree parser lacks? */
static int
stream_limit(const char *err)
{
	return strstr(err, "longer than") != NULL || strstr(err, "more than") != NULL;
}

static void
check_stream(const char *buf, size_t size)
{
	char		err[128];
	char		serr[128];
	s3_object_list want;
	s3_object_list got;
	int			want_rc;
	int			pieces;

	want_rc = s3_xml_parse_list_objects(buf, size, &want, err, sizeof(err));
	for (pieces = 0; pieces < 2; pieces++)
	{
		int			rc = stream_parse(buf, size, pieces, &got, serr, sizeof(serr));

		if (rc != want_rc && !(rc != 0 && stream_limit(serr)))
			abort();
		if (rc == 0 && !same_list(&want, &got))
			abort();
		if (rc == 0)
			s3_object_list_free(&got);
	}
	if (want_rc == 0)
		s3_object_list_free(&want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *) data;
	char		err[128];
	s3_bucket_list b;
	s3_error_info e;
	s3_temp_credentials t;
	s3_delete_result d;
	char	   *field;

	if (s3_xml_parse_buckets(buf, size, &b, err, sizeof(err)) == 0)
		s3_bucket_list_free(&b);
	check_stream(buf, size);
	if (s3_xml_parse_error(buf, size, &e, err, sizeof(err)) == 0)
		s3_error_info_free(&e);
	if (s3_xml_parse_sts_credentials(buf, size, &t, err, sizeof(err)) == 0)
		s3_temp_credentials_free(&t);
	if (s3_json_parse_credentials(buf, size, &t, err, sizeof(err)) == 0)
		s3_temp_credentials_free(&t);
	if (s3_xml_parse_delete_result(buf, size, &d, err, sizeof(err)) == 0)
	{
		static const char *const sent[] = {"a", "b", "a", "c\rd"};
		const char *bad;

		/* a key blamed is one of the answer's */
		if (s3_delete_result_check(&d, sent, 4, &bad, err, sizeof(err)) != 0 && bad == NULL &&
			strstr(err, "out of memory") == NULL)
			abort();
		s3_delete_result_free(&d);
	}
	if (s3_xml_parse_field(buf, size, "InitiateMultipartUploadResult", "UploadId", &field,
						   err, sizeof(err)) == 0)
		free(field);
	return 0;
}
