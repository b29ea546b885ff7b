/*
 * core/wire.h
 *		The outside forms of every state type and serialized state: the
 *		errors for a value that cannot be read, the text form's fields, and
 *		one binary reader and writer.
 *
 * Promises: a binary value starts with SMARKPI_BINARY_VERSION; every read
 * checks the bytes left first, so a truncated or corrupt value is always
 * 22P03 (never a protocol error or a read past the end); item counts are
 * bounded by the bytes left before anything is allocated.  Text input
 * errors are 22P02 with the value in the message.
 */
#ifndef SMARKPI_CORE_WIRE_H
#define SMARKPI_CORE_WIRE_H

#include "compat.h"

#include "lib/stringinfo.h"

/* Version byte leading every binary form. */
#define SMARKPI_BINARY_VERSION 1

/* Sizes of the binary fields, in bytes. */
#define SMARKPI_WIRE_BYTE 1
#define SMARKPI_WIRE_INT32 4
#define SMARKPI_WIRE_INT64 8
#define SMARKPI_WIRE_FLOAT8 8
#define SMARKPI_WIRE_INT128 16

/* A value of typname that contradicts itself (sqlstate 22P02 or 22P03). */
extern void smarkpi_state_corrupt(const char *typname, int sqlstate, const char *detail);

/* A binary form of typname that contradicts itself (22P03). */
extern void smarkpi_binary_corrupt(const char *typname, const char *detail);

/* Text that is not typname's text form (22P02). */
extern void smarkpi_text_syntax_error(const char *typname, const char *str, const char *detail);

/* ---- text form ---- */

extern char *smarkpi_state_fields(char *str, const char *typname, char **fields, int nfields);
extern int64 smarkpi_parse_int64_field(const char *field, const char *typname);

/* ---- binary writer ---- */

extern void smarkpi_wire_begin(StringInfo buf);
extern void smarkpi_wire_put_int128(StringInfo buf, int128 v);

/* 7 bits a byte, low first; the high bit set on every byte but the last */
extern void smarkpi_wire_put_varuint(StringInfo buf, uint64 v);

/* ---- binary reader: each call names the type it reads, for its errors ---- */

extern void smarkpi_wire_open(StringInfo buf, const char *typname);
extern void smarkpi_wire_open_bytea(bytea *b, StringInfo buf, const char *typname);
extern void smarkpi_wire_need(StringInfo buf, int64 n, const char *typname);
extern int	smarkpi_wire_byte(StringInfo buf, const char *typname);
extern int32 smarkpi_wire_int32(StringInfo buf, const char *typname);
extern int64 smarkpi_wire_int64(StringInfo buf, const char *typname);
extern double smarkpi_wire_float8(StringInfo buf, const char *typname);
extern int128 smarkpi_wire_int128(StringInfo buf, const char *typname);
extern uint64 smarkpi_wire_varuint(StringInfo buf, const char *typname);
extern char *smarkpi_wire_cstring(StringInfo buf, int32 len, const char *typname);

/* A numeric's binary form (numeric_send's) at the cursor; its length checked first. */
extern Datum smarkpi_wire_numeric(StringInfo buf, const char *typname);

/* A numeric as an int4 length and its binary form; the form must fill the length. */
extern void smarkpi_wire_send_sized_numeric(StringInfo buf, Datum num);
extern Datum smarkpi_wire_sized_numeric(StringInfo buf, const char *typname);
extern void smarkpi_wire_check_count(StringInfo buf, int64 n, int item_size, bool exact,
									 const char *typname);
extern void smarkpi_wire_end(StringInfo buf, const char *typname);

#endif							/* SMARKPI_CORE_WIRE_H */
