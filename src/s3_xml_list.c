/*-------------------------------------------------------------------------
 *
 * s3_xml_list.c
 *		Parsing of S3's listings: ListAllMyBucketsResult (ListBuckets) and
 *		ListBucketResult (ListObjectsV2), with the rules of s3_xml.c (see
 *		there): local names only, no DOCTYPE, malloc'd results, messages
 *		that name at most an element.
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

int
s3_xml_parse_buckets(const char *buf, size_t len, s3_bucket_list *out,
					 char *errbuf, size_t errlen)
{
	static const char what[] = "ListBuckets response";
	s3_bucket_list res;
	size_t		cap = 0;
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNodePtr	n;

	memset(&res, 0, sizeof(res));
	doc = s3x_open_document(buf, len, out, sizeof(*out), what, errbuf, errlen, &root);
	if (doc == NULL)
		return -1;
	if (!s3x_check_root(root, "ListAllMyBucketsResult", what, errbuf, errlen))
		goto fail;

	for (n = root->children; n != NULL; n = n->next)
	{
		xmlNodePtr	b;

		if (s3x_name_is(n, "ContinuationToken"))
		{
			if (!s3x_take_text(n, &res.continuation_token))
				goto oom;
			continue;
		}
		if (!s3x_name_is(n, "Buckets"))
			continue;

		for (b = n->children; b != NULL; b = b->next)
		{
			s3_bucket_entry *e;
			xmlNodePtr	f;
			void	   *p;

			if (!s3x_name_is(b, "Bucket"))
				continue;
			p = s3x_array_reserve(res.items, res.n, &cap, sizeof(*res.items));
			if (p == NULL)
				goto oom;
			res.items = p;
			e = &res.items[res.n++];
			memset(e, 0, sizeof(*e));

			for (f = b->children; f != NULL; f = f->next)
			{
				if (s3x_name_is(f, "Name"))
				{
					if (!s3x_take_text(f, &e->name))
						goto oom;
				}
				else if (s3x_name_is(f, "CreationDate"))
				{
					if (!s3x_take_text(f, &e->creation_date))
						goto oom;
				}
			}
			if (e->name == NULL)
			{
				core_set_error(errbuf, errlen, "Bucket without Name in %s", what);
				goto fail;
			}
		}
	}

	xmlFreeDoc(doc);
	*out = res;
	return 0;

oom:
	core_set_error(errbuf, errlen, "out of memory parsing %s", what);
fail:
	xmlFreeDoc(doc);
	s3_bucket_list_free(&res);
	return -1;
}


/* ---- ListObjectsV2 ---- */

void
s3_object_list_free(s3_object_list *l)
{
	size_t		i;

	if (l == NULL)
		return;
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

int
s3_xml_parse_list_objects(const char *buf, size_t len, s3_object_list *out,
						  char *errbuf, size_t errlen)
{
	static const char what[] = "ListObjectsV2 response";
	s3_object_list res;
	size_t		cap = 0;
	size_t		pcap = 0;
	bool		url_encoded = false;
	bool		have_truncated = false;
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNodePtr	n;

	if (out == NULL)
	{
		core_set_error(errbuf, errlen, "no result structure for %s", what);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	memset(&res, 0, sizeof(res));
	res.key_count = -1;

	doc = s3x_parse_document(buf, len, what, errbuf, errlen);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (!s3x_check_root(root, "ListBucketResult", what, errbuf, errlen))
		goto fail;

	/* EncodingType may follow the keys, so look for it first. */
	for (n = root->children; n != NULL; n = n->next)
	{
		char	   *t;
		bool		ok;

		if (!s3x_name_is(n, "EncodingType"))
			continue;
		t = s3x_node_text(n);
		if (t == NULL)
			goto oom;
		ok = s3x_equals_trimmed(t, "url");
		free(t);
		if (!ok)
		{
			core_set_error(errbuf, errlen, "unsupported EncodingType in %s", what);
			goto fail;
		}
		url_encoded = true;
		break;
	}

	for (n = root->children; n != NULL; n = n->next)
	{
		if (s3x_name_is(n, "Contents"))
		{
			s3_object_entry *e;
			void	   *p;

			p = s3x_array_reserve(res.items, res.n, &cap, sizeof(*res.items));
			if (p == NULL)
				goto oom;
			res.items = p;
			e = &res.items[res.n++];
			memset(e, 0, sizeof(*e));
			if (parse_contents(n, e, url_encoded, what, errbuf, errlen) != 0)
				goto fail;
		}
		else if (s3x_name_is(n, "CommonPrefixes"))
		{
			xmlNodePtr	f;
			char	   *prefix = NULL;
			void	   *p;

			for (f = n->children; f != NULL; f = f->next)
			{
				if (s3x_name_is(f, "Prefix"))
				{
					prefix = s3x_node_text(f);
					if (prefix == NULL)
						goto oom;
					break;
				}
			}
			if (prefix == NULL)
			{
				core_set_error(errbuf, errlen, "CommonPrefixes without Prefix in %s",
						  what);
				goto fail;
			}
			p = s3x_array_reserve(res.common_prefixes, res.n_prefixes, &pcap,
							  sizeof(*res.common_prefixes));
			if (p == NULL)
			{
				free(prefix);
				goto oom;
			}
			res.common_prefixes = p;
			res.common_prefixes[res.n_prefixes++] = prefix;
			if (url_encoded)
			{
				int			rc;

				rc = s3x_url_decode_field(&res.common_prefixes[res.n_prefixes - 1]);
				if (rc == URLDEC_OOM)
					goto oom;
				if (rc != URLDEC_OK)
				{
					core_set_error(errbuf, errlen,
							  "invalid URL encoding of CommonPrefixes in %s",
							  what);
					goto fail;
				}
			}
		}
		else if (s3x_name_is(n, "IsTruncated"))
		{
			char	   *t;

			if (have_truncated)
				continue;
			t = s3x_node_text(n);
			if (t == NULL)
				goto oom;
			if (s3x_equals_trimmed(t, "true"))
				res.is_truncated = true;
			else if (s3x_equals_trimmed(t, "false"))
				res.is_truncated = false;
			else
			{
				free(t);
				core_set_error(errbuf, errlen, "invalid IsTruncated in %s", what);
				goto fail;
			}
			free(t);
			have_truncated = true;
		}
		else if (s3x_name_is(n, "NextContinuationToken"))
		{
			if (!s3x_take_text(n, &res.next_continuation_token))
				goto oom;
		}
		else if (s3x_name_is(n, "KeyCount"))
		{
			char	   *t;
			bool		ok;
			long long	v = 0;

			if (res.key_count >= 0)
				continue;
			t = s3x_node_text(n);
			if (t == NULL)
				goto oom;
			ok = s3x_parse_nonneg(t, INT_MAX, &v);
			free(t);
			if (!ok)
			{
				core_set_error(errbuf, errlen, "invalid KeyCount in %s", what);
				goto fail;
			}
			res.key_count = (int) v;
		}
	}

	xmlFreeDoc(doc);
	*out = res;
	return 0;

oom:
	core_set_error(errbuf, errlen, "out of memory parsing %s", what);
fail:
	xmlFreeDoc(doc);
	s3_object_list_free(&res);
	return -1;
}


