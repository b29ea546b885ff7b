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

/*
 * A flat state that grew past FLAT_BOX_MIN_SIZE lives in a box: an expanded
 * object (its own memory context under the aggregate's) holding the flat
 * value, so it grows in place (repalloc) and the executor keeps the same
 * Datum instead of copying every doubled value.  Boxes are few (one per
 * group of at least that size), so their contexts do not burden hash
 * aggregation's memory accounting, which visits every child context.
 */
#define FLAT_BOX_MIN_SIZE ((Size) 1024 * 1024)

typedef struct FlatBox
{
	ExpandedObjectHeader hdr;
	struct varlena *flat;		/* in hdr.eoh_context */
} FlatBox;

static Size
flatbox_flat_size(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(((FlatBox *) eohptr)->flat);
}

static void
flatbox_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	memcpy(result, ((FlatBox *) eohptr)->flat, allocated_size);
}

static const ExpandedObjectMethods flatbox_methods = {
	flatbox_flat_size,
	flatbox_flatten_into
};

/* The box behind argument argno, NULL when it is not one (or not read-write when rw). */
static FlatBox *
flatbox_of_arg(FunctionCallInfo fcinfo, int argno, bool rw)
{
	Pointer		p;
	ExpandedObjectHeader *eoh;

	if (fcinfo == NULL || PG_ARGISNULL(argno))
		return NULL;
	p = DatumGetPointer(PG_GETARG_DATUM(argno));
	if (rw ? !VARATT_IS_EXTERNAL_EXPANDED_RW(p) : !VARATT_IS_EXTERNAL_EXPANDED(p))
		return NULL;
	eoh = DatumGetEOHP(PointerGetDatum(p));
	return eoh->eoh_methods == &flatbox_methods ? (FlatBox *) eoh : NULL;
}

void *
smarkpi_flat_arg_general(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *v;
	FlatBox    *box = flatbox_of_arg(fcinfo, argno, false);

	if (box != NULL)
		return box->flat;
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

static void
check_flat_size(Size size)
{
	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("aggregate state would exceed 1 GB"),
				 errhint("Aggregate smaller groups, or summarize per day and roll up.")));
}

void *
smarkpi_flat_new(Size size)
{
	struct varlena *v;

	check_flat_size(size);
	v = palloc0(size);
	SET_VARSIZE(v, size);
	return v;
}

/* A new box under aggctx holding a copy of st's used bytes, with room for capacity. */
static FlatBox *
flatbox_new(MemoryContext aggctx, const void *st, Size used, Size capacity)
{
	MemoryContext ctx = AllocSetContextCreate(aggctx, "smarkpi large flat state",
											  ALLOCSET_SMALL_SIZES);
	FlatBox    *box = MemoryContextAlloc(ctx, sizeof(FlatBox));

	EOH_init_header(&box->hdr, &flatbox_methods, ctx);
	box->flat = MemoryContextAlloc(ctx, capacity);
	memcpy(box->flat, st, used);
	return box;
}

void *
smarkpi_flat_reserve(FunctionCallInfo fcinfo, void *st, Size used, Size size)
{
	Size		capacity = VARSIZE(st);
	FlatBox    *box;
	MemoryContext aggctx;
	struct varlena *grown;

	if (size <= capacity)
		return st;
	box = flatbox_of_arg(fcinfo, 0, true);
	while (capacity < size)
		capacity = Min(capacity * 2, MaxAllocSize);
	if (capacity < size)
		capacity = size;
	check_flat_size(capacity);
	if (box != NULL && box->flat == st)
		grown = box->flat = repalloc(st, capacity);
	else if (fcinfo != NULL && capacity >= FLAT_BOX_MIN_SIZE &&
			 AggCheckCallContext(fcinfo, &aggctx) != 0)
	{
		box = flatbox_new(aggctx, st, used, capacity);
		grown = box->flat;

		/*
		 * smarkpi_flat_result() finds the box through argument 0; the
		 * executor compares the result with its own transition value, not
		 * with this call frame
		 */
		fcinfo->args[0].value = EOHPGetRWDatum(&box->hdr);
		fcinfo->args[0].isnull = false;
	}
	else
	{
		grown = palloc(capacity);
		memcpy(grown, st, used);
	}
	memset((char *) grown + used, 0, capacity - used);
	SET_VARSIZE(grown, capacity);
	return grown;
}

Datum
smarkpi_flat_result_general(FunctionCallInfo fcinfo, void *st)
{
	FlatBox    *box;

	if (st == NULL)
	{
		fcinfo->isnull = true;
		return (Datum) 0;
	}
	box = flatbox_of_arg(fcinfo, 0, true);
	if (box != NULL && box->flat == st)
		return EOHPGetRWDatum(&box->hdr);
	return PointerGetDatum(st);
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

	if (len < 2 || str[0] != '\\' || str[1] != 'x' || len % 2 != 0 ||
		strspn(str + 2, "0123456789abcdefABCDEF") != len - 2)
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
