/*
 * core/xstate.h
 *		Two ways a state that grows with its rows is a real SQL type (which
 *		Citus can ship between nodes as text) and still costs O(1) a row:
 *
 *	expanded	the family's own in-memory form (hash tables) in an expanded
 *				object with its own memory context, flattened to the SQL
 *				value only when it leaves the aggregate (parallel query,
 *				Citus, a final function returning the state type);
 *	flat		one varlena of the family's own struct, updated in place
 *				(as float8_accum does) and grown by doubling into a new
 *				value; no memory context per group, for states kept per
 *				customer or per user.  Past 1 MB a flat state moves into
 *				a box (an expanded object holding the flat value) and grows
 *				in place, so large groups are not copied at each doubling.
 *
 * Promises: a transition returns its own read-write state unchanged, so the
 * executor neither copies nor frees it; a flat value from outside, or a
 * read-only one, is copied before it is changed; the text form of a flat
 * state is \x and the hex digits of its binary form (as bytea and hll print
 * theirs).
 */
#ifndef SMARKPI_CORE_XSTATE_H
#define SMARKPI_CORE_XSTATE_H

#include "compat.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

/* ---- expanded ---- */

/* How a family's in-memory state becomes its SQL type's value and back. */
typedef struct SmarkpiXStateKind
{
	const char *typname;
	Size		size;			/* of the family's state struct */
	/* an empty state (zeroed), in the object's memory context */
	void		(*init) (void *st);
	/* adds a flat value (checked: it may come from outside) to a state */
	void		(*load) (void *st, struct varlena *flat);
	/* the flat value of a state, in the current memory context */
	struct varlena *(*flatten) (void *st);
} SmarkpiXStateKind;

/* An empty state in a new expanded object under parent. */
extern void *smarkpi_xstate_new(const SmarkpiXStateKind *kind, MemoryContext parent);

/*
 * Argument 0 of a transition as a state to change in place, NULL when it is
 * NULL: the object's own state when it is kind's read-write expanded object
 * (the executor's), else a copy loaded into a new object under aggctx.
 */
extern void *smarkpi_xstate_update(FunctionCallInfo fcinfo, const SmarkpiXStateKind *kind,
								   MemoryContext aggctx);

/*
 * Argument argno as a state only to read, NULL when it is NULL: the
 * object's own state when it is expanded, else the flat value loaded into a
 * new object under the current memory context.
 */
extern void *smarkpi_xstate_read(FunctionCallInfo fcinfo, int argno,
								 const SmarkpiXStateKind *kind);

/* What a transition returns for st: its read-write Datum, or NULL for no state. */
extern Datum smarkpi_xstate_result(FunctionCallInfo fcinfo, void *st);

/* The memory context of a state's object: the family allocates its parts there. */
extern MemoryContext smarkpi_xstate_memory(void *st);

/* ---- flat ---- */

/*
 * Argument argno as a flat state, NULL when it is NULL: the boxed value of
 * a box (to change in place when it is the executor's read-write argument
 * 0 of a transition, else only to read); a copy in the current memory
 * context when it is not a plain 4-byte-header varlena.
 */
extern void *smarkpi_flat_arg_general(FunctionCallInfo fcinfo, int argno);

/* Inline for the transitions' every row: most states are plain aligned values. */
static inline void *
smarkpi_flat_arg(FunctionCallInfo fcinfo, int argno)
{
	if (likely(!PG_ARGISNULL(argno)))
	{
		struct varlena *v = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));

		if (likely(VARATT_IS_4B_U(v) && (uintptr_t) v % MAXIMUM_ALIGNOF == 0))
			return v;
	}
	return smarkpi_flat_arg_general(fcinfo, argno);
}

/* A zeroed flat state of size bytes in the current memory context. */
extern void *smarkpi_flat_new(Size size);

/*
 * st with room for at least size bytes (its first used bytes kept, the rest
 * zeroed): st itself when it has room; else, doubled, st's box grown in
 * place when st is the box of a transition's argument 0, a new box when
 * it reaches 1 MB in an aggregate, or a new value (which the executor copies
 * into the aggregate context, freeing st).  fcinfo is the transition's, or
 * NULL outside one (a receive function).
 */
extern void *smarkpi_flat_reserve(FunctionCallInfo fcinfo, void *st, Size used, Size size);

/* What a transition returns for its flat state st: its box's Datum when boxed. */
extern Datum smarkpi_flat_result_general(FunctionCallInfo fcinfo, void *st);

/* Inline: a state whose argument 0 is no box is its own Datum. */
static inline Datum
smarkpi_flat_result(FunctionCallInfo fcinfo, void *st)
{
	if (likely(st != NULL && !PG_ARGISNULL(0) &&
			   !VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(PG_GETARG_DATUM(0)))))
		return PointerGetDatum(st);
	return smarkpi_flat_result_general(fcinfo, st);
}

/*
 * A flat state type's outside forms: the binary form is the family's
 * (versioned, network byte order, see core/wire.h), the text form is \x and
 * its hex digits.
 */
typedef struct SmarkpiFlatKind
{
	const char *typname;
	/* the binary form, from smarkpi_wire_begin() on */
	bytea	   *(*send) (const void *st);
	/* a state from a binary form after its version byte; checks everything */
	void	   *(*recv) (StringInfo buf);
} SmarkpiFlatKind;

extern Datum smarkpi_flat_in(FunctionCallInfo fcinfo, const SmarkpiFlatKind *kind);
extern Datum smarkpi_flat_out(FunctionCallInfo fcinfo, const SmarkpiFlatKind *kind);
extern Datum smarkpi_flat_recv(FunctionCallInfo fcinfo, const SmarkpiFlatKind *kind);
extern Datum smarkpi_flat_send(FunctionCallInfo fcinfo, const SmarkpiFlatKind *kind);

/* The four I/O functions prefix_in, _out, _recv and _send of a flat state type. */
#define SMARKPI_FLAT_TYPE_IO(prefix, kind) \
	PG_FUNCTION_INFO_V1(prefix##_in); \
	Datum prefix##_in(PG_FUNCTION_ARGS) { return smarkpi_flat_in(fcinfo, &(kind)); } \
	PG_FUNCTION_INFO_V1(prefix##_out); \
	Datum prefix##_out(PG_FUNCTION_ARGS) { return smarkpi_flat_out(fcinfo, &(kind)); } \
	PG_FUNCTION_INFO_V1(prefix##_recv); \
	Datum prefix##_recv(PG_FUNCTION_ARGS) { return smarkpi_flat_recv(fcinfo, &(kind)); } \
	PG_FUNCTION_INFO_V1(prefix##_send); \
	Datum prefix##_send(PG_FUNCTION_ARGS) { return smarkpi_flat_send(fcinfo, &(kind)); } \
	extern int smarkpi_flat_type_io_end_	/* makes the invocation end with a
											 * semicolon */

#endif							/* SMARKPI_CORE_XSTATE_H */
