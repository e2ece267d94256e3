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

int
aws_profile_parse(const char *buf, size_t len, const char *name, bool config_file,
				  aws_profile *out, char *errbuf, size_t errlen)
{
	const char *p;
	const char *end;
	int			lineno = 0;
	bool		in_section = false; /* a section header was seen */
	bool		selected = false;	/* ... and it is the profile's */
	bool		have_option = false;	/* an option since that header */
	bool		nested = false; /* ... whose own value is empty */
	size_t		indent_level = 0;	/* of the last header or option line */
	char	   *security_token = NULL;
	bool		have_security_token = false;

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
	if (len > MAX_FILE)
	{
		core_set_error(errbuf, errlen, "file is larger than 1 MiB");
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL)
	{
		core_set_error(errbuf, errlen, "file contains a NUL byte");
		return -1;
	}

	p = buf;
	end = buf + len;
	while (p < end)
	{
		const char *line = p;
		const char *s;
		const char *e;
		const char *d;
		const char *k;
		const char *v;
		size_t		indent;
		int			i;

		while (p < end && *p != '\n' && *p != '\r')
			p++;
		e = p;
		if (p < end)
			p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
		lineno++;

		s = line;
		while (s < e && is_space((unsigned char) *s))
			s++;
		while (e > s && is_space((unsigned char) e[-1]))
			e--;
		if (s == e || *s == '#' || *s == ';')
			continue;			/* blank or comment: ends no value */
		indent = (size_t) (s - line);

		/* a continuation line, or a line of a nested sub-section */
		if (in_section && have_option && indent > indent_level)
		{
			if (nested && memchr(s, '=', (size_t) (e - s)) == NULL)
				goto malformed;
			continue;
		}
		indent_level = indent;

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
				in_section = true;
				have_option = false;
				selected = section_holds(h, (size_t) (close - h), name, config_file);
				if (selected)
					out->found = true;
				continue;
			}
		}

		/* an option: key, then '=' or ':', then the value */
		if (!in_section)
		{
			set_line_error(errbuf, errlen, "", lineno, " is outside any section");
			goto fail;
		}
		for (d = s; d < e && *d != '=' && *d != ':'; d++)
			;
		if (d == e)
			goto malformed;
		k = d;
		while (k > s && is_space((unsigned char) k[-1]))
			k--;
		if (k == s)
			goto malformed;
		v = d + 1;
		while (v < e && is_space((unsigned char) *v))
			v++;
		if (e - v > MAX_VALUE)
		{
			set_line_error(errbuf, errlen, "", lineno, " has a value longer than 8 KiB");
			goto fail;
		}
		have_option = true;
		nested = (v == e);
		if (!selected)
			continue;

		if (key_is(s, (size_t) (k - s), "aws_access_key_id"))
		{
			if (set_value(&out->access_key_id, v, (size_t) (e - v)) != 0)
				goto oom;
		}
		else if (key_is(s, (size_t) (k - s), "aws_secret_access_key"))
		{
			if (set_value(&out->secret_access_key, v, (size_t) (e - v)) != 0)
				goto oom;
		}
		else if (key_is(s, (size_t) (k - s), "aws_session_token"))
		{
			if (set_value(&out->session_token, v, (size_t) (e - v)) != 0)
				goto oom;
		}
		else if (key_is(s, (size_t) (k - s), "aws_security_token"))
		{
			have_security_token = true;
			if (set_value(&security_token, v, (size_t) (e - v)) != 0)
				goto oom;
		}
		else if (out->unsupported == NULL)
		{
			for (i = 0; unsupported_keys[i] != NULL; i++)
				if (key_is(s, (size_t) (k - s), unsupported_keys[i]))
				{
					out->unsupported = unsupported_keys[i];
					break;
				}
		}
	}

	/* botocore takes aws_security_token before aws_session_token */
	if (have_security_token)
	{
		free(out->session_token);
		out->session_token = security_token;
	}
	return 0;

malformed:
	set_line_error(errbuf, errlen, "malformed ", lineno, "");
	goto fail;
oom:
	core_set_error(errbuf, errlen, "out of memory");
fail:
	free(security_token);
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
