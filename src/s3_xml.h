/*-------------------------------------------------------------------------
 *
 * s3_xml.h
 *		Parsing of the XML documents S3 answers with: ListAllMyBucketsResult,
 *		ListBucketResult (ListObjectsV2), ListVersionsResult
 *		(ListObjectVersions), VersioningConfiguration, DeleteResult, Tagging
 *		and Error.
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

#include "core.h"

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
	/*
	 * NULL when each string is malloc'd on its own; else the fast scanner's
	 * (s3_xml_fast.c) chain of malloc'd blocks holding every string of the
	 * page, each block starting with the pointer to the next
	 */
	void	   *arena;
} s3_object_list;

/*
 * The fields of a Contents a caller reads (S3ListRequest.want, the fast
 * scanner's want): those left out stay NULL.  Sizes, common prefixes and
 * the page's own fields are always kept.  S3_WANT_NONE is a mask that is
 * not 0 (which S3ListRequest takes for "all") and reads sizes only.
 */
#define S3_WANT_KEY				0x01
#define S3_WANT_LAST_MODIFIED	0x02
#define S3_WANT_ETAG			0x04
#define S3_WANT_STORAGE_CLASS	0x08
#define S3_WANT_ALL				0x0F
#define S3_WANT_NONE			0x100

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

/* ListObjectVersions (ListVersionsResult, s3_xml_list.c) */
typedef struct s3_version_entry
{
	char	   *key;			/* URL-decoded when EncodingType was "url" */
	char	   *version_id;		/* "null" for an object stored unversioned */
	bool		is_latest;
	bool		is_delete_marker;	/* a <DeleteMarker>, not a <Version> */
	long long	size;			/* -1 when absent (a delete marker) */
	char	   *last_modified;	/* ISO 8601, or NULL */
	char	   *etag;			/* without surrounding quotes, or NULL */
	char	   *storage_class;	/* or NULL */
} s3_version_entry;

typedef struct s3_version_list
{
	s3_version_entry *items;	/* by key (bytes), then newest first */
	size_t		n;
	char	  **common_prefixes;	/* URL-decoded like keys */
	size_t		n_prefixes;
	bool		is_truncated;
	char	   *next_key_marker;	/* or NULL */
	char	   *next_version_id_marker; /* or NULL */
} s3_version_list;

extern int	s3_xml_parse_list_versions(const char *buf, size_t len,
									   s3_version_list *out,
									   char *errbuf, size_t errlen);
extern void s3_version_list_free(s3_version_list *l);

/*
 * GetBucketVersioning: *status is "Enabled" or "Suspended" (malloc'd), or
 * NULL when the bucket was never versioned (the document has no Status)
 */
extern int	s3_xml_parse_versioning(const char *buf, size_t len, char **status,
									char *errbuf, size_t errlen);

/* Parses an <Error> document; fields S3 did not send stay NULL. */
extern int	s3_xml_parse_error(const char *buf, size_t len,
							   s3_error_info *out,
							   char *errbuf, size_t errlen);
extern void s3_error_info_free(s3_error_info *e);

/* AssumeRole / AssumeRoleWithWebIdentity responses: .../Credentials */
extern int	s3_xml_parse_sts_credentials(const char *buf, size_t len,
										 s3_temp_credentials *out,
										 char *errbuf, size_t errlen);


/* DeleteObjects: the keys S3 could not delete (s3_xml_delete.c) */
typedef struct s3_delete_error
{
	char	   *key;
	char	   *code;			/* or NULL */
	char	   *message;		/* or NULL */
} s3_delete_error;

typedef struct s3_delete_result
{
	size_t		ndeleted;		/* <Deleted> entries (none in quiet mode) */
	char	  **deleted;		/* their keys */
	s3_delete_error *errors;
	size_t		nerrors;
} s3_delete_result;

extern int	s3_xml_parse_delete_result(const char *buf, size_t len, s3_delete_result *out,
									   char *errbuf, size_t errlen);
extern void s3_delete_result_free(s3_delete_result *r);

/*
 * Does the answer speak only of keys the request sent (sent: nsent UTF-8
 * keys)?  Each <Deleted> or <Error> entry must name a key sent, and no key
 * may be named more often than it was sent.  Keys compare after XML's
 * line-end handling (CR LF and CR read as LF), which an answer that does
 * not escape a CR goes through.  Returns 0, or -1 with the entry's key in
 * *bad_key (NULL when out of memory) and what is wrong in errbuf.
 */
extern int	s3_delete_result_check(const s3_delete_result *r, const char *const *sent,
								   size_t nsent, const char **bad_key,
								   char *errbuf, size_t errlen);

/* GetObjectTagging: an object's tags (Tagging/TagSet/Tag), in S3's order */
typedef struct s3_tag
{
	char	   *key;
	char	   *value;			/* "" when S3 sent none */
} s3_tag;

typedef struct s3_tag_set
{
	s3_tag	   *items;
	size_t		n;
} s3_tag_set;

extern int	s3_xml_parse_tagging(const char *buf, size_t len, s3_tag_set *out,
								 char *errbuf, size_t errlen);
extern void s3_tag_set_free(s3_tag_set *t);

/* The text of the root's child element field (malloc'd; NULL if absent) */
extern int	s3_xml_parse_field(const char *buf, size_t len, const char *root_name,
							   const char *field, char **out,
							   char *errbuf, size_t errlen);

#endif							/* S3FDW_S3_XML_H */
