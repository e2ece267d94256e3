/*-------------------------------------------------------------------------
 *
 * s3_names.c
 *		S3 naming and addressing rules: which bucket names, keys, regions
 *		and endpoints are acceptable, and how a request's URL, Host header
 *		and canonical path are formed from them.
 *
 * Everything here is checked before any request is made, so that bad input
 * is refused with a clear message instead of an obscure answer from S3.
 * No PostgreSQL headers: see s3_names.h.
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core.h"
#include "s3_names.h"

static bool
is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t		sl = strlen(suffix);

	return len >= sl && memcmp(s + len - sl, suffix, sl) == 0;
}

/* Four dot-separated groups of digits: S3 refuses names shaped like that. */
static bool
looks_like_ipv4(const char *s)
{
	int			groups = 0;
	int			digits = 0;

	for (; *s; s++)
	{
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && digits > 0)
		{
			groups++;
			digits = 0;
		}
		else
			return false;
	}
	return digits > 0 && groups == 3;
}

/*
 * The rules of S3 general purpose bucket names.
 */
const char *
s3_check_bucket_name(const char *name)
{
	static const char *const bad_prefixes[] = {"xn--", "sthree-", "amzn-s3-demo-"};
	static const char *const bad_suffixes[] = {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"};
	size_t		len;
	size_t		i;

	if (name == NULL || name[0] == '\0')
		return "a bucket name must not be empty";
	len = strlen(name);
	if (len < 3 || len > 63)
		return "a bucket name must be between 3 and 63 characters long";
	for (i = 0; i < len; i++)
	{
		char		c = name[i];

		if (!is_lower_alnum(c) && c != '-' && c != '.')
			return "a bucket name may contain only lower-case letters, digits, dots and hyphens";
		if (c == '.' && i > 0 && name[i - 1] == '.')
			return "a bucket name must not contain two adjacent dots";
	}
	if (!is_lower_alnum(name[0]) || !is_lower_alnum(name[len - 1]))
		return "a bucket name must begin and end with a letter or a digit";
	if (looks_like_ipv4(name))
		return "a bucket name must not be formatted as an IP address";
	for (i = 0; i < sizeof(bad_prefixes) / sizeof(bad_prefixes[0]); i++)
		if (starts_with(name, bad_prefixes[i]))
			return "a bucket name must not begin with a reserved prefix (xn--, sthree-, amzn-s3-demo-)";
	for (i = 0; i < sizeof(bad_suffixes) / sizeof(bad_suffixes[0]); i++)
		if (ends_with(name, len, bad_suffixes[i]))
			return "a bucket name must not end with a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)";
	return NULL;
}

const char *
s3_check_key(const char *key, size_t len)
{
	if (key == NULL || len == 0)
		return "an object key must not be empty";
	if (len > S3_MAX_KEY_BYTES)
		return "an object key must not be longer than 1024 bytes in UTF-8";
	if (memchr(key, '\0', len) != NULL)
		return "an object key must not contain a NUL byte";
	return NULL;
}

/*
 * AWS regions look like "eu-west-1"; S3-compatible stores use other names
 * ("auto" for R2, zone groups for Ceph), so only the shape is checked.
 */
const char *
s3_check_region(const char *region)
{
	size_t		len;
	size_t		i;

	if (region == NULL || region[0] == '\0')
		return "a region must not be empty";
	len = strlen(region);
	if (len > 64)
		return "a region must not be longer than 64 characters";
	for (i = 0; i < len; i++)
	{
		if (!is_lower_alnum(region[i]) && region[i] != '-')
			return "a region may contain only lower-case letters, digits and hyphens";
		if (region[i] == '-' && i > 0 && region[i - 1] == '-')
			return "a region must not contain two adjacent hyphens";
	}
	if (!is_lower_alnum(region[0]) || !is_lower_alnum(region[len - 1]))
		return "a region must begin and end with a letter or a digit";
	return NULL;
}

/* Server-side encryption as S3 names it: x-amz-server-side-encryption */
const char *
s3_check_sse(const char *value)
{
	if (strcmp(value, "AES256") == 0 || strcmp(value, "aws:kms") == 0 ||
		strcmp(value, "aws:kms:dsse") == 0)
		return NULL;
	return "server-side encryption is \"AES256\" (SSE-S3), \"aws:kms\" (SSE-KMS) or \"aws:kms:dsse\"";
}

/* A KMS key id, ARN or alias: printable ASCII without spaces, at most 2048 bytes */
const char *
s3_check_kms_key_id(const char *value)
{
	size_t		len = strlen(value);
	size_t		i;

	if (len == 0)
		return "a KMS key id must not be empty";
	if (len > 2048)
		return "a KMS key id must not be longer than 2048 bytes";
	for (i = 0; i < len; i++)
		if (value[i] <= 0x20 || value[i] >= 0x7f)
			return "a KMS key id (an id, an ARN or an alias) is printable ASCII without spaces";
	return NULL;
}

/*
 * A storage class: S3's are upper-case words joined by underscores
 * (STANDARD_IA, GLACIER_IR); other stores name their own (Ceph's are
 * configured), so only that shape is checked.
 */
const char *
s3_check_storage_class(const char *value)
{
	size_t		len = strlen(value);
	size_t		i;

	if (len == 0 || len > 64)
		return "a storage class is 1 to 64 characters long";
	for (i = 0; i < len; i++)
		if (!((value[i] >= 'A' && value[i] <= 'Z') || (value[i] >= '0' && value[i] <= '9') ||
			  value[i] == '_' || value[i] == '-'))
			return "a storage class is written in upper-case letters, digits, \"_\" and \"-\", such as STANDARD_IA or GLACIER_IR";
	return NULL;
}

static const char *const checksum_names[] = {"CRC32C", "CRC32", "SHA256", "SHA1"};

const char *
s3_checksum_name(const char *value)
{
	size_t		i;

	for (i = 0; i < sizeof(checksum_names) / sizeof(checksum_names[0]); i++)
	{
		const char *a = checksum_names[i];
		const char *b = value;

		while (*a && *b && *a == ((*b >= 'a' && *b <= 'z') ? *b - 32 : *b))
			a++, b++;
		if (*a == '\0' && *b == '\0')
			return checksum_names[i];
	}
	return NULL;
}

const char *
s3_check_checksum_algorithm(const char *value)
{
	if (s3_checksum_name(value) == NULL)
		return "a checksum algorithm is CRC32C, CRC32, SHA256 or SHA1";
	return NULL;
}

/* An SSE-C key as S3 takes it: 32 bytes (AES-256) in base64; decoded into key */
const char *
s3_check_customer_key(const char *base64, unsigned char key[32])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char out[33];
	size_t		n = 0;
	unsigned	acc = 0;
	int			bits = 0;
	size_t		len = strlen(base64);
	size_t		i;

	/* 32 bytes are 43 characters and one "=" */
	if (len != 44 || base64[43] != '=')
		return "an SSE-C key is 32 bytes (256 bits) in base64: 44 characters ending in \"=\"";
	for (i = 0; i < 43; i++)
	{
		const char *c = strchr(alphabet, base64[i]);

		if (base64[i] == '\0' || c == NULL)
			return "an SSE-C key is 32 bytes (256 bits) in base64: 44 characters ending in \"=\"";
		acc = (acc << 6) | (unsigned) (c - alphabet);
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			out[n++] = (unsigned char) ((acc >> bits) & 0xff);
		}
	}
	if (n != 32 || (acc & ((1u << bits) - 1)) != 0)
		return "an SSE-C key is 32 bytes (256 bits) in base64: 44 characters ending in \"=\"";
	memcpy(key, out, 32);
	return NULL;
}

const char *
s3_parse_endpoint(const char *url, s3_endpoint *out)
{
	const char *p;
	size_t		hlen = 0;

	memset(out, 0, sizeof(*out));
	if (url == NULL)
		return "an endpoint must not be empty";
	if (strncasecmp(url, "https://", 8) == 0)
	{
		out->https = true;
		p = url + 8;
	}
	else if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return "an endpoint must start with http:// or https://";
	if (strchr(p, '@') != NULL)
		return "an endpoint must not contain user information";

	if (*p == '[')
	{
		/*
		 * IPv6 literal: what inet_pton() takes (so neither "[:::]" nor an
		 * IPv4 address in brackets), without a zone id.  No valid address is
		 * longer than INET6_ADDRSTRLEN - 1 characters.
		 */
		const char *rbracket = strchr(p, ']');
		char		addr[INET6_ADDRSTRLEN];
		struct in6_addr in6;
		size_t		alen;

		if (rbracket == NULL)
			return "an endpoint's IPv6 address must be inside brackets";
		alen = (size_t) (rbracket - (p + 1));
		if (memchr(p + 1, '%', alen) != NULL)
			return "an endpoint's IPv6 address must not have a zone id";
		if (alen == 0 || alen >= sizeof(addr))
			return "an endpoint's IPv6 address is not valid";
		memcpy(addr, p + 1, alen);
		addr[alen] = '\0';
		if (inet_pton(AF_INET6, addr, &in6) != 1)
			return "an endpoint's IPv6 address is not valid";
		hlen = alen + 2;
		memcpy(out->host, p, hlen);
		p = rbracket + 1;
	}
	else
	{
		char		prev = '.';

		while (*p && *p != ':' && *p != '/')
		{
			char		c = (char) tolower((unsigned char) *p);

			if (!is_lower_alnum(c) && c != '-' && c != '.')
			{
				if (c == '@')
					return "an endpoint must not contain user information";
				return "an endpoint's host name may contain only letters, digits, dots and hyphens";
			}
			if (c == '.' && prev == '.')
				return "an endpoint's host name must not contain empty labels";
			if (hlen >= S3_MAX_HOST_LEN)
				return "an endpoint's host name is too long";
			out->host[hlen++] = c;
			prev = c;
			p++;
		}
		if (hlen == 0)
			return "an endpoint must name a host";
		if (prev == '.' || prev == '-' || out->host[0] == '-')
			return "an endpoint's host name must begin and end with a letter or a digit";
	}

	if (*p == ':')
	{
		long		port = 0;

		p++;
		if (!isdigit((unsigned char) *p))
			return "an endpoint's port must be a number between 1 and 65535";
		while (isdigit((unsigned char) *p))
		{
			port = port * 10 + (*p - '0');
			if (port > 65535)
				return "an endpoint's port must be a number between 1 and 65535";
			p++;
		}
		if (port < 1)
			return "an endpoint's port must be a number between 1 and 65535";
		out->port = (int) port;
	}
	if (*p == '/')
		p++;
	if (*p != '\0')
		return "an endpoint must be only a scheme, a host and an optional port (no path, query or fragment)";
	return NULL;
}

/* Is a 4-byte IPv4 address, in network order, in 169.254.0.0/16? */
static bool
ipv4_is_link_local(const unsigned char *a)
{
	return a[0] == 169 && a[1] == 254;
}

/*
 * Is a 16-byte IPv6 address link-local, or one that leads to the addresses
 * where cloud instances and containers are given their credentials?
 * fe80::/10; fd00:ec2::/32 (AWS's IPv6 instance metadata, fd00:ec2::254, and
 * EKS Pod Identity, fd00:ec2::23); and IPv4 link-local addresses embedded as
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) or NAT64
 * (64:ff9b::a.b.c.d) addresses.
 */
static bool
ipv6_is_link_local(const unsigned char *a)
{
	static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char v4compat[12] = {0};
	static const unsigned char nat64[12] = {0x00, 0x64, 0xff, 0x9b};

	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return true;
	if (a[0] == 0xfd && a[1] == 0x00 && a[2] == 0x0e && a[3] == 0xc2)
		return true;
	if (memcmp(a, v4mapped, 12) == 0 || memcmp(a, v4compat, 12) == 0 ||
		memcmp(a, nat64, 12) == 0)
		return ipv4_is_link_local(a + 12);
	return false;
}

/*
 * Is a socket address one where a machine's own credentials may be served
 * (IPv4 169.254.0.0/16 and the IPv6 ranges of ipv6_is_link_local())?  addr
 * must be as long as its family's sockaddr_in or sockaddr_in6; other
 * families, and NULL, are never link-local.
 */
bool
s3_address_is_link_local(const struct sockaddr *addr)
{
	if (addr == NULL)
		return false;
	if (addr->sa_family == AF_INET)
	{
		struct sockaddr_in sin;

		memcpy(&sin, addr, sizeof(sin));
		return ipv4_is_link_local((const unsigned char *) &sin.sin_addr);
	}
	if (addr->sa_family == AF_INET6)
	{
		struct sockaddr_in6 sin6;

		memcpy(&sin6, addr, sizeof(sin6));
		return ipv6_is_link_local((const unsigned char *) &sin6.sin6_addr);
	}
	return false;
}

/*
 * Is a parsed endpoint's host an IP address literal that is link-local?
 * IPv4 is read with inet_aton(), which takes the shorthand forms curl and
 * the resolver take too ("2852039166", "0xa9fea9fe", "169.254.43518").  Host
 * names are not resolved here: the addresses they resolve to must be checked
 * with s3_address_is_link_local() when connecting.
 */
const char *
s3_endpoint_literal_link_local(const s3_endpoint *ep)
{
	static const char *const refusal =
		"the endpoint is a link-local address, where the machine's own credentials are served";

	if (ep == NULL)
		return NULL;
	if (ep->host[0] == '[')
	{
		struct sockaddr_in6 sin6;
		char		addr[INET6_ADDRSTRLEN];
		size_t		len = strlen(ep->host);

		if (len < 3 || ep->host[len - 1] != ']' || len - 2 >= sizeof(addr))
			return NULL;
		memcpy(addr, ep->host + 1, len - 2);
		addr[len - 2] = '\0';
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1 &&
			s3_address_is_link_local((const struct sockaddr *) &sin6))
			return refusal;
	}
	else
	{
		struct sockaddr_in sin;

		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		if (inet_aton(ep->host, &sin.sin_addr) != 0 &&
			s3_address_is_link_local((const struct sockaddr *) &sin))
			return refusal;
	}
	return NULL;
}

void
s3_default_endpoint(const char *region, s3_endpoint *out)
{
	memset(out, 0, sizeof(*out));
	out->https = true;
	snprintf(out->host, sizeof(out->host), "s3.%s.amazonaws.com%s",
			 region, starts_with(region, "cn-") ? ".cn" : "");
}

void
s3_default_sts_endpoint(const char *region, s3_endpoint *out)
{
	memset(out, 0, sizeof(*out));
	out->https = true;
	snprintf(out->host, sizeof(out->host), "sts.%s.amazonaws.com%s",
			 region, starts_with(region, "cn-") ? ".cn" : "");
}

/* Are all bytes of s in the set (letters and digits always are)? */
static bool
only_chars(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!isalnum((unsigned char) *s) || (unsigned char) *s >= 0x80)
		{
			if (strchr(extra, *s) == NULL || *s == '\0')
				return false;
		}
	return true;
}

const char *
s3_check_role_arn(const char *arn)
{
	const char *p;
	int			digits = 0;
	size_t		len;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return "a role ARN must start with \"arn:\"";
	p = arn + 4;
	if (strncmp(p, "aws", 3) != 0)
		return "a role ARN must name an AWS partition (aws, aws-cn, aws-us-gov)";
	while (*p && *p != ':')
	{
		if (!is_lower_alnum(*p) && *p != '-')
			return "a role ARN must name an AWS partition (aws, aws-cn, aws-us-gov)";
		p++;
	}
	if (strncmp(p, ":iam::", 6) != 0)
		return "a role ARN must have the form arn:aws:iam::ACCOUNT:role/NAME";
	p += 6;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (digits != 12)
		return "a role ARN must name a 12-digit account id";
	if (strncmp(p, ":role/", 6) != 0)
		return "a role ARN must have the form arn:aws:iam::ACCOUNT:role/NAME";
	p += 6;
	len = strlen(p);
	if (len == 0 || len > 512 || p[len - 1] == '/' || !only_chars(p, "+=,.@_-/"))
		return "a role name may contain only letters, digits and +=,.@_- (and / in its path)";
	return NULL;
}

const char *
s3_check_role_session_name(const char *name)
{
	size_t		len = name ? strlen(name) : 0;

	if (len < 2 || len > 64 || !only_chars(name, "+=,.@_-"))
		return "a role session name must be 2 to 64 letters, digits or +=,.@_-";
	return NULL;
}

const char *
s3_check_external_id(const char *id)
{
	size_t		len = id ? strlen(id) : 0;

	if (len < 2 || len > 1224 || !only_chars(id, "+=,.@:/_-"))
		return "an external id must be 2 to 1224 letters, digits or +=,.@:/_-";
	return NULL;
}

/* Reads exactly n decimal digits at s into *val; false if any is not one. */
static bool
read_digits(const char *s, int n, int *val)
{
	int			i;

	*val = 0;
	for (i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		*val = *val * 10 + (s[i] - '0');
	}
	return true;
}

/*
 * A time as S3, STS and the credential endpoints send it (LastModified,
 * CreationDate, Expiration): YYYY-MM-DDTHH:MM:SS, an optional fraction of 1
 * to 9 digits, then Z or an offset +hh:mm, -hh:mm, +hhmm or -hhmm.  The date
 * must exist (leap years included), the year be 1000 to 9999 and the second
 * 0 to 60 (a leap second).  An offset may not pass 15:59, PostgreSQL's
 * limit (no real zone passes 14:00).
 */
const char *
s3_check_iso8601(const char *s)
{
	static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	static const char *const form = "a time must have the form YYYY-MM-DDTHH:MM:SSZ";
	int			year,
				month,
				day,
				hour,
				minute,
				second,
				off_hour = 0,
				off_minute = 0;
	int			ndigits;
	int			mdays;
	const char *p;

	if (s == NULL || strnlen(s, 65) > 64)
		return form;
	/* each test stops at the first mismatch, so none reads past the NUL */
	if (!read_digits(s, 4, &year) || s[4] != '-' ||
		!read_digits(s + 5, 2, &month) || s[7] != '-' ||
		!read_digits(s + 8, 2, &day) || s[10] != 'T' ||
		!read_digits(s + 11, 2, &hour) || s[13] != ':' ||
		!read_digits(s + 14, 2, &minute) || s[16] != ':' ||
		!read_digits(s + 17, 2, &second))
		return form;
	p = s + 19;
	if (*p == '.')
	{
		p++;
		for (ndigits = 0; *p >= '0' && *p <= '9'; ndigits++)
			p++;
		if (ndigits < 1 || ndigits > 9)
			return form;
	}
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-')
	{
		p++;
		if (!read_digits(p, 2, &off_hour))
			return form;
		p += 2;
		if (*p == ':')
			p++;
		if (!read_digits(p, 2, &off_minute))
			return form;
		p += 2;
	}
	else
		return form;
	if (*p != '\0')
		return form;

	if (year < 1000)
		return "a time's year must be between 1000 and 9999";
	if (month < 1 || month > 12)
		return "a time's date does not exist";
	mdays = month_days[month - 1];
	if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		mdays = 29;
	if (day < 1 || day > mdays)
		return "a time's date does not exist";
	if (hour > 23 || minute > 59 || second > 60)
		return "a time's time of day is out of range";
	if (off_hour > 15 || off_minute > 59)
		return "a time's UTC offset is out of range";
	return NULL;
}

/* Decimal digits (at most 18: no overflow) into *out; the end in *end. */
static bool
read_number(const char *p, long long *out, const char **end)
{
	long long	v = 0;
	int			n;

	for (n = 0; p[n] >= '0' && p[n] <= '9'; n++)
	{
		if (n == 18)
			return false;
		v = v * 10 + (p[n] - '0');
	}
	if (n == 0)
		return false;
	*out = v;
	*end = p + n;
	return true;
}

const char *
s3_parse_content_range(const char *value, s3_content_range *out)
{
	static const char form[] = "Content-Range is not \"bytes FIRST-LAST/TOTAL\"";
	const char *p = value;

	out->first = out->last = out->total = -1;
	if (p == NULL)
		return "it has no Content-Range";
	while (*p == ' ' || *p == '\t')
		p++;
	/* the range unit is case-insensitive (RFC 9110, 14.1) */
	if (strncasecmp(p, "bytes", 5) != 0 || (p[5] != ' ' && p[5] != '\t'))
		return form;
	p += 5;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '*')
		p++;
	else
	{
		if (!read_number(p, &out->first, &p) || *p++ != '-' ||
			!read_number(p, &out->last, &p))
			return form;
		if (out->last < out->first)
			return "Content-Range ends before it starts";
	}
	if (*p++ != '/')
		return form;
	if (*p == '*' && out->first >= 0)
		p++;
	else if (!read_number(p, &out->total, &p))
		return form;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0')
		return form;
	if (out->total >= 0 && out->last >= out->total)
		return "Content-Range ends past the object's length";
	return NULL;
}

const char *
s3_check_partial_answer(const char *value, long long first, long long last,
						long long total, size_t body_len)
{
	s3_content_range cr;
	const char *problem = s3_parse_content_range(value, &cr);

	if (problem != NULL)
		return problem;
	if (cr.first < 0)
		return "a partial answer's Content-Range names no range";
	if (cr.first != first)
		return "Content-Range starts at another byte than the one asked for";
	if (cr.last > last)
		return "Content-Range ends past the last byte asked for";
	if (total >= 0 && cr.total >= 0 && cr.total != total)
		return "Content-Range gives the object another length than it has";
	if (cr.total < 0)
		cr.total = total;		/* "*": the length known beforehand, if any */
	if (cr.total >= 0 && cr.last >= cr.total)
		return "Content-Range ends past the object's length";
	/* short of the last byte asked for only at the object's end */
	if (cr.last < last && (cr.total < 0 || cr.last != cr.total - 1))
		return "Content-Range ends before the last byte asked for, short of the object's end";
	if ((unsigned long long) (cr.last - cr.first + 1) != (unsigned long long) body_len)
		return "the body's length is not that of its Content-Range";
	return NULL;
}

const char *
s3_check_unsatisfiable_answer(const char *value, long long first)
{
	s3_content_range cr;
	const char *problem;

	if (value == NULL)
		return NULL;
	problem = s3_parse_content_range(value, &cr);
	if (problem != NULL)
		return problem;
	if (cr.first >= 0 || cr.total < 0)
		return "a 416 answer's Content-Range is not \"bytes */TOTAL\"";
	if (cr.total > first)
		return "it says the range starts past the object's end, and its Content-Range gives a longer object";
	return NULL;
}

int
s3_build_target(const s3_endpoint *ep, bool virtual_style,
				const char *bucket, const char *key,
				const char *query, s3_target *out)
{
	cbuf		host,
				path,
				url;
	char	   *ekey = NULL;
	char		port[8] = "";

	memset(out, 0, sizeof(*out));
	if (ep->port != 0 && ep->port != (ep->https ? 443 : 80))
		snprintf(port, sizeof(port), ":%d", ep->port);

	if (bucket != NULL && virtual_style && ep->https && strchr(bucket, '.') != NULL)
		virtual_style = false;

	if (key != NULL)
	{
		ekey = s3_uri_encode(key, strlen(key), true);
		if (ekey == NULL)
			return -1;
	}

	cbuf_init(&host);
	cbuf_init(&path);
	cbuf_init(&url);
	if (bucket != NULL && virtual_style)
	{
		cbuf_append(&host, bucket);
		cbuf_append(&host, ".");
		cbuf_append(&path, "/");
	}
	else if (bucket != NULL)
	{
		cbuf_append(&path, "/");
		cbuf_append(&path, bucket);
		if (key != NULL)
			cbuf_append(&path, "/");
	}
	else
		cbuf_append(&path, "/");
	if (ekey != NULL)
		cbuf_append(&path, ekey);
	cbuf_append(&host, ep->host);
	cbuf_append(&host, port);
	free(ekey);

	cbuf_append(&url, ep->https ? "https://" : "http://");
	if (host.data != NULL && path.data != NULL)
	{
		cbuf_append(&url, host.data);
		cbuf_append(&url, path.data);
	}
	if (query != NULL && query[0] != '\0')
	{
		cbuf_append(&url, "?");
		cbuf_append(&url, query);
	}

	out->host = cbuf_finish(&host);
	out->path = cbuf_finish(&path);
	out->url = cbuf_finish(&url);
	if (out->host == NULL || out->path == NULL || out->url == NULL)
	{
		s3_target_free(out);
		return -1;
	}
	return 0;
}

void
s3_target_free(s3_target *t)
{
	free(t->url);
	free(t->host);
	free(t->path);
	t->url = t->host = t->path = NULL;
}
