/*-------------------------------------------------------------------------
 *
 * sigv4_canon.h
 *		The canonical forms that the signer (sigv4.c) builds on
 *		(sigv4_canon.c): query parameters and headers as they are signed,
 *		and the small string helpers both use.  libc only.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_SIGV4_CANON_H
#define S3FDW_SIGV4_CANON_H

#include <stdbool.h>
#include <stddef.h>

#include "core.h"

/* One query parameter; pointers into a string that outlives the array. */
typedef struct qparam
{
	const char *name;
	size_t		namelen;
	const char *value;
	size_t		valuelen;
	const char *text;			/* the parameter as written, for output */
	size_t		textlen;
} qparam;

/* One header to sign, in canonical form. */
typedef struct cheader
{
	char	   *name;			/* lower-cased */
	char	   *value;			/* trimmed and folded */
	int			order;			/* position given, to keep sorting stable */
} cheader;

extern char *sigv4i_dup_string(const char *s);
extern bool sigv4i_is_empty(const char *s);
extern int sigv4i_parse_query(const char *query, qparam *params);
extern int sigv4i_count_query_segments(const char *query);
extern void sigv4i_set_param(qparam *q, const char *name, const char *value);
extern int sigv4i_qparam_cmp(const void *a, const void *b);
extern void sigv4i_append_param(cbuf *sb, const qparam *q, bool as_written);
extern bool sigv4i_add_header(cheader *hdrs, int *n, const char *name, const char *value);
extern void sigv4i_free_headers(cheader *hdrs, int n);
extern bool sigv4i_reserved_header(const char *name, bool presign);
extern void sigv4i_canonical_headers(cheader *hdrs, int n, cbuf *canon, cbuf *signed_list);

#endif							/* S3FDW_SIGV4_CANON_H */
