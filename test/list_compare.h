/*-------------------------------------------------------------------------
 *
 * list_compare.h
 *		What the ListObjectsV2 parsers' unit tests and differential fuzz
 *		targets compare pages with: two pages the same field by field, and
 *		a result left as zero (what a parser that refuses a page leaves);
 *		the fast scanner's pages read keeping only some fields; and the
 *		peek at a page's head against the page.
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
 * (S3_WANT_*), the page full (read with all of them) less the others?
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
			!same_wanted(f->key, g->key, want, S3_WANT_KEY) ||
			!same_wanted(f->last_modified, g->last_modified, want, S3_WANT_LAST_MODIFIED) ||
			!same_wanted(f->etag, g->etag, want, S3_WANT_ETAG) ||
			!same_wanted(f->storage_class, g->storage_class, want, S3_WANT_STORAGE_CLASS))
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

	for (want = 0; want < S3_WANT_ALL; want++)
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

/*
 * Does what a peek says agree with the page?  Only a KNOWN answer says
 * anything, and only of a page that parses (want_rc 0, want): the same
 * IsTruncated and, when truncated, the same token.
 */
static inline bool
peek_agrees(const s3_list_peek *pk, int want_rc, const s3_object_list *want)
{
	if (pk->answer != S3_PEEK_KNOWN || want_rc != 0)
		return true;
	return pk->is_truncated == want->is_truncated &&
		(!pk->is_truncated || same_str(pk->token, want->next_continuation_token));
}

/* Do two peeks that went over the same bytes say the same? */
static inline bool
same_peek(const s3_list_peek *a, const s3_list_peek *b)
{
	return a->answer == b->answer && a->is_truncated == b->is_truncated &&
		same_str(a->token, b->token);
}

/*
 * A new peek at the first len bytes of buf, fed in pieces: of step bytes
 * (0: all at once), or when sizes is not NULL, of 1 to 16 bytes as its
 * bytes say, in turn.  After each piece what it says must agree with the
 * page (want_rc, want: the tree parser's reading of the whole document);
 * false when it does not.  *pk is left as the peek ends (to be reset).
 */
static inline bool
peek_in_pieces(const char *buf, size_t len, size_t step, const unsigned char *sizes,
			   size_t nsizes, int want_rc, const s3_object_list *want, s3_list_peek *pk)
{
	size_t		pos = 0;
	size_t		k = 0;

	memset(pk, 0, sizeof(*pk));
	while (pos < len)
	{
		size_t		n = step == 0 ? len - pos : step;

		if (sizes != NULL && nsizes > 0)
			n = 1 + (sizes[k++ % nsizes] & 15);
		pos += n < len - pos ? n : len - pos;
		(void) s3_xml_fast_list_peek(pk, buf, pos);
		if (!peek_agrees(pk, want_rc, want))
			return false;
	}
	return true;
}

/*
 * The peek at buf against the tree parser's reading of it: fed at once,
 * a byte at a time (so at every prefix), and in pieces its own bytes
 * choose, whenever it says KNOWN it agrees with the page, and it ends
 * saying the same each way.
 */
static inline bool
peek_matches_tree(const char *buf, size_t len)
{
	char		err[128];
	s3_object_list want;
	s3_list_peek whole;
	s3_list_peek bytes;
	s3_list_peek pieces;
	int			want_rc = s3_xml_parse_list_objects(buf, len, &want, err, sizeof(err));
	bool		ok;

	ok = peek_in_pieces(buf, len, 0, NULL, 0, want_rc, &want, &whole);
	ok = peek_in_pieces(buf, len, 1, NULL, 0, want_rc, &want, &bytes) && ok;
	ok = peek_in_pieces(buf, len, 0, (const unsigned char *) buf, len, want_rc, &want,
						&pieces) && ok;
	ok = ok && same_peek(&whole, &bytes) && same_peek(&whole, &pieces);
	s3_xml_fast_list_peek_reset(&whole);
	s3_xml_fast_list_peek_reset(&bytes);
	s3_xml_fast_list_peek_reset(&pieces);
	if (want_rc == 0)
		s3_object_list_free(&want);
	return ok;
}

#endif							/* S3FDW_LIST_COMPARE_H */
