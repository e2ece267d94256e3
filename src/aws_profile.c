/*-------------------------------------------------------------------------
 *
 * aws_profile.c
 *		Parsing of the AWS shared credentials file (~/.aws/credentials) and
 *		config file (~/.aws/config): the static keys of one profile, and
 *		whether that profile asks for a way of getting credentials that
 *		s3_fdw does not follow (assumed roles, SSO, credential processes).
 *
 * The files are INI files as botocore reads them with Python's configparser:
 * full-line comments starting with '#' or ';'; "key = value" or "key: value"
 * split at the first '=' or ':'; key names case-insensitive; a line indented
 * deeper than the line of the previous option continues that option's value
 * (blank and comment lines in between do not end it), and when that option's
 * own value is empty the continuation lines are a nested sub-section
 * ("s3 =" then "  max_concurrent_requests = 20") whose lines must each hold
 * an '='.  Continuation lines are skipped.  Unlike configparser, a section or
 * key seen twice is not an error: later keys override earlier ones.  Lines
 * end at "\n", "\r\n" or a lone "\r", as in Python's text files.
 *
 * Free of PostgreSQL headers (libc only), like the other parsers, so that it
 * can be unit-tested on its own.  Strings handed back are malloc'd.  The
 * files hold secrets, so error messages give line numbers, never text.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_profile.h"
#include "core.h"

#define MAX_FILE (1024 * 1024)
#define MAX_VALUE (8 * 1024)

/* keys naming a source of credentials that s3_fdw does not follow */
static const char *const unsupported_keys[] = {
	"role_arn",
	"source_profile",
	"credential_process",
	"sso_session",
	"sso_start_url",
	"web_identity_token_file",
	NULL
};

/* what Python's str.strip() and "\s" take for white space, in ASCII */
static bool
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* what shlex.split() takes for white space */
static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Is key[0..n) the lower-case word `word`, compared case-insensitively? */
static bool
key_is(const char *key, size_t n, const char *word)
{
	size_t		i;

	if (strlen(word) != n)
		return false;
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) key[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char) (c - 'A' + 'a');
		if (c != (unsigned char) word[i])
			return false;
	}
	return true;
}

/*
 * Does the section named h[0..n) (trimmed) hold profile `name`?  In the
 * config file that is "default" or "profile NAME", where NAME is one shell
 * word as botocore's shlex.split() sees it (plain, or in quotes); in the
 * credentials file the section's name is the profile's.  "DEFAULT" is
 * configparser's section of defaults, never a profile.
 */
static bool
section_holds(const char *h, size_t n, const char *name, bool config_file)
{
	size_t		name_len = strlen(name);
	size_t		i;

	if (n == 7 && memcmp(h, "DEFAULT", 7) == 0)
		return false;
	if (!config_file)
		return n == name_len && memcmp(h, name, n) == 0;
	if (n == 7 && memcmp(h, "default", 7) == 0)
		return strcmp(name, "default") == 0;
	if (n < 8 || memcmp(h, "profile", 7) != 0 || !is_blank((unsigned char) h[7]))
		return false;
	h += 8;
	n -= 8;
	while (n > 0 && is_blank((unsigned char) *h))
	{
		h++;
		n--;
	}
	if (n >= 2 && (h[0] == '"' || h[0] == '\'') && h[n - 1] == h[0])
	{
		char		quote = h[0];

		h++;
		n -= 2;
		if (memchr(h, quote, n) != NULL || (quote == '"' && memchr(h, '\\', n) != NULL))
			return false;
	}
	else
	{
		for (i = 0; i < n; i++)
			if (is_blank((unsigned char) h[i]) || h[i] == '"' || h[i] == '\'' || h[i] == '\\')
				return false;
	}
	return n == name_len && memcmp(h, name, n) == 0;
}

/* Replaces *field with a copy of v[0..n), or NULL when n is 0. */
static int
set_value(char **field, const char *v, size_t n)
{
	char	   *copy = NULL;

	if (n > 0)
	{
		copy = malloc(n + 1);
		if (copy == NULL)
			return -1;
		memcpy(copy, v, n);
		copy[n] = '\0';
	}
	free(*field);
	*field = copy;
	return 0;
}

/* A message about a line: its number only, never its text. */
static void
set_line_error(char *errbuf, size_t errlen, const char *before, int lineno, const char *after)
{
	core_set_error(errbuf, errlen, "%sline %d%s", before, lineno, after);
}

/* Where a parse is, line by line (see aws_profile_parse) */
typedef struct profile_parser
{
	const char *name;			/* the profile looked for */
	bool		config_file;
	int			lineno;
	bool		in_section;		/* a section header was seen */
	bool		selected;		/* ... and it is the profile's */
	bool		have_option;	/* an option since that header */
	bool		nested;			/* ... whose own value is empty */
	size_t		indent_level;	/* of the last header or option line */
	char	   *security_token; /* aws_security_token, botocore's first choice */
	bool		have_security_token;
} profile_parser;

/* What a line was, for the parse */
#define LINE_DONE		0		/* taken, or nothing to take */
#define LINE_OPTION		1		/* an option: *key, *value set */
#define LINE_MALFORMED	(-1)
#define LINE_FAIL		(-2)	/* errbuf says why */

/*
 * One line, trimmed to [s, e): skipped when blank, a comment, a
 * continuation or nested line; taken when a section header; split into
 * key and value when an option.
 */
static int
classify_line(profile_parser *pp, aws_profile *out, const char *line, const char *s,
			  const char *e, const char **key, size_t *keylen, const char **value,
			  char *errbuf, size_t errlen)
{
	size_t		indent = (size_t) (s - line);
	const char *d;
	const char *k;
	const char *v;

	if (s == e || *s == '#' || *s == ';')
		return LINE_DONE;		/* blank or comment: ends no value */
	/* a continuation line, or a line of a nested sub-section */
	if (pp->in_section && pp->have_option && indent > pp->indent_level)
		return pp->nested && memchr(s, '=', (size_t) (e - s)) == NULL ? LINE_MALFORMED : LINE_DONE;
	pp->indent_level = indent;

	/* a section header: "[" name "]", anything after the last "]" ignored */
	if (*s == '[')
	{
		const char *close = e - 1;

		while (close > s + 1 && *close != ']')
			close--;
		if (close > s + 1)
		{
			const char *h = s + 1;

			while (h < close && is_space((unsigned char) *h))
				h++;
			while (close > h && is_space((unsigned char) close[-1]))
				close--;
			pp->in_section = true;
			pp->have_option = false;
			pp->selected = section_holds(h, (size_t) (close - h), pp->name, pp->config_file);
			if (pp->selected)
				out->found = true;
			return LINE_DONE;
		}
	}

	/* an option: key, then '=' or ':', then the value */
	if (!pp->in_section)
	{
		set_line_error(errbuf, errlen, "", pp->lineno, " is outside any section");
		return LINE_FAIL;
	}
	for (d = s; d < e && *d != '=' && *d != ':'; d++)
		;
	if (d == e)
		return LINE_MALFORMED;
	k = d;
	while (k > s && is_space((unsigned char) k[-1]))
		k--;
	if (k == s)
		return LINE_MALFORMED;
	v = d + 1;
	while (v < e && is_space((unsigned char) *v))
		v++;
	if (e - v > MAX_VALUE)
	{
		set_line_error(errbuf, errlen, "", pp->lineno, " has a value longer than 8 KiB");
		return LINE_FAIL;
	}
	pp->have_option = true;
	pp->nested = (v == e);
	*key = s;
	*keylen = (size_t) (k - s);
	*value = v;
	return LINE_OPTION;
}

/* An option of the profile looked for: keep it if it is one s3_fdw reads. */
static int
take_option(profile_parser *pp, aws_profile *out, const char *key, size_t keylen,
			const char *v, size_t vlen)
{
	int			i;

	if (key_is(key, keylen, "aws_access_key_id"))
		return set_value(&out->access_key_id, v, vlen);
	if (key_is(key, keylen, "aws_secret_access_key"))
		return set_value(&out->secret_access_key, v, vlen);
	if (key_is(key, keylen, "aws_session_token"))
		return set_value(&out->session_token, v, vlen);
	if (key_is(key, keylen, "aws_security_token"))
	{
		pp->have_security_token = true;
		return set_value(&pp->security_token, v, vlen);
	}
	if (out->unsupported == NULL)
		for (i = 0; unsupported_keys[i] != NULL; i++)
			if (key_is(key, keylen, unsupported_keys[i]))
			{
				out->unsupported = unsupported_keys[i];
				break;
			}
	return 0;
}

/* Refuses what no file of profiles is: too large, binary. */
static bool
check_file(const char *buf, size_t len, char *errbuf, size_t errlen)
{
	if (len > MAX_FILE)
	{
		core_set_error(errbuf, errlen, "file is larger than 1 MiB");
		return false;
	}
	if (memchr(buf, '\0', len) != NULL)
	{
		core_set_error(errbuf, errlen, "file contains a NUL byte");
		return false;
	}
	return true;
}

int
aws_profile_parse(const char *buf, size_t len, const char *name, bool config_file,
				  aws_profile *out, char *errbuf, size_t errlen)
{
	profile_parser pp;
	const char *p;
	const char *end;

	if (out == NULL)
	{
		core_set_error(errbuf, errlen, "no place for the profile");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (name == NULL)
	{
		core_set_error(errbuf, errlen, "no profile name");
		return -1;
	}
	if (buf == NULL || len == 0)
		return 0;
	if (!check_file(buf, len, errbuf, errlen))
		return -1;

	memset(&pp, 0, sizeof(pp));
	pp.name = name;
	pp.config_file = config_file;
	for (p = buf, end = buf + len; p < end;)
	{
		const char *line = p;
		const char *s;
		const char *e;
		const char *key = NULL;
		const char *value = NULL;
		size_t		keylen = 0;
		int			kind;

		while (p < end && *p != '\n' && *p != '\r')
			p++;
		e = p;
		if (p < end)
			p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
		pp.lineno++;
		s = line;
		while (s < e && is_space((unsigned char) *s))
			s++;
		while (e > s && is_space((unsigned char) e[-1]))
			e--;

		kind = classify_line(&pp, out, line, s, e, &key, &keylen, &value, errbuf, errlen);
		if (kind == LINE_MALFORMED)
		{
			set_line_error(errbuf, errlen, "malformed ", pp.lineno, "");
			goto fail;
		}
		if (kind == LINE_FAIL)
			goto fail;
		if (kind == LINE_OPTION && pp.selected &&
			take_option(&pp, out, key, keylen, value, (size_t) (e - value)) != 0)
		{
			core_set_error(errbuf, errlen, "out of memory");
			goto fail;
		}
	}

	/* botocore takes aws_security_token before aws_session_token */
	if (pp.have_security_token)
	{
		free(out->session_token);
		out->session_token = pp.security_token;
	}
	return 0;

fail:
	free(pp.security_token);
	aws_profile_free(out);
	return -1;
}

void
aws_profile_free(aws_profile *p)
{
	if (p == NULL)
		return;
	free(p->access_key_id);
	free(p->secret_access_key);
	free(p->session_token);
	memset(p, 0, sizeof(*p));
}
