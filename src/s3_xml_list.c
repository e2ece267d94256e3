/*-------------------------------------------------------------------------
 *
 * s3_xml_list.c
 *		Parsing of S3's listings: ListAllMyBucketsResult (ListBuckets),
 *		ListBucketResult (ListObjectsV2) and ListVersionsResult
 *		(ListObjectVersions), with the rules of s3_xml.c (see there): local
 *		names only, no DOCTYPE, malloc'd results, messages that name at most
 *		an element.
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_internal.h"

/* ---- ListBuckets ---- */

void
s3_bucket_list_free(s3_bucket_list *l)
{
	size_t		i;

	if (l == NULL)
		return;
	if (l->items != NULL)
	{
		for (i = 0; i < l->n; i++)
		{
			free(l->items[i].name);
			free(l->items[i].creation_date);
		}
		free(l->items);
	}
	free(l->continuation_token);
	memset(l, 0, sizeof(*l));
}

/* ListAllMyBucketsResult: the buckets, and the next page's token */
static int
read_buckets(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	s3_bucket_list *res = (s3_bucket_list *) result;
	size_t		cap = 0;
	xmlNodePtr	n;

	for (n = root->children; n != NULL; n = n->next)
	{
		xmlNodePtr	b;

		if (s3x_name_is(n, "ContinuationToken"))
		{
			if (!s3x_take_text(n, &res->continuation_token))
				return S3X_OOM;
			continue;
		}
		if (!s3x_name_is(n, "Buckets"))
			continue;

		for (b = n->children; b != NULL; b = b->next)
		{
			s3_bucket_entry *e;
			xmlNodePtr	f;

			if (!s3x_name_is(b, "Bucket"))
				continue;
			if (!s3x_array_append(&res->items, &res->n, &cap, sizeof(*res->items), &e))
				return S3X_OOM;

			for (f = b->children; f != NULL; f = f->next)
			{
				if ((s3x_name_is(f, "Name") && !s3x_take_text(f, &e->name)) ||
					(s3x_name_is(f, "CreationDate") && !s3x_take_text(f, &e->creation_date)))
					return S3X_OOM;
			}
			if (e->name == NULL)
			{
				core_set_error(errbuf, errlen, "Bucket without Name in %s", what);
				return S3X_FAIL;
			}
		}
	}
	return S3X_OK;
}

static void
free_buckets(void *result)
{
	s3_bucket_list_free((s3_bucket_list *) result);
}

int
s3_xml_parse_buckets(const char *buf, size_t len, s3_bucket_list *out,
					 char *errbuf, size_t errlen)
{
	return s3x_parse(buf, len, "ListAllMyBucketsResult", "ListBuckets response", read_buckets,
					 out, sizeof(*out), free_buckets, errbuf, errlen);
}


/* ---- ListObjectsV2 ---- */

void
s3_object_list_free(s3_object_list *l)
{
	size_t		i;

	if (l == NULL)
		return;
	if (l->arena != NULL)
	{
		/* the fast scanner's strings all go with its blocks */
		while (l->arena != NULL)
		{
			void	   *next = *(void **) l->arena;

			free(l->arena);
			l->arena = next;
		}
		free(l->items);
		free(l->common_prefixes);
		memset(l, 0, sizeof(*l));
		return;
	}
	if (l->items != NULL)
	{
		for (i = 0; i < l->n; i++)
		{
			free(l->items[i].key);
			free(l->items[i].last_modified);
			free(l->items[i].etag);
			free(l->items[i].storage_class);
		}
		free(l->items);
	}
	if (l->common_prefixes != NULL)
	{
		for (i = 0; i < l->n_prefixes; i++)
			free(l->common_prefixes[i]);
		free(l->common_prefixes);
	}
	free(l->next_continuation_token);
	memset(l, 0, sizeof(*l));
}

/*
 * Fills in one Contents entry, which the caller has zeroed and counted.
 * Returns 0, or -1 with a message in errbuf.
 */
static int
parse_contents(xmlNodePtr node, s3_object_entry *e, bool url_encoded,
			   const char *what, char *errbuf, size_t errlen)
{
	xmlNodePtr	f;
	bool		have_size = false;
	int			rc;

	e->size = -1;
	for (f = node->children; f != NULL; f = f->next)
	{
		if (s3x_name_is(f, "Key"))
		{
			if (!s3x_take_text(f, &e->key))
				goto oom;
		}
		else if (s3x_name_is(f, "Size"))
		{
			char	   *t;
			bool		ok;
			long long	v = 0;

			if (have_size)
				continue;
			t = s3x_node_text(f);
			if (t == NULL)
				goto oom;
			ok = s3x_parse_nonneg(t, LLONG_MAX, &v);
			free(t);
			if (!ok)
			{
				core_set_error(errbuf, errlen, "invalid Size in %s", what);
				return -1;
			}
			e->size = v;
			have_size = true;
		}
		else if (s3x_name_is(f, "LastModified"))
		{
			if (!s3x_take_text(f, &e->last_modified))
				goto oom;
		}
		else if (s3x_name_is(f, "ETag"))
		{
			if (e->etag != NULL)
				continue;
			if (!s3x_take_text(f, &e->etag))
				goto oom;
			s3x_strip_quotes(e->etag);
		}
		else if (s3x_name_is(f, "StorageClass"))
		{
			if (!s3x_take_text(f, &e->storage_class))
				goto oom;
		}
	}

	if (e->key == NULL)
	{
		core_set_error(errbuf, errlen, "Contents without Key in %s", what);
		return -1;
	}
	if (url_encoded)
	{
		rc = s3x_url_decode_field(&e->key);
		if (rc == URLDEC_OOM)
			goto oom;
		if (rc != URLDEC_OK)
		{
			core_set_error(errbuf, errlen, "invalid URL encoding of Key in %s",
					  what);
			return -1;
		}
	}
	if (e->key[0] == '\0')
	{
		core_set_error(errbuf, errlen, "empty Key in %s", what);
		return -1;
	}
	return 0;

oom:
	core_set_error(errbuf, errlen, "out of memory parsing %s", what);
	return -1;
}

/* What the stages of a listing's parse return */

/* EncodingType may follow the keys, so it is looked for first. */
static int
listing_encoding(xmlNodePtr root, bool *url_encoded, const char *what,
				 char *errbuf, size_t errlen)
{
	xmlNodePtr	n;

	for (n = root->children; n != NULL; n = n->next)
	{
		char	   *t;
		bool		ok;

		if (!s3x_name_is(n, "EncodingType"))
			continue;
		if ((t = s3x_node_text(n)) == NULL)
			return S3X_OOM;
		ok = s3x_equals_trimmed(t, "url");
		free(t);
		if (!ok)
		{
			core_set_error(errbuf, errlen, "unsupported EncodingType in %s", what);
			return S3X_FAIL;
		}
		*url_encoded = true;
		break;
	}
	return S3X_OK;
}

/* One <Contents>: an object. */
static int
listing_contents(xmlNodePtr n, s3_object_list *res, size_t *cap, bool url_encoded,
				 const char *what, char *errbuf, size_t errlen)
{
	s3_object_entry *e;

	if (!s3x_array_append(&res->items, &res->n, cap, sizeof(*res->items), &e))
		return S3X_OOM;
	return parse_contents(n, e, url_encoded, what, errbuf, errlen) == 0 ? S3X_OK : S3X_FAIL;
}

/* One <CommonPrefixes>: its <Prefix>, appended to *prefixes (*n of them). */
static int
listing_common_prefix(xmlNodePtr n, char ***prefixes, size_t *np, size_t *pcap,
					  bool url_encoded, const char *what, char *errbuf, size_t errlen)
{
	xmlNodePtr	f;
	char	   *prefix = NULL;
	char	  **slot;
	int			rc;

	for (f = n->children; f != NULL && prefix == NULL; f = f->next)
		if (s3x_name_is(f, "Prefix") && (prefix = s3x_node_text(f)) == NULL)
			return S3X_OOM;
	if (prefix == NULL)
	{
		core_set_error(errbuf, errlen, "CommonPrefixes without Prefix in %s", what);
		return S3X_FAIL;
	}
	if (!s3x_array_append(prefixes, np, pcap, sizeof(char *), &slot))
	{
		free(prefix);
		return S3X_OOM;
	}
	*slot = prefix;
	if (!url_encoded)
		return S3X_OK;
	rc = s3x_url_decode_field(slot);
	if (rc == URLDEC_OOM)
		return S3X_OOM;
	if (rc != URLDEC_OK)
	{
		core_set_error(errbuf, errlen, "invalid URL encoding of CommonPrefixes in %s", what);
		return S3X_FAIL;
	}
	return S3X_OK;
}

/* A boolean element (IsTruncated, IsLatest): true or false. */
static int
listing_bool(xmlNodePtr n, const char *name, bool *value, const char *what,
			 char *errbuf, size_t errlen)
{
	char	   *t;
	int			rc = S3X_OK;

	if ((t = s3x_node_text(n)) == NULL)
		return S3X_OOM;
	if (s3x_equals_trimmed(t, "true"))
		*value = true;
	else if (s3x_equals_trimmed(t, "false"))
		*value = false;
	else
	{
		core_set_error(errbuf, errlen, "invalid %s in %s", name, what);
		rc = S3X_FAIL;
	}
	free(t);
	return rc;
}

/* <IsTruncated>: true or false; the first one counts. */
static int
listing_truncated(xmlNodePtr n, bool *truncated, bool *have_truncated,
				  const char *what, char *errbuf, size_t errlen)
{
	if (*have_truncated)
		return S3X_OK;
	*have_truncated = true;
	return listing_bool(n, "IsTruncated", truncated, what, errbuf, errlen);
}

/* <KeyCount>: a number; the first one counts. */
static int
listing_key_count(xmlNodePtr n, s3_object_list *res, const char *what,
				  char *errbuf, size_t errlen)
{
	char	   *t;
	bool		ok;
	long long	v = 0;

	if (res->key_count >= 0)
		return S3X_OK;
	if ((t = s3x_node_text(n)) == NULL)
		return S3X_OOM;
	ok = s3x_parse_nonneg(t, INT_MAX, &v);
	free(t);
	if (!ok)
	{
		core_set_error(errbuf, errlen, "invalid KeyCount in %s", what);
		return S3X_FAIL;
	}
	res->key_count = (int) v;
	return S3X_OK;
}

/* ListBucketResult: objects, common prefixes, whether it goes on */
static int
read_list_objects(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	s3_object_list *res = (s3_object_list *) result;
	size_t		cap = 0;
	size_t		pcap = 0;
	bool		url_encoded = false;
	bool		have_truncated = false;
	xmlNodePtr	n;
	int			rc;

	res->key_count = -1;
	rc = listing_encoding(root, &url_encoded, what, errbuf, errlen);
	for (n = rc == S3X_OK ? root->children : NULL; n != NULL && rc == S3X_OK; n = n->next)
	{
		if (s3x_name_is(n, "Contents"))
			rc = listing_contents(n, res, &cap, url_encoded, what, errbuf, errlen);
		else if (s3x_name_is(n, "CommonPrefixes"))
			rc = listing_common_prefix(n, &res->common_prefixes, &res->n_prefixes, &pcap,
									   url_encoded, what, errbuf, errlen);
		else if (s3x_name_is(n, "IsTruncated"))
			rc = listing_truncated(n, &res->is_truncated, &have_truncated, what, errbuf, errlen);
		else if (s3x_name_is(n, "NextContinuationToken"))
			rc = s3x_take_text(n, &res->next_continuation_token) ? S3X_OK : S3X_OOM;
		else if (s3x_name_is(n, "KeyCount"))
			rc = listing_key_count(n, res, what, errbuf, errlen);
	}
	return rc;
}

static void
free_list_objects(void *result)
{
	s3_object_list_free((s3_object_list *) result);
}

int
s3_xml_parse_list_objects(const char *buf, size_t len, s3_object_list *out,
						  char *errbuf, size_t errlen)
{
	return s3x_parse(buf, len, "ListBucketResult", "ListObjectsV2 response", read_list_objects,
					 out, sizeof(*out), free_list_objects, errbuf, errlen);
}




/* ---- ListObjectVersions ---- */

void
s3_version_list_free(s3_version_list *l)
{
	size_t		i;

	if (l == NULL)
		return;
	if (l->items != NULL)
	{
		for (i = 0; i < l->n; i++)
		{
			free(l->items[i].key);
			free(l->items[i].version_id);
			free(l->items[i].last_modified);
			free(l->items[i].etag);
			free(l->items[i].storage_class);
		}
		free(l->items);
	}
	if (l->common_prefixes != NULL)
	{
		for (i = 0; i < l->n_prefixes; i++)
			free(l->common_prefixes[i]);
		free(l->common_prefixes);
	}
	free(l->next_key_marker);
	free(l->next_version_id_marker);
	memset(l, 0, sizeof(*l));
}

/*
 * One <Version> or <DeleteMarker>, into e (zeroed and counted by the
 * caller): a key and a version id it must have; the first of each element
 * counts.
 */
static int
parse_version(xmlNodePtr node, s3_version_entry *e, bool url_encoded,
			  const char *what, char *errbuf, size_t errlen)
{
	const char *element = e->is_delete_marker ? "DeleteMarker" : "Version";
	bool		have_latest = false;
	xmlNodePtr	f;
	int			rc;

	e->size = -1;
	for (f = node->children; f != NULL; f = f->next)
	{
		if (s3x_name_is(f, "Key"))
			rc = s3x_take_text(f, &e->key) ? S3X_OK : S3X_OOM;
		else if (s3x_name_is(f, "VersionId"))
			rc = s3x_take_text(f, &e->version_id) ? S3X_OK : S3X_OOM;
		else if (s3x_name_is(f, "IsLatest") && !have_latest)
		{
			have_latest = true;
			rc = listing_bool(f, "IsLatest", &e->is_latest, what, errbuf, errlen);
		}
		else if (s3x_name_is(f, "Size") && e->size < 0 && !e->is_delete_marker)
		{
			char	   *t = s3x_node_text(f);
			long long	v = 0;

			if (t == NULL)
				return S3X_OOM;
			rc = s3x_parse_nonneg(t, LLONG_MAX, &v) ? S3X_OK : S3X_FAIL;
			free(t);
			if (rc != S3X_OK)
				core_set_error(errbuf, errlen, "invalid Size in %s", what);
			e->size = v;
		}
		else if (s3x_name_is(f, "LastModified"))
			rc = s3x_take_text(f, &e->last_modified) ? S3X_OK : S3X_OOM;
		else if (s3x_name_is(f, "ETag") && !e->is_delete_marker)
		{
			bool		first = e->etag == NULL;

			rc = s3x_take_text(f, &e->etag) ? S3X_OK : S3X_OOM;
			if (rc == S3X_OK && first)
				s3x_strip_quotes(e->etag);
		}
		else if (s3x_name_is(f, "StorageClass") && !e->is_delete_marker)
			rc = s3x_take_text(f, &e->storage_class) ? S3X_OK : S3X_OOM;
		else
			rc = S3X_OK;
		if (rc != S3X_OK)
			return rc;
	}

	if (e->key == NULL || e->version_id == NULL)
	{
		core_set_error(errbuf, errlen, "%s without %s in %s", element,
					   e->key == NULL ? "Key" : "VersionId", what);
		return S3X_FAIL;
	}
	if (url_encoded)
	{
		rc = s3x_url_decode_field(&e->key);
		if (rc == URLDEC_OOM)
			return S3X_OOM;
		if (rc != URLDEC_OK)
		{
			core_set_error(errbuf, errlen, "invalid URL encoding of Key in %s", what);
			return S3X_FAIL;
		}
	}
	if (e->key[0] == '\0' || e->version_id[0] == '\0')
	{
		core_set_error(errbuf, errlen, "empty %s in %s",
					   e->key[0] == '\0' ? "Key" : "VersionId", what);
		return S3X_FAIL;
	}
	return S3X_OK;
}

/* An entry and its place in the document, for a stable sort */
typedef struct version_place
{
	s3_version_entry e;
	size_t		seq;
} version_place;

/*
 * S3's order: by key (bytes), then newest first; the latest version of a
 * key comes first.  Between entries these cannot tell apart, the order of
 * the document.
 */
static int
version_order(const void *a, const void *b)
{
	const version_place *x = (const version_place *) a;
	const version_place *y = (const version_place *) b;
	int			c = strcmp(x->e.key, y->e.key);

	if (c != 0)
		return c;
	if (x->e.is_latest != y->e.is_latest)
		return x->e.is_latest ? -1 : 1;
	if (x->e.last_modified != NULL && y->e.last_modified != NULL &&
		(c = strcmp(y->e.last_modified, x->e.last_modified)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * S3 sends the versions and delete markers of a page in one order,
 * interleaved; some servers (moto) send all the <Version>s, then all the
 * <DeleteMarker>s.  The page is put in S3's order either way (a page S3
 * ordered stays as it is).
 */
static bool
sort_versions(s3_version_list *res)
{
	version_place *p;
	size_t		i;

	if (res->n < 2)
		return true;
	p = malloc(sizeof(version_place) * res->n);
	if (p == NULL)
		return false;
	for (i = 0; i < res->n; i++)
	{
		p[i].e = res->items[i];
		p[i].seq = i;
	}
	qsort(p, res->n, sizeof(version_place), version_order);
	for (i = 0; i < res->n; i++)
		res->items[i] = p[i].e;
	free(p);
	return true;
}

/* A marker for the next page (NextKeyMarker, NextVersionIdMarker) */
static int
listing_marker(xmlNodePtr n, char **field, bool url_encoded, const char *what,
			   char *errbuf, size_t errlen)
{
	int			rc;

	if (*field != NULL)
		return S3X_OK;
	if (!s3x_take_text(n, field))
		return S3X_OOM;
	if (!url_encoded)
		return S3X_OK;
	rc = s3x_url_decode_field(field);
	if (rc == URLDEC_OOM)
		return S3X_OOM;
	if (rc != URLDEC_OK)
	{
		core_set_error(errbuf, errlen, "invalid URL encoding of NextKeyMarker in %s", what);
		return S3X_FAIL;
	}
	return S3X_OK;
}

/* ListVersionsResult: versions and delete markers, common prefixes, markers */
static int
read_list_versions(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	s3_version_list *res = (s3_version_list *) result;
	size_t		cap = 0;
	size_t		pcap = 0;
	bool		url_encoded = false;
	bool		have_truncated = false;
	xmlNodePtr	n;
	int			rc;

	rc = listing_encoding(root, &url_encoded, what, errbuf, errlen);
	for (n = rc == S3X_OK ? root->children : NULL; n != NULL && rc == S3X_OK; n = n->next)
	{
		bool		marker = s3x_name_is(n, "DeleteMarker");

		if (marker || s3x_name_is(n, "Version"))
		{
			s3_version_entry *e;

			if (!s3x_array_append(&res->items, &res->n, &cap, sizeof(*res->items), &e))
				return S3X_OOM;
			e->is_delete_marker = marker;
			rc = parse_version(n, e, url_encoded, what, errbuf, errlen);
		}
		else if (s3x_name_is(n, "CommonPrefixes"))
			rc = listing_common_prefix(n, &res->common_prefixes, &res->n_prefixes, &pcap,
									   url_encoded, what, errbuf, errlen);
		else if (s3x_name_is(n, "IsTruncated"))
			rc = listing_truncated(n, &res->is_truncated, &have_truncated, what, errbuf, errlen);
		else if (s3x_name_is(n, "NextKeyMarker"))
			rc = listing_marker(n, &res->next_key_marker, url_encoded, what, errbuf, errlen);
		else if (s3x_name_is(n, "NextVersionIdMarker"))
			rc = listing_marker(n, &res->next_version_id_marker, false, what, errbuf, errlen);
	}
	if (rc == S3X_OK && !sort_versions(res))
		rc = S3X_OOM;
	return rc;
}

static void
free_list_versions(void *result)
{
	s3_version_list_free((s3_version_list *) result);
}

int
s3_xml_parse_list_versions(const char *buf, size_t len, s3_version_list *out,
						   char *errbuf, size_t errlen)
{
	return s3x_parse(buf, len, "ListVersionsResult", "ListObjectVersions response",
					 read_list_versions, out, sizeof(*out), free_list_versions, errbuf, errlen);
}
