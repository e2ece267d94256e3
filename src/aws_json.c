/*-------------------------------------------------------------------------
 *
 * aws_json.c
 *		Parsing of the credential documents that the EC2 instance metadata
 *		service and the ECS/EKS container credential endpoints answer with:
 *		one flat JSON object whose members AccessKeyId, SecretAccessKey,
 *		Token and Expiration are strings.
 *
 * Free of PostgreSQL headers (libc only), like the other parsers, so that it
 * can be unit-tested and fuzzed on its own.  Other members, of any type,
 * are skipped; nesting is bounded.  Strings handed back are malloc'd.
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_json.h"
#include "core.h"

#define MAX_DOCUMENT (64 * 1024)
#define MAX_DEPTH 16

typedef struct json_cursor
{
	const char *p;
	const char *end;
} json_cursor;

static void
skip_space(json_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int
hex4(const char *p, unsigned *out)
{
	int			i;

	*out = 0;
	for (i = 0; i < 4; i++)
	{
		char		h = p[i];

		*out <<= 4;
		if (h >= '0' && h <= '9')
			*out |= (unsigned) (h - '0');
		else if (h >= 'a' && h <= 'f')
			*out |= (unsigned) (h - 'a' + 10);
		else if (h >= 'A' && h <= 'F')
			*out |= (unsigned) (h - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static size_t
put_utf8(unsigned cp, char *dst)
{
	if (cp < 0x80)
	{
		dst[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		dst[0] = (char) (0xC0 | (cp >> 6));
		dst[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		dst[0] = (char) (0xE0 | (cp >> 12));
		dst[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		dst[2] = (char) (0x80 | (cp & 0x3F));
		return 3;
	}
	dst[0] = (char) (0xF0 | (cp >> 18));
	dst[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	dst[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	dst[3] = (char) (0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Parses a string at the cursor (which points at '"'); *out receives a
 * malloc'd copy when out is not NULL.  Returns 0 or -1.
 */
static int
parse_string(json_cursor *c, char **out)
{
	const char *start;
	char	   *buf = NULL;
	size_t		n = 0;

	if (c->p >= c->end || *c->p != '"')
		return -1;
	start = ++c->p;
	if (out != NULL)
	{
		/* decoded text is never longer than its escaped form */
		const char *q = start;

		while (q < c->end && *q != '"')
			q += (*q == '\\' && q + 1 < c->end) ? 2 : 1;
		buf = malloc((size_t) (q - start) + 1);
		if (buf == NULL)
			return -1;
	}
	while (c->p < c->end && *c->p != '"')
	{
		unsigned char ch = (unsigned char) *c->p++;
		char		tmp[4];
		size_t		len = 1;

		if (ch < 0x20)
			goto fail;
		tmp[0] = (char) ch;
		if (ch == '\\')
		{
			if (c->p >= c->end)
				goto fail;
			ch = (unsigned char) *c->p++;
			switch (ch)
			{
				case '"':
				case '\\':
				case '/':
					tmp[0] = (char) ch;
					break;
				case 'b':
					tmp[0] = '\b';
					break;
				case 'f':
					tmp[0] = '\f';
					break;
				case 'n':
					tmp[0] = '\n';
					break;
				case 'r':
					tmp[0] = '\r';
					break;
				case 't':
					tmp[0] = '\t';
					break;
				case 'u':
					{
						unsigned	cp;

						if (c->end - c->p < 4 || hex4(c->p, &cp) != 0)
							goto fail;
						c->p += 4;
						if (cp >= 0xD800 && cp <= 0xDBFF)
						{
							unsigned	lo;

							if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u' ||
								hex4(c->p + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
								goto fail;
							c->p += 6;
							cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						}
						else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0)
							goto fail;
						len = put_utf8(cp, tmp);
						break;
					}
				default:
					goto fail;
			}
		}
		if (buf != NULL)
		{
			memcpy(buf + n, tmp, len);
			n += len;
		}
	}
	if (c->p >= c->end)
		goto fail;
	c->p++;						/* closing quote */
	if (buf != NULL)
	{
		buf[n] = '\0';
		*out = buf;
	}
	return 0;

fail:
	free(buf);
	return -1;
}

/* Skips any value; returns 0 or -1. */
static int
skip_value(json_cursor *c, int depth)
{
	skip_space(c);
	if (c->p >= c->end || depth > MAX_DEPTH)
		return -1;
	if (*c->p == '"')
		return parse_string(c, NULL);
	if (*c->p == '{' || *c->p == '[')
	{
		char		close = (*c->p == '{') ? '}' : ']';
		int			first = 1;

		c->p++;
		for (;;)
		{
			skip_space(c);
			if (c->p < c->end && *c->p == close)
			{
				c->p++;
				return 0;
			}
			if (!first)
			{
				if (c->p >= c->end || *c->p != ',')
					return -1;
				c->p++;
				skip_space(c);
			}
			first = 0;
			if (close == '}')
			{
				if (parse_string(c, NULL) != 0)
					return -1;
				skip_space(c);
				if (c->p >= c->end || *c->p != ':')
					return -1;
				c->p++;
			}
			if (skip_value(c, depth + 1) != 0)
				return -1;
		}
	}
	/* a number, true, false or null */
	{
		const char *start = c->p;

		while (c->p < c->end && strchr("+-.0123456789eEtruefalsn", *c->p) != NULL)
			c->p++;
		return c->p > start ? 0 : -1;
	}
}

int
s3_json_parse_credentials(const char *buf, size_t len, s3_temp_credentials *out,
						  char *errbuf, size_t errlen)
{
	json_cursor c;
	s3_temp_credentials res;
	int			first = 1;

	if (out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	memset(&res, 0, sizeof(res));
	if (buf == NULL || len == 0 || len > MAX_DOCUMENT || memchr(buf, '\0', len) != NULL)
	{
		core_set_error(errbuf, errlen, "credential document is empty, too large or binary");
		return -1;
	}
	c.p = buf;
	c.end = buf + len;
	skip_space(&c);
	if (c.p >= c.end || *c.p != '{')
		goto malformed;
	c.p++;
	for (;;)
	{
		char	   *name = NULL;
		char	  **field = NULL;

		skip_space(&c);
		if (c.p < c.end && *c.p == '}')
		{
			c.p++;
			break;
		}
		if (!first)
		{
			if (c.p >= c.end || *c.p != ',')
				goto malformed;
			c.p++;
			skip_space(&c);
		}
		first = 0;
		if (parse_string(&c, &name) != 0)
			goto malformed;
		if (strcmp(name, "AccessKeyId") == 0)
			field = &res.access_key_id;
		else if (strcmp(name, "SecretAccessKey") == 0)
			field = &res.secret_access_key;
		else if (strcmp(name, "Token") == 0)
			field = &res.session_token;
		else if (strcmp(name, "Expiration") == 0)
			field = &res.expiration;
		free(name);
		skip_space(&c);
		if (c.p >= c.end || *c.p != ':')
			goto malformed;
		c.p++;
		skip_space(&c);
		if (field != NULL && *field == NULL && c.p < c.end && *c.p == '"')
		{
			if (parse_string(&c, field) != 0)
				goto malformed;
		}
		else if (skip_value(&c, 1) != 0)
			goto malformed;
	}
	skip_space(&c);
	if (c.p != c.end)
		goto malformed;
	if (res.access_key_id == NULL || res.secret_access_key == NULL ||
		res.access_key_id[0] == '\0' || res.secret_access_key[0] == '\0')
	{
		core_set_error(errbuf, errlen, "credential document lacks AccessKeyId or SecretAccessKey");
		s3_temp_credentials_free(&res);
		return -1;
	}
	*out = res;
	return 0;

malformed:
	core_set_error(errbuf, errlen, "credential document is not valid JSON");
	s3_temp_credentials_free(&res);
	return -1;
}
