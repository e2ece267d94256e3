/*-------------------------------------------------------------------------
 *
 * key_ranges.h
 *		The bounds that split a range of S3 keys into partitions, for a
 *		listing that runs several of them at once (key_ranges.c).
 *
 * Free of PostgreSQL headers: unit-tested on its own (test/unit/test_ranges).
 * Keys are UTF-8 and ordered by their bytes, as S3 lists them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_KEY_RANGES_H
#define S3FDW_KEY_RANGES_H

#include <stdbool.h>
#include <stddef.h>

/* characters kept in an alphabet; more are not added */
#define S3_ALPHABET_MAX 128

/* The characters seen in a sample of keys, in byte order (each <= 4 bytes) */
typedef struct s3_key_alphabet
{
	int			n;
	char		ch[S3_ALPHABET_MAX][5];
} s3_key_alphabet;

/* What a split is made from: a page of the listing, and where it may go */
typedef struct s3_split_input
{
	const char *lo;				/* the range goes on after this (the page's
								 * last entry) */
	const char *hi;				/* ... up to and with this, or NULL: the end
								 * of the prefix's keys */
	size_t		prefix_len;		/* bytes of the listing's prefix */
	const char *delimiter;		/* or NULL */
	const char *first;			/* the page's first entry (the sample) */
	size_t		sample_keys;	/* entries in the page */
	const s3_key_alphabet *alphabet;	/* of the page's entries */
	size_t		min_keys;		/* the keys a partition should hold at least,
								 * as the sample lets estimate */
} s3_split_input;

extern void s3_key_alphabet_init(s3_key_alphabet *a);
extern void s3_key_alphabet_add(s3_key_alphabet *a, const char *s, size_t from);
extern bool s3_utf8_valid(const char *s, size_t len);
extern size_t s3_key_common_prefix(const char *a, const char *b);
extern int	s3_key_split(const s3_split_input *in, int max, char **out);

#endif							/* S3FDW_KEY_RANGES_H */
