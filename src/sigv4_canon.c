/*-------------------------------------------------------------------------
 *
 * sigv4_canon.c
 *		The canonical forms that SigV4 signs (sigv4.c): the query string
 *		(parameters split, sorted by encoded name then value, written back
 *		as given) and the headers (names lower-cased, values trimmed and
 *		folded, sorted, duplicates joined with ',').
 *
 * libc only, unit-tested through the signer against botocore's vectors.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core.h"
#include "sigv4_canon.h"

/* ---------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------
 */
char *
sigv4i_dup_string(const char *s)
{
	size_t		n = strlen(s);
	char	   *p = malloc(n + 1);

	if (p != NULL)
		memcpy(p, s, n + 1);
	return p;
}

/* seven days, S3's limit */




bool
sigv4i_is_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static char
ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

static bool
is_space_char(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\v' || c == '\f';
}

/* Byte-order comparison of two counted strings. */
static int
cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		n = alen < blen ? alen : blen;
	int			r = n > 0 ? memcmp(a, b, n) : 0;

	if (r != 0)
		return r;
	if (alen == blen)
		return 0;
	return alen < blen ? -1 : 1;
}

/* ---------------------------------------------------------------------
 * Query parameters
 * ---------------------------------------------------------------------
 */

/*
 * Split an encoded query string into parameters, in the order given.
 * Empty segments ("a=1&&b=2", a trailing '&') are skipped.  Returns the
 * number of parameters stored in params (which must hold enough entries).
 */
int
sigv4i_parse_query(const char *query, qparam *params)
{
	const char *p = query;
	int			n = 0;

	if (sigv4i_is_empty(query))
		return 0;
	for (;;)
	{
		const char *amp = strchr(p, '&');
		size_t		seglen = amp ? (size_t) (amp - p) : strlen(p);

		if (seglen > 0)
		{
			const char *eq = memchr(p, '=', seglen);
			qparam	   *q = &params[n++];

			q->text = p;
			q->textlen = seglen;
			q->name = p;
			if (eq != NULL)
			{
				q->namelen = (size_t) (eq - p);
				q->value = eq + 1;
				q->valuelen = seglen - q->namelen - 1;
			}
			else
			{
				q->namelen = seglen;
				q->value = "";
				q->valuelen = 0;
			}
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return n;
}

int
sigv4i_count_query_segments(const char *query)
{
	const char *p;
	int			n = 1;

	if (sigv4i_is_empty(query))
		return 0;
	for (p = query; *p; p++)
	{
		if (*p == '&')
			n++;
	}
	return n;
}

void
sigv4i_set_param(qparam *q, const char *name, const char *value)
{
	q->name = name;
	q->namelen = strlen(name);
	q->value = value;
	q->valuelen = strlen(value);
	q->text = NULL;
	q->textlen = 0;
}

int
sigv4i_qparam_cmp(const void *a, const void *b)
{
	const qparam *x = a;
	const qparam *y = b;
	int			r = cmp_bytes(x->name, x->namelen, y->name, y->namelen);

	if (r != 0)
		return r;
	return cmp_bytes(x->value, x->valuelen, y->value, y->valuelen);
}

void
sigv4i_append_param(cbuf *sb, const qparam *q, bool as_written)
{
	if (as_written && q->text != NULL)
		cbuf_append_len(sb, q->text, q->textlen);
	else
	{
		cbuf_append_len(sb, q->name, q->namelen);
		cbuf_append_char(sb, '=');
		cbuf_append_len(sb, q->value, q->valuelen);
	}
}

/* ---------------------------------------------------------------------
 * Headers
 * ---------------------------------------------------------------------
 */
static char *
lower_name(const char *s)
{
	char	   *p = sigv4i_dup_string(s);
	char	   *c;

	if (p == NULL)
		return NULL;
	for (c = p; *c; c++)
		*c = ascii_lower(*c);
	return p;
}

/* Trim, and fold every inner run of whitespace into one space. */
static char *
fold_value(const char *s)
{
	char	   *out = malloc(strlen(s) + 1);
	char	   *o = out;
	bool		pending_space = false;

	if (out == NULL)
		return NULL;
	while (*s && is_space_char(*s))
		s++;
	for (; *s; s++)
	{
		if (is_space_char(*s))
			pending_space = true;
		else
		{
			if (pending_space && o != out)
				*o++ = ' ';
			pending_space = false;
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static int
cheader_cmp(const void *a, const void *b)
{
	const cheader *x = a;
	const cheader *y = b;
	int			r = strcmp(x->name, y->name);

	if (r != 0)
		return r;
	return (x->order > y->order) - (x->order < y->order);
}

bool
sigv4i_add_header(cheader *hdrs, int *n, const char *name, const char *value)
{
	cheader    *h = &hdrs[*n];

	h->name = lower_name(name);
	h->value = fold_value(value);
	h->order = *n;
	(*n)++;
	return h->name != NULL && h->value != NULL;
}

void
sigv4i_free_headers(cheader *hdrs, int n)
{
	int			i;

	if (hdrs == NULL)
		return;
	for (i = 0; i < n; i++)
	{
		free(hdrs[i].name);
		free(hdrs[i].value);
	}
	free(hdrs);
}

bool
sigv4i_reserved_header(const char *name, bool presign)
{
	static const char *const reserved[] = {
		"host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"
	};
	size_t		i;
	size_t		nres = presign ? 1 : sizeof(reserved) / sizeof(reserved[0]);

	for (i = 0; i < nres; i++)
	{
		if (strcasecmp(name, reserved[i]) == 0)
			return true;
	}
	return false;
}

/*
 * Append the canonical header lines (sorted, duplicates joined with ',')
 * to canon, and the signed header list to signed_list.
 */
void
sigv4i_canonical_headers(cheader *hdrs, int n, cbuf *canon, cbuf *signed_list)
{
	int			i;

	qsort(hdrs, (size_t) n, sizeof(cheader), cheader_cmp);
	for (i = 0; i < n; i++)
	{
		bool		same = i > 0 && strcmp(hdrs[i].name, hdrs[i - 1].name) == 0;

		if (same)
		{
			cbuf_append_char(canon, ',');
			cbuf_append(canon, hdrs[i].value);
			continue;
		}
		if (i > 0)
		{
			cbuf_append_char(canon, '\n');
			cbuf_append_char(signed_list, ';');
		}
		cbuf_append(canon, hdrs[i].name);
		cbuf_append_char(canon, ':');
		cbuf_append(canon, hdrs[i].value);
		cbuf_append(signed_list, hdrs[i].name);
	}
	if (n > 0)
		cbuf_append_char(canon, '\n');
}

