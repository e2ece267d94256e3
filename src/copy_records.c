/*
 * copy_records.c
 *		The length of each record of a COPY FROM stream, counted as its bytes
 *		go by, so that s3_import can refuse a line longer than its bound
 *		before COPY has buffered it (COPY itself grows its line buffer up to
 *		1 GB, and a gzip object of a few megabytes can inflate to one such
 *		line).  The rules follow COPY's own reading of each format:
 *
 *		text	a line ends at \n or \r (\r\n is one end); a backslash
 *				escapes the byte after it, a newline too;
 *		csv		a line ends at \n or \r outside quotes; inside them the
 *				escape byte (when it is not the quote) escapes the next one,
 *				and a doubled quote ("") closes and reopens them;
 *		binary	the 11-byte signature, flags and a header extension, then
 *				tuples: a 16-bit field count (-1 ends the data), and per
 *				field a 32-bit length (-1 for NULL) and its bytes.  A record
 *				is a tuple with its framing.
 *
 * Bytes the rules do not expect (binary framing that makes no sense) stop
 * the counting: COPY reports those itself.  No PostgreSQL headers.
 */
#include "copy_records.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum
{
	B_SIGNATURE,				/* skip: signature and flags */
	B_EXTLEN,					/* read: header extension length */
	B_EXT,						/* skip: header extension */
	B_COUNT,					/* read: field count */
	B_LEN,						/* read: field length */
	B_DATA,						/* skip: field bytes */
	B_DONE						/* the end, or framing COPY will refuse */
};

void
copy_records_init(CopyRecords *cr, CopyRecordFormat format,
				  unsigned char quote, unsigned char escape, int64_t limit)
{
	memset(cr, 0, sizeof(*cr));
	cr->format = format;
	cr->limit = limit;
	cr->quote = quote;
	cr->escape = escape;
	cr->special['\n'] = cr->special['\r'] = 1;
	if (format == COPY_RECORDS_TEXT)
		cr->needle[0] = cr->needle[1] = '\\';
	else
	{
		cr->needle[0] = quote;
		cr->needle[1] = escape;
	}
	cr->special[cr->needle[0]] = cr->special[cr->needle[1]] = 1;
	cr->bstate = B_SIGNATURE;
	cr->skip = 11 + 4;
}

/* binary: read the next big-endian integer of n bytes */
static void
expect(CopyRecords *cr, int state, int n)
{
	cr->bstate = state;
	cr->acc = 0;
	cr->accn = n;
}

/* binary: a field has been read; the tuple ends with its last one */
static void
field_done(CopyRecords *cr)
{
	if (cr->fields_left > 0)
		expect(cr, B_LEN, 4);
	else
	{
		cr->records++;
		cr->run = 0;
		expect(cr, B_COUNT, 2);
	}
}

/* binary: where in buf the tuple under way passes the limit, or -1 */
static int64_t
scan_binary(CopyRecords *cr, const unsigned char *buf, size_t n)
{
	size_t		i = 0;

	while (i < n && cr->bstate != B_DONE)
	{
		if (cr->bstate == B_SIGNATURE || cr->bstate == B_EXT || cr->bstate == B_DATA)
		{
			size_t		k = (size_t) cr->skip < n - i ? (size_t) cr->skip : n - i;

			i += k;
			cr->skip -= (int64_t) k;
			if (cr->skip > 0)
				break;
			if (cr->bstate == B_SIGNATURE)
				expect(cr, B_EXTLEN, 4);
			else if (cr->bstate == B_EXT)
				expect(cr, B_COUNT, 2);
			else
				field_done(cr);
			continue;
		}
		/* B_EXTLEN, B_COUNT, B_LEN: a big-endian integer, byte by byte */
		cr->acc = (cr->acc << 8) | buf[i++];
		if (cr->bstate != B_EXTLEN)
			cr->run++;
		if (--cr->accn > 0)
			continue;
		if (cr->bstate == B_EXTLEN)
		{
			if (cr->acc > INT32_MAX)
				cr->bstate = B_DONE;
			else
			{
				cr->bstate = B_EXT;
				cr->skip = cr->acc;
			}
		}
		else if (cr->bstate == B_COUNT)
		{
			int16_t		count = (int16_t) (uint16_t) cr->acc;

			if (count < 0)
				cr->bstate = B_DONE;	/* -1: the trailer; less: COPY's error */
			else
			{
				cr->fields_left = count;
				field_done(cr);
			}
		}
		else
		{
			int32_t		len = (int32_t) cr->acc;

			cr->fields_left--;
			if (len < -1)
			{
				cr->bstate = B_DONE;
				continue;
			}
			if (len > 0)
				cr->run += len;
			/* refused before COPY reads the length and makes room for it */
			if (cr->run > cr->limit)
				return (int64_t) i - 1;
			if (len > 0)
			{
				cr->bstate = B_DATA;
				cr->skip = len;
			}
			else
				field_done(cr);
		}
	}
	return -1;
}

/*
 * Count the n bytes of buf, which follow those counted before.  Returns -1
 * when no record has grown past the limit, else the offset in buf of the
 * first byte past it (the bytes counted after it are not to be trusted).
 */
int64_t
copy_records_scan(CopyRecords *cr, const char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *) buf;
	const unsigned char *special = cr->special;
	size_t		start = 0;		/* where the record under way began in buf */
	int64_t		before = cr->run;	/* its bytes before buf */
	size_t		i = 0;

	if (cr->format == COPY_RECORDS_BINARY)
		return scan_binary(cr, p, n);
	/* the byte escaped by the last one of the previous piece */
	if (cr->escaped && n > 0)
	{
		cr->escaped = false;
		i = 1;
	}
	for (;;)
	{
		unsigned char c;
		bool		ends = false;

		/* most bytes are none of the few that matter: 16 at a time */
#ifdef __SSE2__
		while (i + 16 <= n)
		{
			__m128i		v = _mm_loadu_si128((const __m128i *) (p + i));
			__m128i		hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
														_mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
										   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char) cr->needle[0])),
														_mm_cmpeq_epi8(v, _mm_set1_epi8((char) cr->needle[1]))));
			int			mask = _mm_movemask_epi8(hit);

			if (mask != 0)
			{
				i += (size_t) __builtin_ctz((unsigned) mask);
				break;
			}
			i += 16;
		}
#endif
		while (i < n && !special[p[i]])
			i++;
		if (i >= n)
			break;
		c = p[i++];
		if (cr->format == COPY_RECORDS_TEXT)
		{
			if (c == '\\')
			{
				if (i < n)
					i++;
				else
					cr->escaped = true;
			}
			else
				ends = true;
		}
		else if (cr->in_quote)
		{
			if (c == cr->escape && cr->escape != cr->quote)
			{
				if (i < n)
					i++;
				else
					cr->escaped = true;
			}
			else if (c == cr->quote)
				cr->in_quote = false;
		}
		else if (c == cr->quote)
			cr->in_quote = true;
		else if (c == '\n' || c == '\r')
			ends = true;
		if (!ends)
			continue;
		/* the line is the bytes before its end (i - 1) */
		if (before + (int64_t) (i - 1 - start) > cr->limit)
			return (int64_t) start + (cr->limit - before);
		/* the \n of \r\n: the end of the same line */
		if (!(c == '\n' && cr->after_cr && before == 0 && i - 1 == start))
			cr->records++;
		cr->after_cr = c == '\r';
		start = i;
		before = 0;
	}
	if (before + (int64_t) (n - start) > cr->limit)
		return (int64_t) start + (cr->limit - before);
	if (n > start)
		cr->after_cr = false;
	cr->run = before + (int64_t) (n - start);
	return -1;
}
