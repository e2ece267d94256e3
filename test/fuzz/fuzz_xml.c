/*
 * fuzz_xml.c
 *		libFuzzer target: every S3 and STS document parser of s3_xml.c on the
 *		same input.  Any crash, leak or undefined behaviour is a finding.
 *
 * And a differential check: the peek at the head of a ListObjectsV2 page
 * (s3_xml_fast_list_peek), fed the input whole, a byte at a time and in
 * pieces whose sizes the input's own bytes choose, must say the same each
 * way, and whenever it says it knows the continuation token, what
 * s3_xml_parse_list_objects() reads of the whole input (when it reads it):
 * the same IsTruncated, the same token.  Any disagreement aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws_json.h"
#include "s3_xml.h"
#include "s3_xml_fast.h"
#include "../list_compare.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *) data;
	char		err[128];
	s3_bucket_list b;
	s3_error_info e;
	s3_temp_credentials t;
	s3_delete_result d;
	s3_tag_set tags;
	s3_version_list v;
	char	   *field;

	if (s3_xml_parse_buckets(buf, size, &b, err, sizeof(err)) == 0)
		s3_bucket_list_free(&b);
	/* the peek at the head of a listing says only what the page says */
	if (!peek_matches_tree(buf, size))
		abort();
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
	if (s3_xml_parse_tagging(buf, size, &tags, err, sizeof(err)) == 0)
	{
		size_t		i;

		/* every tag has a name and a value */
		for (i = 0; i < tags.n; i++)
			if (tags.items[i].key == NULL || tags.items[i].value == NULL)
				abort();
		s3_tag_set_free(&tags);
	}
	if (s3_xml_parse_list_versions(buf, size, &v, err, sizeof(err)) == 0)
	{
		/* in S3's order: by key */
		for (size_t i = 1; i < v.n; i++)
			if (strcmp(v.items[i - 1].key, v.items[i].key) > 0)
				abort();
		s3_version_list_free(&v);
	}
	if (s3_xml_parse_versioning(buf, size, &field, err, sizeof(err)) == 0)
		free(field);
	if (s3_xml_parse_field(buf, size, "InitiateMultipartUploadResult", "UploadId", &field,
						   err, sizeof(err)) == 0)
		free(field);
	return 0;
}
