/*-------------------------------------------------------------------------
 *
 * key_ranges.h
 *		Where to cut a range of S3 keys into partitions, for a listing that
 *		runs several of them at once (key_ranges.c).
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
#include <stdint.h>

/* byte places after the prefix that a guess reads (the rest are dropped) */
#define S3_PLACES 256

/* places a guess reads past where x and y part */
#define S3_GUESS_PLACES 24

/* keys seen at a place with one byte there that make it a fixed part */
#define S3_FIXED_AFTER 2000

/* places noted past where a key parts from the one before */
#define S3_PLACES_PAST 8

/* (shape or context, place) pairs remembered */
#define S3_PLACE_SLOTS 4096

/*
 * The bytes seen at each place after the listing's prefix, by the shape of
 * the key before the place (its characters' classes: see key_ranges.c)
 */
typedef struct s3_key_places
{
	size_t		from;			/* the prefix's bytes */
	int			cur;			/* the generation noted in (0 or 1) */
	int			used;			/* its slots taken */
	size_t		last_len;		/* the key noted last, after the prefix */
	char		last[S3_PLACES];
	int			cached;			/* its places noted, from the first: */
	uint64_t   *slot[S3_PLACES];	/* their (shape, place) slots, or NULL */
	uint64_t	shape_at[S3_PLACES + 1];	/* the shapes before them */
	uint64_t	tag[2][S3_PLACE_SLOTS];	/* (shape, place), or 0: free */
	uint64_t	seen[2][S3_PLACE_SLOTS][5];	/* 256 bits: the bytes seen,
												 * then how many keys */
} s3_key_places;

/* What a guess is made from */
typedef struct s3_guess_input
{
	const char *x;				/* a page's first entry ... */
	const char *y;				/* ... and its last: how far a page reaches */
	int			scale;			/* ... times this (x is a later entry than
								 * the first, where keys are thinner) */
	const char *lo;				/* the partition goes on after this */
	const char *hi;				/* ... up to and with this, or NULL: the end
								 * of the prefix's keys */
	const char *delimiter;		/* or NULL */
	const s3_key_places *places;	/* x, y and lo among them */
} s3_guess_input;

extern void s3_key_places_init(s3_key_places *p, size_t from);
extern void s3_key_places_add(s3_key_places *p, const char *key);
extern bool s3_utf8_valid(const char *s, size_t len);
extern size_t s3_key_common_prefix(const char *a, const char *b);
extern int	s3_key_guess(const s3_guess_input *in, char **out);
extern int	s3_key_group_ends(const char *lo, const char *past, const char *hi, size_t from,
							  const char *delimiter, char **out, int max);

#endif							/* S3FDW_KEY_RANGES_H */
