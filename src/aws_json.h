/*-------------------------------------------------------------------------
 *
 * aws_json.h
 *		Parsing of the credential JSON that the EC2 instance metadata
 *		service and the ECS/EKS container endpoint answer with (aws_json.c).
 *
 * Free of PostgreSQL headers, like the other parsers.  The result is the
 * s3_temp_credentials of core.h, which STS's XML answers fill too.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_AWS_JSON_H
#define S3FDW_AWS_JSON_H

#include <stddef.h>

#include "core.h"

/*
 * The JSON of the EC2 instance metadata service and the ECS/EKS container
 * endpoint: {"AccessKeyId": ..., "SecretAccessKey": ..., "Token": ...,
 * "Expiration": ...}.  A flat object; other members are skipped.
 */
extern int	s3_json_parse_credentials(const char *buf, size_t len,
									  s3_temp_credentials *out,
									  char *errbuf, size_t errlen);

#endif							/* S3FDW_AWS_JSON_H */
