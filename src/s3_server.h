/*-------------------------------------------------------------------------
 *
 * s3_server.h
 *		A foreign server of s3_fdw resolved for one call (options.c): its
 *		options turned into one typed record, the caller's credentials, and
 *		the typed records of a user mapping's and a foreign table's options.
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

/* verify_md5: when a body read whole is checked against an MD5 ETag */
typedef enum S3Verify
{
	S3_VERIFY_NEVER,
	S3_VERIFY_ALWAYS,
	S3_VERIFY_HTTP				/* auto: over plain http, where no TLS protects it */
} S3Verify;

/* url_style: how a bucket goes into a URL */
typedef enum S3UrlStyle
{
	S3_URL_STYLE_UNSET,			/* not given: virtual on AWS, else path */
	S3_URL_STYLE_VIRTUAL,		/* https://BUCKET.host/KEY */
	S3_URL_STYLE_PATH			/* https://host/BUCKET/KEY */
} S3UrlStyle;

/*
 * A foreign server resolved for one call, with the caller's credentials.
 * The first fields are filled by the option table in options.c, each from
 * the option of its name (or the one its comment names), converted to its
 * final type; the rest by s3_server_from_oid()'s finishing step, which
 * looks at several options together.
 */
typedef struct S3Server
{
	/* server options, straight from the table */
	char	   *region;
	s3_endpoint endpoint;		/* endpoint; until finished, host "" when
								 * not given */
	S3UrlStyle	url_style;
	S3CredentialMode cred_mode; /* credentials */
	char	   *role_arn;		/* credentials 'role' */
	char	   *role_session_name;
	char	   *external_id;
	s3_endpoint sts_endpoint;	/* sts_endpoint; once finished, else
								 * AWS_ENDPOINT_URL_STS or the region's */
	int			connect_timeout_ms; /* connect_timeout, given in seconds */
	int			request_timeout_ms; /* request_timeout, given in seconds */
	int			max_retries;
	char	   *ca_file;		/* or NULL for the system's */
	int			max_concurrency;	/* requests in flight at once */
	int			multipart_threshold;	/* uploads above it go in parts */
	int			part_size;
	bool		unsigned_payload;	/* payload_signing 'unsigned' or 'auto':
									 * unsigned over https */
	S3Verify	verify_md5;		/* check bodies against MD5 ETags */
	bool		updatable;		/* may its foreign tables write? */
	/* what uploads send unless a call or a table says otherwise (1.2) */
	char	   *sse;			/* AES256 | aws:kms, or NULL */
	char	   *kms_key_id;
	char	   *encryption_context;	/* a JSON object of strings */
	char	   *bucket_key_enabled; /* "true" | "false", or NULL */
	char	   *storage_class;
	char	   *checksum_algorithm; /* NULL: CRC32C over https */
	bool		parallel_listing;	/* list key ranges concurrently (1.2) */
	int			page_size;		/* keys asked for a listing page */

	/* the finishing step */
	Oid			serverid;
	char	   *servername;
	bool		custom_endpoint;	/* the endpoint option was given */
	bool		virtual_style;	/* url_style, else !custom_endpoint */
	bool		restricted;		/* owned by a non-superuser: no link-local
								 * addresses */
	S3Credentials *creds;		/* NULL until s3_load_credentials() */
	char	   *sse_customer_key;	/* SSE-C: the user mapping's key, base64,
									 * with its MD5 (base64); loaded with the
									 * credentials, never logged */
	char	   *sse_customer_key_md5;
} S3Server;

/* The options of a user mapping: the keys, never logged; NULL: not given */
typedef struct S3MappingOptions
{
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;
	char	   *sse_customer_key;	/* SSE-C: 32 bytes, base64 */
} S3MappingOptions;

/* The options of a foreign table */
typedef struct S3TableOptions
{
	char	   *bucket;			/* NULL: not given */
	char	   *prefix;			/* NULL: not given */
	int			max_concurrency;	/* 0: not given, the server's */
	bool		updatable;		/* true unless given false; the server's
								 * updatable is a ceiling above it */
	/* what its INSERTs and UPDATEs send, before the server's (1.2) */
	char	   *sse;
	char	   *kms_key_id;
	char	   *encryption_context;
	char	   *bucket_key_enabled;
	char	   *storage_class;
	char	   *checksum_algorithm;
	bool		versions;		/* list every version (ListObjectVersions) */
	char	   *parallel_listing;	/* "true" | "false", or NULL: the server's */
	int			page_size;		/* 0: not given, the server's */
} S3TableOptions;

/* options.c */
extern S3Server *s3_server_from_oid(Oid serverid);
extern S3Server *s3_lookup_server(const char *servername);
extern void s3_server_options(List *options, S3Server *out);
extern void s3_mapping_options(List *options, S3MappingOptions *out);
extern void s3_table_options(List *options, S3TableOptions *out);
extern int	s3_table_concurrency(const S3TableOptions *table, const S3Server *server);

#endif							/* S3FDW_S3_SERVER_H */
