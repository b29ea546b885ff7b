/*
 * compat.h
 *		Every PostgreSQL major-version difference smarkpi depends on.
 *
 * smarkpi targets PostgreSQL 15; keep all PG_VERSION_NUM guards here so that
 * moving to a later major is a change to this one file.
 */
#ifndef SMARKPI_COMPAT_H
#define SMARKPI_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 140000
#error "smarkpi requires PostgreSQL 14 or later (numeric infinity, int64_to_numeric)"
#endif

#ifndef HAVE_INT128
#error "smarkpi requires a compiler with a 128-bit integer type"
#endif

#endif							/* SMARKPI_COMPAT_H */
