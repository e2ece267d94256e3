/*-------------------------------------------------------------------------
 *
 * list_compare.h
 *		What the ListObjectsV2 parsers' unit tests and differential fuzz
 *		targets compare pages with: two pages the same field by field, and
 *		a result left as zero (what a parser that refuses a page leaves).
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_LIST_COMPARE_H
#define S3FDW_LIST_COMPARE_H

#include <stdbool.h>
#include <string.h>

#include "s3_xml.h"

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
		l->next_continuation_token == NULL && l->key_count == 0;
}

#endif							/* S3FDW_LIST_COMPARE_H */
