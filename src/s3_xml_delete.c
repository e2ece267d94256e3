/*-------------------------------------------------------------------------
 *
 * s3_xml_delete.c
 *		Parsing of S3's answer to DeleteObjects (DeleteResult): the keys it
 *		deleted and those it could not, with S3's error code and message;
 *		and the check that it names only keys the request sent.
 *		libc and libxml2 only, with the rules of s3_xml.c: local names, no
 *		DOCTYPE, malloc'd results, messages that name at most an element.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_internal.h"

void
s3_delete_result_free(s3_delete_result *r)
{
	size_t		i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ndeleted; i++)
		free(r->deleted[i]);
	free(r->deleted);
	for (i = 0; i < r->nerrors; i++)
	{
		free(r->errors[i].key);
		free(r->errors[i].code);
		free(r->errors[i].message);
	}
	free(r->errors);
	memset(r, 0, sizeof(*r));
}

/* DeleteResult: the keys deleted, and those that could not be */
static int
read_delete_result(xmlNodePtr root, void *result, const char *what, char *errbuf, size_t errlen)
{
	s3_delete_result *res = (s3_delete_result *) result;
	size_t		cap = 0;
	size_t		dcap = 0;
	xmlNodePtr	n;

	for (n = root->children; n != NULL; n = n->next)
	{
		xmlNodePtr	c;
		s3_delete_error *e;

		if (s3x_name_is(n, "Deleted"))
		{
			char	  **key;

			if (!s3x_array_append(&res->deleted, &res->ndeleted, &dcap, sizeof(char *), &key))
				return S3X_OOM;
			for (c = n->children; c != NULL; c = c->next)
				if (s3x_name_is(c, "Key") && !s3x_take_text(c, key))
					return S3X_OOM;
			if (*key == NULL)
			{
				core_set_error(errbuf, errlen, "a <Deleted> without <Key> in %s", what);
				return S3X_FAIL;
			}
			continue;
		}
		if (!s3x_name_is(n, "Error"))
			continue;
		if (!s3x_array_append(&res->errors, &res->nerrors, &cap, sizeof(s3_delete_error), &e))
			return S3X_OOM;
		for (c = n->children; c != NULL; c = c->next)
		{
			if ((s3x_name_is(c, "Key") && !s3x_take_text(c, &e->key)) ||
				(s3x_name_is(c, "Code") && !s3x_take_text(c, &e->code)) ||
				(s3x_name_is(c, "Message") && !s3x_take_text(c, &e->message)))
				return S3X_OOM;
		}
		if (e->key == NULL)
		{
			core_set_error(errbuf, errlen, "an <Error> without <Key> in %s", what);
			return S3X_FAIL;
		}
	}
	return S3X_OK;
}

static void
free_delete_result(void *result)
{
	s3_delete_result_free((s3_delete_result *) result);
}

int
s3_xml_parse_delete_result(const char *buf, size_t len, s3_delete_result *out,
						   char *errbuf, size_t errlen)
{
	return s3x_parse(buf, len, "DeleteResult", "DeleteObjects response", read_delete_result,
					 out, sizeof(*out), free_delete_result, errbuf, errlen);
}

/* A key sent, after XML's line-end handling, and whether an entry named it */
typedef struct SentKey
{
	char	   *key;
	bool		named;
} SentKey;

static int
sent_key_cmp(const void *a, const void *b)
{
	return strcmp(((const SentKey *) a)->key, ((const SentKey *) b)->key);
}

/* s with CR LF and lone CR as LF (XML 1.0, 2.11), malloc'd; NULL when out of memory */
static char *
xml_line_ends(const char *s)
{
	char	   *out = malloc(strlen(s) + 1);
	char	   *o = out;

	if (out == NULL)
		return NULL;
	for (; *s; s++)
	{
		if (*s == '\r')
		{
			*o++ = '\n';
			if (s[1] == '\n')
				s++;
		}
		else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

/*
 * Marks the first unnamed sent key equal to key (sorted: equal keys are
 * adjacent); 1 when found, 0 when none is left, -1 when out of memory.
 */
static int
name_key(SentKey *keys, size_t n, const char *key)
{
	char	   *norm = xml_line_ends(key);
	size_t		lo = 0,
				hi = n;
	int			found = 0;

	if (norm == NULL)
		return -1;
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (strcmp(keys[mid].key, norm) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(keys[lo].key, norm) == 0; lo++)
		if (!keys[lo].named)
		{
			keys[lo].named = true;
			found = 1;
			break;
		}
	free(norm);
	return found;
}

int
s3_delete_result_check(const s3_delete_result *r, const char *const *sent, size_t nsent,
					   const char **bad_key, char *errbuf, size_t errlen)
{
	SentKey    *keys = calloc(nsent > 0 ? nsent : 1, sizeof(SentKey));
	size_t		i;
	int			rc = 0;

	*bad_key = NULL;
	if (keys == NULL)
		goto oom;
	for (i = 0; i < nsent; i++)
		if ((keys[i].key = xml_line_ends(sent[i])) == NULL)
			goto oom;
	qsort(keys, nsent, sizeof(SentKey), sent_key_cmp);
	for (i = 0; i < r->ndeleted + r->nerrors && rc == 0; i++)
	{
		bool		deleted = i < r->ndeleted;
		const char *key = deleted ? r->deleted[i] : r->errors[i - r->ndeleted].key;
		int			found = name_key(keys, nsent, key);

		if (found < 0)
			goto oom;
		if (found == 0)
		{
			*bad_key = key;
			core_set_error(errbuf, errlen, "%s names a key that was not sent, or more often than it was sent",
						   deleted ? "a <Deleted> entry" : "an <Error> entry");
			rc = -1;
		}
	}
	for (i = 0; i < nsent; i++)
		free(keys[i].key);
	free(keys);
	return rc;

oom:
	if (keys != NULL)
		for (i = 0; i < nsent; i++)
			free(keys[i].key);
	free(keys);
	core_set_error(errbuf, errlen, "out of memory checking the DeleteObjects response");
	return -1;
}
