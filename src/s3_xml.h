/*-------------------------------------------------------------------------
 *
 * s3_xml.h
 *		Parsing of the XML documents S3 answers with: ListAllMyBucketsResult,
 *		ListBucketResult (ListObjectsV2) and Error.
 *
 * Free of PostgreSQL headers (libc and libxml2 only), so that the parser can
 * be unit-tested and fuzzed on its own.  Network access, DTDs and entity
 * expansion are disabled.  Every string handed back is malloc'd, owned by
 * the result structure and released by the matching *_free() function.
 * Functions return 0 on success and -1 on failure, with a short message
 * (never containing input bytes beyond an element name) in errbuf.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_XML_H
#define S3FDW_S3_XML_H

#include <stddef.h>
#include <stdbool.h>

typedef struct s3_bucket_entry
{
	char	   *name;
	char	   *creation_date;	/* ISO 8601 as S3 sent it, or NULL */
} s3_bucket_entry;

typedef struct s3_bucket_list
{
	s3_bucket_entry *items;
	size_t		n;
	char	   *continuation_token; /* ListBuckets paging, or NULL */
} s3_bucket_list;

typedef struct s3_object_entry
{
	char	   *key;			/* URL-decoded when EncodingType was "url" */
	long long	size;			/* -1 when absent */
	char	   *last_modified;	/* ISO 8601, or NULL */
	char	   *etag;			/* without surrounding quotes, or NULL */
	char	   *storage_class;	/* or NULL */
} s3_object_entry;

typedef struct s3_object_list
{
	s3_object_entry *items;
	size_t		n;
	char	  **common_prefixes;	/* URL-decoded like keys */
	size_t		n_prefixes;
	bool		is_truncated;
	char	   *next_continuation_token;	/* or NULL */
	int			key_count;		/* KeyCount, -1 when absent */
} s3_object_list;

typedef struct s3_error_info
{
	char	   *code;			/* "NoSuchKey", ... or NULL */
	char	   *message;
	char	   *request_id;
	char	   *region;			/* <Region>, sent with redirects */
	char	   *endpoint;		/* <Endpoint>, sent with redirects */
	char	   *bucket_name;
	char	   *key;
} s3_error_info;

extern int	s3_xml_parse_buckets(const char *buf, size_t len,
								 s3_bucket_list *out,
								 char *errbuf, size_t errlen);
extern void s3_bucket_list_free(s3_bucket_list *l);

extern int	s3_xml_parse_list_objects(const char *buf, size_t len,
									  s3_object_list *out,
									  char *errbuf, size_t errlen);
extern void s3_object_list_free(s3_object_list *l);

/* Parses an <Error> document; fields S3 did not send stay NULL. */
extern int	s3_xml_parse_error(const char *buf, size_t len,
							   s3_error_info *out,
							   char *errbuf, size_t errlen);
extern void s3_error_info_free(s3_error_info *e);

/* Temporary credentials, from STS (XML) or a credential endpoint (JSON) */
typedef struct s3_temp_credentials
{
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;	/* or NULL */
	char	   *expiration;		/* ISO 8601, or NULL for none */
} s3_temp_credentials;

/* AssumeRole / AssumeRoleWithWebIdentity responses: .../Credentials */
extern int	s3_xml_parse_sts_credentials(const char *buf, size_t len,
										 s3_temp_credentials *out,
										 char *errbuf, size_t errlen);

extern void s3_temp_credentials_free(s3_temp_credentials *c);

#endif							/* S3FDW_S3_XML_H */
