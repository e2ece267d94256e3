/*-------------------------------------------------------------------------
 *
 * credentials.h
 *		Which credentials sign a server's requests (credentials.c: user
 *		mappings, the modes, the cache) and where temporary ones come from
 *		(credential_sources.c: the instance chain, STS AssumeRole).
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_CREDENTIALS_H
#define S3FDW_CREDENTIALS_H

#include "s3_server.h"

/* credentials.c: fills server->creds, for the current user or another */
extern void s3_load_credentials(S3Server *server);
extern void s3_load_credentials_for(S3Server *server, Oid userid);

/* credential_sources.c */
extern S3Credentials *s3_instance_credentials(S3Server *server);
extern S3Credentials *s3_assume_role(S3Server *server, const S3Credentials *base);
extern int64 s3_credential_fetches(void);

#endif							/* S3FDW_CREDENTIALS_H */
