/*-------------------------------------------------------------------------
 *
 * core.h
 *		What the PostgreSQL-free cores (sigv4.c, s3_names.c, s3_xml.c,
 *		aws_json.c, aws_profile.c) share: a growing string in malloc'd
 *		memory, the setting of an error message, URI encoding, and the
 *		temporary credentials that STS (XML) and the credential endpoints
 *		(JSON) answer with.
 *
 * libc only, so that every core stays unit-testable and fuzzable on its
 * own; the rest of the extension uses them too.  A string builder that ran
 * out of memory remembers it: later appends do nothing and cbuf_finish()
 * returns NULL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_CORE_H
#define S3FDW_CORE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cbuf
{
	char	   *data;			/* NUL-terminated, or NULL before the first byte */
	size_t		len;
	size_t		cap;
	bool		failed;			/* out of memory: the contents are lost */
} cbuf;

extern void cbuf_init(cbuf *b);
extern void cbuf_append_len(cbuf *b, const char *s, size_t n);
extern void cbuf_append(cbuf *b, const char *s);
extern void cbuf_append_char(cbuf *b, char c);

/* The string (malloc'd, "" when nothing was appended), or NULL on failure. */
extern char *cbuf_finish(cbuf *b);

/*
 * Writes a message into errbuf (when it is not NULL), printf-style.  The
 * cores' messages never contain input bytes beyond names and numbers.
 */
extern void core_set_error(char *errbuf, size_t errlen, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* A hexadecimal digit's value (either case), or -1 */
extern int	core_hex_value(char c);

/*
 * URI encoding, both ways.  s3_uri_encode(): S3's rules (unreserved
 * characters as they are, '/' too when keep_slash, everything else %XX in
 * upper-case hex); NULL when out of memory.  s3_uri_decode(): %XX escapes
 * and '+' as a space (S3's EncodingType=url); NULL on a malformed escape, a
 * decoded NUL, or lack of memory; s3_uri_decode_status() tells which.
 */
#define URLDEC_OK			0
#define URLDEC_MALFORMED	(-1)
#define URLDEC_OOM			(-2)

extern char *s3_uri_encode(const char *in, size_t len, bool keep_slash);
extern char *s3_uri_decode(const char *in, size_t len, size_t *outlen);
extern int	s3_uri_decode_status(const char *in, size_t len, char **out, size_t *outlen);

/* Temporary credentials, from STS (XML) or a credential endpoint (JSON) */
typedef struct s3_temp_credentials
{
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;	/* or NULL */
	char	   *expiration;		/* ISO 8601, or NULL for none */
} s3_temp_credentials;

extern void s3_temp_credentials_free(s3_temp_credentials *c);

#endif							/* S3FDW_CORE_H */
