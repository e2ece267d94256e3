/*-------------------------------------------------------------------------
 *
 * list_compare.h
 *		What the ListObjectsV2 parsers' unit tests and differential fuzz
 *		targets compare pages with: two pages the same field by field, and
 *		a result left as zero (what a parser that refuses a page leaves);
 *		the fast scanner's pages read keeping only some fields.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_LIST_COMPARE_H
#define S3FDW_LIST_COMPARE_H

#include <stdbool.h>
#include <string.h>

#include "s3_xml.h"
#include "s3_xml_fast.h"

static inline bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Are the pages the same?  Quietly: for the many documents of mutations */
static inline bool
same_list(const s3_object_list *a, const s3_object_list *b)
{
	size_t		i;

	if (a->n != b->n || a->n_prefixes != b->n_prefixes ||
		a->is_truncated != b->is_truncated || a->key_count != b->key_count ||
		!same_str(a->next_continuation_token, b->next_continuation_token))
		return false;
	for (i = 0; i < a->n; i++)
		if (!same_str(a->items[i].key, b->items[i].key) ||
			a->items[i].size != b->items[i].size ||
			!same_str(a->items[i].last_modified, b->items[i].last_modified) ||
			!same_str(a->items[i].etag, b->items[i].etag) ||
			!same_str(a->items[i].storage_class, b->items[i].storage_class))
			return false;
	for (i = 0; i < a->n_prefixes; i++)
		if (!same_str(a->common_prefixes[i], b->common_prefixes[i]))
			return false;
	return true;
}

static inline bool
list_is_zero(const s3_object_list *l)
{
	return l->items == NULL && l->n == 0 && l->common_prefixes == NULL &&
		l->n_prefixes == 0 && !l->is_truncated &&
		l->next_continuation_token == NULL && l->key_count == 0 && l->arena == NULL;
}

/* A field of a page read for want: the page's, or NULL when not wanted */
static inline bool
same_wanted(const char *full, const char *got, unsigned want, unsigned bit)
{
	return (want & bit) ? same_str(full, got) : got == NULL;
}

/*
 * Is got, a page the scanner read keeping only the fields in want
 * (S3X_WANT_*), the page full (read with all of them) less the others?
 */
static inline bool
same_masked(const s3_object_list *full, const s3_object_list *got, unsigned want)
{
	size_t		i;

	if (full->n != got->n || full->n_prefixes != got->n_prefixes ||
		full->is_truncated != got->is_truncated || full->key_count != got->key_count ||
		!same_str(full->next_continuation_token, got->next_continuation_token))
		return false;
	for (i = 0; i < full->n; i++)
	{
		const s3_object_entry *f = &full->items[i];
		const s3_object_entry *g = &got->items[i];

		if (f->size != g->size ||
			!same_wanted(f->key, g->key, want, S3X_WANT_KEY) ||
			!same_wanted(f->last_modified, g->last_modified, want, S3X_WANT_LAST_MODIFIED) ||
			!same_wanted(f->etag, g->etag, want, S3X_WANT_ETAG) ||
			!same_wanted(f->storage_class, g->storage_class, want, S3X_WANT_STORAGE_CLASS))
			return false;
	}
	for (i = 0; i < full->n_prefixes; i++)
		if (!same_str(full->common_prefixes[i], got->common_prefixes[i]))
			return false;
	return true;
}

/*
 * The page read with every mask of fields: the same answer as with all of
 * them (0, or 1 leaving the result zeroed), and when read, the same page
 * less the fields not wanted.  rc and full: the scan with all fields.
 */
static inline bool
masks_agree(const char *buf, size_t len, int rc, const s3_object_list *full)
{
	unsigned	want;

	for (want = 0; want < S3X_WANT_ALL; want++)
	{
		s3_object_list got;
		int			mrc = s3_xml_fast_list_objects_want(buf, len, want, &got);
		bool		ok;

		if (mrc != rc)
		{
			if (mrc == 0)
				s3_object_list_free(&got);
			return false;
		}
		ok = rc != 0 ? list_is_zero(&got) : same_masked(full, &got, want);
		if (rc == 0)
			s3_object_list_free(&got);
		if (!ok)
			return false;
	}
	return true;
}

#endif							/* S3FDW_LIST_COMPARE_H */
