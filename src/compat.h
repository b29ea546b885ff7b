/*
 * compat.h
 *		Every PostgreSQL major-version difference smarkpi depends on.
 *
 * smarkpi supports PostgreSQL 15 to 18; keep all PG_VERSION_NUM guards here
 * so that supporting another major is a change to this one file.
 */
#ifndef SMARKPI_COMPAT_H
#define SMARKPI_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "smarkpi requires PostgreSQL 15 or later"
#endif

/* Since 16 the varlena macros (VARDATA_ANY, SET_VARSIZE, ...) are not in postgres.h. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

#include "fmgr.h"
#include "lib/stringinfo.h"

/* 17 added a StringInfo over bytes it does not own; before, set it up by hand. */
#if PG_VERSION_NUM < 170000
static inline void
initReadOnlyStringInfo(StringInfo str, char *data, int len)
{
	str->data = data;
	str->len = len;
	str->maxlen = len;
	str->cursor = 0;
}
#endif

/* 18 lets a module report its name and version (pg_get_loaded_modules()). */
#if PG_VERSION_NUM >= 180000
#define SMARKPI_MODULE_MAGIC PG_MODULE_MAGIC_EXT(.name = "smarkpi", .version = SMARKPI_VERSION)
#else
#define SMARKPI_MODULE_MAGIC PG_MODULE_MAGIC
#endif

/* 17 added infinite intervals. */
#if PG_VERSION_NUM < 170000
#define INTERVAL_NOT_FINITE(i) false
#define INTERVAL_IS_NOBEGIN(i) false
#endif

#ifndef HAVE_INT128
#error "smarkpi requires a compiler with a 128-bit integer type"
#endif

#endif							/* SMARKPI_COMPAT_H */
