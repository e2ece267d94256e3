/*-------------------------------------------------------------------------
 *
 * aws_profile.h
 *		Reading a profile from the AWS shared credentials file
 *		(~/.aws/credentials, AWS_SHARED_CREDENTIALS_FILE) and the AWS config
 *		file (~/.aws/config, AWS_CONFIG_FILE) the way botocore reads them,
 *		for the credential chain of the database server.
 *
 * Free of PostgreSQL headers (libc only), like the other parsers, so that it
 * can be unit-tested on its own.  Strings handed back are malloc'd; error
 * messages never contain bytes of the file (it holds secrets).
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_AWS_PROFILE_H
#define S3FDW_AWS_PROFILE_H

#include <stddef.h>
#include <stdbool.h>

typedef struct aws_profile
{
	bool		found;			/* the section exists in this file */
	char	   *access_key_id;	/* aws_access_key_id, or NULL */
	char	   *secret_access_key;	/* aws_secret_access_key, or NULL */
	char	   *session_token;	/* aws_session_token (or the older
								 * aws_security_token, which botocore prefers
								 * when both are there), or NULL */
	const char *unsupported;	/* static: the first key of a kind s3_fdw
								 * does not follow ("role_arn",
								 * "source_profile", "credential_process",
								 * "sso_session", "sso_start_url",
								 * "web_identity_token_file"), or NULL */
} aws_profile;

/*
 * Reads profile `name` from one file's contents.  config_file selects the
 * config file's section names: "[profile NAME]" (and "[default]" for the
 * default profile, "[profile default]" too); in the credentials file a
 * section is "[NAME]".  Returns 0 (found tells whether the section exists),
 * -1 on a malformed file or out of memory, with a message in errbuf.  A NULL
 * or empty buffer is a file without the section.  On -1, out holds nothing.
 */
extern int	aws_profile_parse(const char *buf, size_t len, const char *name,
							  bool config_file, aws_profile *out,
							  char *errbuf, size_t errlen);
extern void aws_profile_free(aws_profile *p);

#endif							/* S3FDW_AWS_PROFILE_H */
