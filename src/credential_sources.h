/*-------------------------------------------------------------------------
 *
 * credential_sources.h
 *		Where temporary and machine credentials come from
 *		(credential_sources.c), for credentials.c: the AWS SDKs' default
 *		chain (credentials 'instance') and STS AssumeRole (credentials
 *		'role'); and how many temporary credentials this backend fetched,
 *		for s3_fdw_connection_stats.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_CREDENTIAL_SOURCES_H
#define S3FDW_CREDENTIAL_SOURCES_H

#include "s3_server.h"

extern S3Credentials *s3_instance_credentials(S3Server *server);
extern S3Credentials *s3_assume_role(S3Server *server, const S3Credentials *base);
extern int64 s3_credential_fetches(void);

#endif							/* S3FDW_CREDENTIAL_SOURCES_H */
