/*-------------------------------------------------------------------------
 *
 * credentials.h
 *		Which credentials sign a server's requests (credentials.c: user
 *		mappings, the modes, the cache of temporary ones).
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_CREDENTIALS_H
#define S3FDW_CREDENTIALS_H

#include "s3_server.h"

/* credentials.c: fills server->creds, for the current user or another */
extern void s3_load_credentials(S3Server *server);
extern void s3_load_credentials_for(S3Server *server, Oid userid);


#endif							/* S3FDW_CREDENTIALS_H */
