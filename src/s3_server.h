/*-------------------------------------------------------------------------
 *
 * s3_server.h
 *		A foreign server of s3_fdw resolved for one call (options.c): its
 *		options turned into one typed record, the caller's credentials, and
 *		the options of user mappings and foreign tables.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_SERVER_H
#define S3FDW_S3_SERVER_H

#include "nodes/pg_list.h"

#include "s3_fdw.h"
#include "s3_names.h"

/* How a server obtains its AWS credentials (server option "credentials") */
typedef enum S3CredentialMode
{
	S3_CRED_KEYS,				/* access keys from the user mapping */
	S3_CRED_INSTANCE,			/* the machine's own credentials */
	S3_CRED_ROLE				/* an assumed role */
} S3CredentialMode;

/* Credentials used to sign one request; palloc'd, never logged. */
typedef struct S3Credentials
{
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;	/* NULL when there is none */
	time_t		expires;		/* 0 when they do not expire */
} S3Credentials;

/* A foreign server resolved for one call, with the caller's credentials. */
/* verify_md5: when a body read whole is checked against an MD5 ETag */
typedef enum S3Verify
{
	S3_VERIFY_NEVER,
	S3_VERIFY_ALWAYS,
	S3_VERIFY_HTTP				/* auto: over plain http, where no TLS protects it */
} S3Verify;

typedef struct S3Server
{
	Oid			serverid;
	char	   *servername;
	char	   *region;
	s3_endpoint endpoint;
	bool		custom_endpoint;
	bool		virtual_style;
	S3CredentialMode cred_mode;
	char	   *role_arn;		/* credentials 'role' */
	char	   *role_session_name;
	char	   *external_id;
	s3_endpoint sts_endpoint;	/* from sts_endpoint, AWS_ENDPOINT_URL_STS or
								 * the region's */
	S3Credentials *creds;		/* NULL until s3_load_credentials() */
	int			connect_timeout_ms;
	int			request_timeout_ms;
	int			max_retries;
	char	   *ca_file;		/* or NULL for the system's */
	bool		restricted;		/* owned by a non-superuser: no link-local
								 * addresses */
	int			max_concurrency;	/* requests in flight at once */
	int			multipart_threshold;	/* uploads above it go in parts */
	int			part_size;
	bool		unsigned_payload;	/* payload_signing 'unsigned' or 'auto':
									 * unsigned over https */
	S3Verify	verify_md5;		/* check bodies against MD5 ETags */
} S3Server;

/*
 * The options of a server, user mapping or foreign table, as
 * s3_extract_options() reads them (options.c holds the table of options,
 * their contexts and defaults); only the fields of one context are set.
 */
typedef struct S3Options
{
	/* server */
	const char *region;
	const char *endpoint;
	const char *url_style;
	const char *credentials;
	const char *role_arn;
	const char *role_session_name;
	const char *external_id;
	const char *sts_endpoint;
	int			connect_timeout;	/* seconds */
	int			request_timeout;	/* seconds */
	int			max_retries;
	const char *ca_file;
	int			max_concurrency;	/* requests in flight at once */
	int			multipart_threshold;	/* bytes */
	int			part_size;		/* bytes */
	const char *payload_signing;
	const char *verify_md5;
	const char *updatable;		/* may foreign tables write? */
	/* user mapping */
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;
	/* foreign table */
	const char *bucket;
	const char *prefix;
	int			table_max_concurrency;	/* 0: the server's */
	const char *table_updatable;	/* NULL: the server's */
} S3Options;

/* options.c */
extern void s3_extract_options(List *options, Oid context, S3Options *out);
extern S3Server *s3_server_from_oid(Oid serverid);
extern S3Server *s3_lookup_server(const char *servername);

#endif							/* S3FDW_S3_SERVER_H */
