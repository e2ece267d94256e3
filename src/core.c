/*-------------------------------------------------------------------------
 *
 * core.c
 *		The string builder and the error setter of the PostgreSQL-free
 *		cores (see core.h).
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void
cbuf_init(cbuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void
cbuf_append_len(cbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap)
	{
		size_t		newcap = b->cap ? b->cap : 256;
		char	   *p;

		while (newcap < b->len + n + 1)
		{
			if (newcap > SIZE_MAX / 2)
			{
				b->failed = true;
				return;
			}
			newcap *= 2;
		}
		p = realloc(b->data, newcap);
		if (p == NULL)
		{
			b->failed = true;
			return;
		}
		b->data = p;
		b->cap = newcap;
	}
	if (n > 0)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
cbuf_append(cbuf *b, const char *s)
{
	cbuf_append_len(b, s, strlen(s));
}

void
cbuf_append_char(cbuf *b, char c)
{
	cbuf_append_len(b, &c, 1);
}

char *
cbuf_finish(cbuf *b)
{
	if (!b->failed && b->data == NULL)
		cbuf_append_len(b, "", 0);
	if (b->failed)
	{
		free(b->data);
		b->data = NULL;
		return NULL;
	}
	return b->data;
}

void
core_set_error(char *errbuf, size_t errlen, const char *fmt,...)
{
	va_list		ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

/*
 * URI-encodes len bytes as S3 wants them: unreserved characters
 * (A-Z a-z 0-9 - _ . ~) as is, '/' as is when keep_slash, everything else
 * %XX with upper-case hex.
 */
char *
s3_uri_encode(const char *in, size_t len, bool keep_slash)
{
	cbuf		sb;
	size_t		i;

	cbuf_init(&sb);
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) in[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
			c == '~' || (c == '/' && keep_slash))
			cbuf_append_char(&sb, (char) c);
		else
		{
			char		esc[3];

			esc[0] = '%';
			esc[1] = "0123456789ABCDEF"[c >> 4];
			esc[2] = "0123456789ABCDEF"[c & 0x0f];
			cbuf_append_len(&sb, esc, 3);
		}
	}
	return cbuf_finish(&sb);
}

/* A hexadecimal digit's value, or -1 */
int
core_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes %XX escapes (and '+' as a space, as S3's EncodingType=url does)
 * into a malloc'd string in *out, its length in *outlen (when not NULL).
 * Returns URLDEC_OK, URLDEC_MALFORMED (a bad escape, or a NUL decoded) or
 * URLDEC_OOM.
 */
int
s3_uri_decode_status(const char *in, size_t len, char **out, size_t *outlen)
{
	char	   *s;
	size_t		i;
	size_t		o = 0;

	*out = NULL;
	if (in == NULL && len > 0)
		return URLDEC_MALFORMED;
	if (len == SIZE_MAX)
		return URLDEC_OOM;
	s = malloc(len + 1);
	if (s == NULL)
		return URLDEC_OOM;

	for (i = 0; i < len; i++)
	{
		char		c = in[i];

		if (c == '%')
		{
			int			hi,
						lo;

			if (len - i < 3)
				goto malformed;
			hi = core_hex_value(in[i + 1]);
			lo = core_hex_value(in[i + 2]);
			if (hi < 0 || lo < 0)
				goto malformed;
			c = (char) (hi * 16 + lo);
			i += 2;
		}
		else if (c == '+')
			c = ' ';
		if (c == '\0')
			goto malformed;
		s[o++] = c;
	}
	s[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	*out = s;
	return URLDEC_OK;

malformed:
	free(s);
	return URLDEC_MALFORMED;
}

/* The same, NULL for malformed input or lack of memory. */
char *
s3_uri_decode(const char *in, size_t len, size_t *outlen)
{
	char	   *s;

	if (s3_uri_decode_status(in, len, &s, outlen) != URLDEC_OK)
		return NULL;
	return s;
}

void
s3_temp_credentials_free(s3_temp_credentials *c)
{
	free(c->access_key_id);
	free(c->secret_access_key);
	free(c->session_token);
	free(c->expiration);
	memset(c, 0, sizeof(*c));
}
