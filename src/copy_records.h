/*
 * copy_records.h
 *		How long the record that COPY FROM is reading has grown: the bytes
 *		of an import are scanned before COPY sees them, so that a line longer
 *		than a bound is refused before COPY buffers it.  No PostgreSQL
 *		headers (unit-tested in test/unit/test_copy_records.c).
 */
#ifndef S3FDW_COPY_RECORDS_H
#define S3FDW_COPY_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum CopyRecordFormat
{
	COPY_RECORDS_TEXT,			/* lines end at \n or \r; \ escapes the next byte */
	COPY_RECORDS_CSV,			/* lines end at \n or \r outside quotes */
	COPY_RECORDS_BINARY			/* tuples framed by field counts and lengths */
} CopyRecordFormat;

typedef struct CopyRecords
{
	CopyRecordFormat format;
	int64_t		limit;			/* the longest record allowed, in bytes */
	int64_t		run;			/* bytes of the record under way */
	int64_t		records;		/* records ended so far */
	unsigned char special[256];	/* text and csv: the bytes that matter */
	unsigned char needle[2];	/* those besides \n and \r */
	unsigned char quote;
	unsigned char escape;
	bool		in_quote;
	bool		escaped;		/* the previous byte escapes this one */
	bool		after_cr;		/* the last record ended at \r (a \n may follow) */
	/* binary */
	int			bstate;
	uint32_t	acc;			/* the big-endian integer being read */
	int			accn;			/* its bytes still to come */
	int64_t		skip;			/* bytes to pass over (header extension, field) */
	int			fields_left;
} CopyRecords;

extern void copy_records_init(CopyRecords *cr, CopyRecordFormat format,
							  unsigned char quote, unsigned char escape, int64_t limit);
extern int64_t copy_records_scan(CopyRecords *cr, const char *buf, size_t n);

#endif
