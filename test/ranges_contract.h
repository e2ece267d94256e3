/*-------------------------------------------------------------------------
 *
 * ranges_contract.h
 *		The contract every bound of a partitioned listing keeps (key_ranges.c:
 *		a guess's bound, and each of s3_key_group_ends()'s), as the unit test
 *		(test/unit/test_ranges.c) and the fuzz target
 *		(test/fuzz/fuzz_ranges.c) check it: one definition for both.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_RANGES_CONTRACT_H
#define S3FDW_RANGES_CONTRACT_H

#include <stddef.h>
#include <string.h>

#include "key_ranges.h"
#include "s3_names.h"

/*
 * Why bound b breaks the contract, or NULL when it keeps it: above lo and
 * above "above" (lo, or the bound before), below hi (if not NULL), valid
 * UTF-8, with lo's first from bytes, at most 1,024 bytes, no delimiter (if
 * any) after the prefix
 */
static inline const char *
bound_breaks(const char *b, const char *above, const char *lo, const char *hi, size_t from,
			 const char *delimiter)
{
	if (strcmp(b, above) <= 0 || strcmp(b, lo) <= 0)
		return "not above lo (and the bound before)";
	if (hi != NULL && strcmp(b, hi) >= 0)
		return "not below hi";
	if (!s3_utf8_valid(b, strlen(b)))
		return "not UTF-8";
	if (strlen(lo) < from || strncmp(b, lo, from) != 0)
		return "without lo's prefix";
	if (strlen(b) > S3_MAX_KEY_BYTES)
		return "longer than a key";
	if (delimiter != NULL && delimiter[0] != '\0' && strstr(b + from, delimiter) != NULL)
		return "holds the delimiter after the prefix";
	return NULL;
}

#endif							/* S3FDW_RANGES_CONTRACT_H */
