/*-------------------------------------------------------------------------
 *
 * crc32c.h
 *		CRC-32C (Castagnoli), as S3's x-amz-checksum-crc32c carries it
 *		(crc32c.c): libc only.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_CRC32C_H
#define S3FDW_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The CRC-32C of len bytes, continuing from crc: 0 for the first call, the
 * previous result for the next piece (crc32c(crc32c(0, a), b) is the CRC of
 * a followed by b).
 */
extern uint32_t crc32c(uint32_t crc, const void *data, size_t len);

/* The same, one byte at a time: the reference the tests compare with. */
extern uint32_t crc32c_reference(uint32_t crc, const void *data, size_t len);

/* Whether crc32c() uses the CPU's CRC32 instruction (SSE 4.2). */
extern bool crc32c_hardware(void);

#endif							/* S3FDW_CRC32C_H */
