/*
 * fuzz_xml.c
 *		libFuzzer target: every S3 and STS document parser of s3_xml.c on the
 *		same input.  Any crash, leak or undefined behaviour is a finding.
 */
#include <stddef.h>
#include <stdint.h>

#include "aws_json.h"
#include "s3_xml.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *) data;
	char		err[128];
	s3_bucket_list b;
	s3_object_list o;
	s3_error_info e;
	s3_temp_credentials t;

	if (s3_xml_parse_buckets(buf, size, &b, err, sizeof(err)) == 0)
		s3_bucket_list_free(&b);
	if (s3_xml_parse_list_objects(buf, size, &o, err, sizeof(err)) == 0)
		s3_object_list_free(&o);
	if (s3_xml_parse_error(buf, size, &e, err, sizeof(err)) == 0)
		s3_error_info_free(&e);
	if (s3_xml_parse_sts_credentials(buf, size, &t, err, sizeof(err)) == 0)
		s3_temp_credentials_free(&t);
	if (s3_json_parse_credentials(buf, size, &t, err, sizeof(err)) == 0)
		s3_temp_credentials_free(&t);
	return 0;
}
