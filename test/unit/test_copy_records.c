/*
 * test_copy_records.c
 *		Unit tests of the record lengths of a COPY FROM stream
 *		(copy_records.c): text, csv and binary, lines at and past the limit,
 *		escapes and quotes, \r\n, and every stream fed whole, byte by byte
 *		and in uneven pieces with the same result.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copy_records.h"
#include "unit.h"

typedef struct Result
{
	int64_t		at;				/* the absolute offset past the limit, or -1 */
	int64_t		records;
} Result;

/* Feed data in pieces of step bytes (0: whole). */
static Result
feed(CopyRecordFormat f, char quote, char escape, int64_t limit,
	 const char *data, size_t n, size_t step)
{
	CopyRecords cr;
	Result		r = {-1, 0};
	size_t		off = 0;

	copy_records_init(&cr, f, (unsigned char) quote, (unsigned char) escape, limit);
	while (off < n)
	{
		size_t		k = step == 0 || step > n - off ? n - off : step;
		int64_t		at = copy_records_scan(&cr, data + off, k);

		if (at >= 0)
		{
			r.at = (int64_t) off + at;
			break;
		}
		off += k;
	}
	r.records = cr.records;
	return r;
}

/* The same answer whole, byte by byte and in pieces of 2, 3 and 7 bytes. */
static void
check(const char *what, CopyRecordFormat f, char quote, char escape, int64_t limit,
	  const char *data, size_t n, int64_t want_at, int64_t want_records)
{
	static const size_t steps[] = {0, 1, 2, 3, 7};

	for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++)
	{
		Result		r = feed(f, quote, escape, limit, data, n, steps[s]);

		CHECK(r.at == want_at, "%s (pieces of %zu): past the limit at %lld, want %lld",
			  what, steps[s], (long long) r.at, (long long) want_at);
		if (want_at < 0)
			CHECK(r.records == want_records, "%s (pieces of %zu): %lld records, want %lld",
				  what, steps[s], (long long) r.records, (long long) want_records);
	}
}

#define T(what, f, limit, s, at, recs) check(what, f, '"', '"', limit, s, sizeof(s) - 1, at, recs)

static void
text_format(void)
{
	T("short lines", COPY_RECORDS_TEXT, 10, "a\tb\nc\td\n", -1, 2);
	T("at the limit", COPY_RECORDS_TEXT, 5, "12345\n12345\n", -1, 2);
	T("one past", COPY_RECORDS_TEXT, 5, "12345\n123456\n", 11, 1);
	T("the last line, unended", COPY_RECORDS_TEXT, 5, "1\n123456", 7, 1);
	T("\\r\\n is one end", COPY_RECORDS_TEXT, 5, "ab\r\ncd\r\n", -1, 2);
	T("\\r alone ends a line", COPY_RECORDS_TEXT, 5, "ab\rcd\r", -1, 2);
	T("empty lines count", COPY_RECORDS_TEXT, 5, "\n\n\n", -1, 3);
	T("an escaped newline goes on", COPY_RECORDS_TEXT, 5, "123\\\n456\n", 5, 0);
	T("an escaped backslash does not", COPY_RECORDS_TEXT, 5, "12\\\\\n456\n", -1, 2);
	T("quotes mean nothing in text", COPY_RECORDS_TEXT, 5, "\"12\n34\"\n", -1, 2);
}

static void
csv_format(void)
{
	T("short lines", COPY_RECORDS_CSV, 10, "a,b\nc,d\n", -1, 2);
	T("a quoted newline goes on", COPY_RECORDS_CSV, 20, "\"a\nb\",c\nd\n", -1, 2);
	T("past the limit across quoted lines", COPY_RECORDS_CSV, 6, "\"a\nb\nc\nd\ne\",f\n", 6, 0);
	T("a doubled quote stays inside", COPY_RECORDS_CSV, 20, "\"a\"\"\nb\"\nc\n", -1, 2);
	T("after the closing quote a newline ends", COPY_RECORDS_CSV, 20, "\"a\"\nb\n", -1, 2);
	T("\\r\\n outside quotes", COPY_RECORDS_CSV, 20, "a\r\nb\r\n", -1, 2);
	/* ESCAPE '\': \" inside quotes does not close them */
	check("escape before a quote", COPY_RECORDS_CSV, '"', '\\', 20, "\"a\\\"\nb\"\nc\n", 11, -1, 2);
	check("escape outside quotes is a byte", COPY_RECORDS_CSV, '"', '\\', 20, "a\\\nb\n", 5, -1, 2);
	check("another quote", COPY_RECORDS_CSV, '\'', '\'', 20, "'a\nb',\"\nc\n", 10, -1, 2);
}

/* a binary COPY stream: header, the given tuples, trailer */
static size_t
put16(unsigned char *p, int v)
{
	p[0] = (unsigned char) ((v >> 8) & 0xff);
	p[1] = (unsigned char) (v & 0xff);
	return 2;
}

static size_t
put32(unsigned char *p, int32_t v)
{
	uint32_t	u = (uint32_t) v;

	p[0] = (unsigned char) (u >> 24);
	p[1] = (unsigned char) (u >> 16);
	p[2] = (unsigned char) (u >> 8);
	p[3] = (unsigned char) u;
	return 4;
}

static void
binary_format(void)
{
	unsigned char *buf = calloc(1, 4096);
	size_t		n = 0,
				first;

	memcpy(buf, "PGCOPY\n\377\r\n\0", 11);
	n = 11;
	n += put32(buf + n, 0);		/* flags */
	n += put32(buf + n, 3);		/* a header extension of 3 bytes */
	memcpy(buf + n, "xyz", 3);
	n += 3;
	/* (abc, NULL): 2 + 4 + 3 + 4 = 13 bytes */
	n += put16(buf + n, 2);
	n += put32(buf + n, 3);
	memcpy(buf + n, "abc", 3);
	n += 3;
	n += put32(buf + n, -1);
	/* (): 2 bytes */
	n += put16(buf + n, 0);
	first = n;
	/* (100 bytes): 2 + 4 + 100 */
	n += put16(buf + n, 1);
	n += put32(buf + n, 100);
	memset(buf + n, 'q', 100);
	n += 100;
	n += put16(buf + n, -1);	/* the trailer */
	check("binary within", COPY_RECORDS_BINARY, 0, 0, 106, (const char *) buf, n, -1, 3);
	/* past the limit: refused at the length's last byte, before its data */
	check("binary past", COPY_RECORDS_BINARY, 0, 0, 105, (const char *) buf, n, (int64_t) first + 5, -1);
	/* a field length that claims a gigabyte, with no data behind it */
	n = first;
	n += put16(buf + n, 1);
	n += put32(buf + n, 1 << 30);
	check("binary claimed length", COPY_RECORDS_BINARY, 0, 0, 64 << 20, (const char *) buf, n, (int64_t) first + 5, -1);
	/* framing COPY will refuse: counting stops, COPY reports it */
	n = first;
	n += put16(buf + n, 1);
	n += put32(buf + n, -5);
	n += put32(buf + n, 1 << 30);
	check("binary nonsense", COPY_RECORDS_BINARY, 0, 0, 100, (const char *) buf, n, -1, 2);
	free(buf);
}

static void
long_stream(void)
{
	size_t		n = 3 << 20;
	char	   *big = malloc(n);

	/* 3 MB of 99-byte lines, then one line of 1 MB + 1 */
	for (size_t i = 0; i < n; i++)
		big[i] = i % 100 == 99 ? '\n' : 'x';
	check("many lines", COPY_RECORDS_CSV, '"', '"', 100, big, n, -1, (int64_t) (n / 100));
	memset(big + 1000, 'y', (1 << 20) + 1);
	{
		Result		r = feed(COPY_RECORDS_TEXT, '"', '"', 1 << 20, big, n, 65536);

		CHECK(r.at == 1000 + (1 << 20), "the long line: past the limit at %lld", (long long) r.at);
	}
	free(big);
}

int
main(void)
{
	text_format();
	csv_format();
	binary_format();
	long_stream();
	return unit_report("copy_records");
}
