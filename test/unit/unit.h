/*
 * unit.h
 *		A minimal test harness for the standalone C unit tests: CHECK macros
 *		that count, and a closing line "unit <name>: N passed, N failed".
 */
#ifndef S3FDW_UNIT_H
#define S3FDW_UNIT_H

#include <stdio.h>
#include <string.h>

static int	unit_passed;
static int	unit_failed;

#define CHECK(cond, ...) \
	do { \
		if (cond) \
			unit_passed++; \
		else \
		{ \
			unit_failed++; \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

#define CHECK_STR(got, want, what) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		CHECK(g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0, \
			  "%s: got [%s] want [%s]", (what), g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

/* Prints the closing line; returns the process exit code. */
static inline int
unit_report(const char *name)
{
	printf("unit %s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	return unit_failed == 0 ? 0 : 1;
}

#endif
