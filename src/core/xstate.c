/*
 * core/xstate.c
 *		Expanded and flat states (see core/xstate.h).
 */
#include "core/xstate.h"

#include "core/wire.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

/* ---- expanded ---- */

/*
 * The object's header, then the family's state in the same chunk (so a
 * state finds its header); flat caches the flat value between the two
 * flattening calls.
 */
typedef struct XState
{
	ExpandedObjectHeader hdr;
	const SmarkpiXStateKind *kind;
	struct varlena *flat;
} XState;

#define XSTATE_HEADER_SIZE MAXALIGN(sizeof(XState))
#define XSTATE_OF(st) ((XState *) ((char *) (st) - XSTATE_HEADER_SIZE))
#define STATE_OF(x) ((void *) ((char *) (x) + XSTATE_HEADER_SIZE))

static Size
xstate_flat_size(ExpandedObjectHeader *eohptr)
{
	XState	   *x = (XState *) eohptr;
	MemoryContext old = MemoryContextSwitchTo(x->hdr.eoh_context);

	if (x->flat != NULL)
		pfree(x->flat);
	x->flat = x->kind->flatten(STATE_OF(x));
	MemoryContextSwitchTo(old);
	return VARSIZE(x->flat);
}

static void
xstate_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	XState	   *x = (XState *) eohptr;

	if (x->flat == NULL || VARSIZE(x->flat) != allocated_size)
		elog(ERROR, "%s flattened without its size", x->kind->typname);
	memcpy(result, x->flat, allocated_size);
	pfree(x->flat);
	x->flat = NULL;
}

static const ExpandedObjectMethods xstate_methods = {
	xstate_flat_size,
	xstate_flatten_into
};

static XState *
xstate_alloc(const SmarkpiXStateKind *kind, MemoryContext parent)
{
	MemoryContext ctx = AllocSetContextCreate(parent, "smarkpi expanded state",
											  ALLOCSET_SMALL_SIZES);
	XState	   *x = MemoryContextAllocZero(ctx, XSTATE_HEADER_SIZE + kind->size);

	EOH_init_header(&x->hdr, &xstate_methods, ctx);
	x->kind = kind;
	return x;
}

void *
smarkpi_xstate_new(const SmarkpiXStateKind *kind, MemoryContext parent)
{
	XState	   *x = xstate_alloc(kind, parent);
	MemoryContext old = MemoryContextSwitchTo(x->hdr.eoh_context);

	kind->init(STATE_OF(x));
	MemoryContextSwitchTo(old);
	return STATE_OF(x);
}

/* kind's object behind an expanded Datum; an error for another type's */
static XState *
xstate_of_datum(Datum d, const SmarkpiXStateKind *kind)
{
	XState	   *x = (XState *) DatumGetEOHP(d);

	if (x->hdr.eoh_methods != &xstate_methods || x->kind != kind)
		elog(ERROR, "expanded value is not a %s", kind->typname);
	return x;
}

/* A new object holding the state of a flat (or read-only expanded) value. */
static void *
xstate_load(Datum d, const SmarkpiXStateKind *kind, MemoryContext parent)
{
	void	   *st = smarkpi_xstate_new(kind, parent);
	MemoryContext old = MemoryContextSwitchTo(smarkpi_xstate_memory(st));

	kind->load(st, (struct varlena *) PG_DETOAST_DATUM(d));
	MemoryContextSwitchTo(old);
	return st;
}

/* The object's state; its cached flat value is dropped, as the state is about to change. */
static void *
xstate_for_update(XState *x)
{
	if (x->flat != NULL)
	{
		pfree(x->flat);
		x->flat = NULL;
	}
	return STATE_OF(x);
}

void *
smarkpi_xstate_update(FunctionCallInfo fcinfo, const SmarkpiXStateKind *kind,
					  MemoryContext aggctx)
{
	Datum		d;

	if (PG_ARGISNULL(0))
		return NULL;
	d = PG_GETARG_DATUM(0);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
		return xstate_for_update(xstate_of_datum(d, kind));
	return xstate_load(d, kind, aggctx);
}

void *
smarkpi_xstate_read(FunctionCallInfo fcinfo, int argno, const SmarkpiXStateKind *kind)
{
	Datum		d;

	if (PG_ARGISNULL(argno))
		return NULL;
	d = PG_GETARG_DATUM(argno);
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return STATE_OF(xstate_of_datum(d, kind));
	return xstate_load(d, kind, CurrentMemoryContext);
}

Datum
smarkpi_xstate_result(FunctionCallInfo fcinfo, void *st)
{
	if (st == NULL)
	{
		fcinfo->isnull = true;
		return (Datum) 0;
	}
	return EOHPGetRWDatum(&XSTATE_OF(st)->hdr);
}

MemoryContext
smarkpi_xstate_memory(void *st)
{
	return XSTATE_OF(st)->hdr.eoh_context;
}

/* ---- flat ---- */

void *
smarkpi_flat_arg(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *v;

	if (PG_ARGISNULL(argno))
		return NULL;
	v = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	/* short-header, toasted or unaligned values are read from a copy */
	if (!VARATT_IS_4B_U(v) || (uintptr_t) v % MAXIMUM_ALIGNOF != 0)
	{
		struct varlena *d = pg_detoast_datum_copy(v);

		if ((uintptr_t) d % MAXIMUM_ALIGNOF != 0)
			elog(ERROR, "detoasted state is not aligned");
		v = d;
	}
	return v;
}

void *
smarkpi_flat_new(Size size)
{
	struct varlena *v;

	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("aggregate state would exceed 1 GB"),
				 errhint("Aggregate smaller groups, or summarize per day and roll up.")));
	v = palloc0(size);
	SET_VARSIZE(v, size);
	return v;
}

void *
smarkpi_flat_reserve(void *st, Size used, Size size)
{
	Size		capacity = VARSIZE(st);
	void	   *grown;

	if (size <= capacity)
		return st;
	while (capacity < size)
		capacity = Min(capacity * 2, MaxAllocSize);
	if (capacity < size)
		capacity = size;		/* smarkpi_flat_new refuses it */
	grown = smarkpi_flat_new(capacity);
	memcpy((char *) grown + VARHDRSZ, (char *) st + VARHDRSZ, used - VARHDRSZ);
	return grown;
}

/* ---- outside forms of flat states ---- */

static char *
hex_out(bytea *binary)
{
	Size		len = VARSIZE_ANY_EXHDR(binary);
	char	   *s = palloc(len * 2 + 3);

	s[0] = '\\';
	s[1] = 'x';
	hex_encode(VARDATA_ANY(binary), len, s + 2);
	s[len * 2 + 2] = '\0';
	return s;
}

static bytea *
hex_in(const char *str, const char *typname)
{
	Size		len = strlen(str);
	bytea	   *b;

	if (len < 2 || str[0] != '\\' || str[1] != 'x' || len % 2 != 0)
		smarkpi_text_syntax_error(typname, str,
								  "Expected \\x and an even number of hexadecimal digits.");
	b = palloc(VARHDRSZ + (len - 2) / 2);
	SET_VARSIZE(b, VARHDRSZ + hex_decode(str + 2, len - 2, VARDATA(b)));
	return b;
}

Datum
smarkpi_flat_in(FunctionCallInfo fcinfo, const SmarkpiFlatKind *kind)
{
	StringInfoData buf;
	void	   *st;

	smarkpi_wire_open_bytea(hex_in(PG_GETARG_CSTRING(0), kind->typname), &buf, kind->typname);
	st = kind->recv(&buf);
	smarkpi_wire_end(&buf, kind->typname);
	PG_RETURN_POINTER(st);
}

Datum
smarkpi_flat_out(FunctionCallInfo fcinfo, const SmarkpiFlatKind *kind)
{
	PG_RETURN_CSTRING(hex_out(kind->send(smarkpi_flat_arg(fcinfo, 0))));
}

Datum
smarkpi_flat_recv(FunctionCallInfo fcinfo, const SmarkpiFlatKind *kind)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	void	   *st;

	smarkpi_wire_open(buf, kind->typname);
	st = kind->recv(buf);
	smarkpi_wire_end(buf, kind->typname);
	PG_RETURN_POINTER(st);
}

Datum
smarkpi_flat_send(FunctionCallInfo fcinfo, const SmarkpiFlatKind *kind)
{
	PG_RETURN_BYTEA_P(kind->send(smarkpi_flat_arg(fcinfo, 0)));
}
