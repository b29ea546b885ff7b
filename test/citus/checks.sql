-- The Citus checks (test/citus.sh), on the coordinator, after data.sql: the
-- templates of aggregates.tsv, windows.tsv and summaries.tsv are loaded into
-- the tables below by test/citus.sh, and each function returns the lines
-- (ok, text) that test/citus.sh counts.
--
-- What the plans look like (Citus 13.2.2, multi_logical_optimizer.c): an
-- aggregate with a combine function and a state type that is not a
-- pseudo-type (AggregateEnabledCustom) is split into
-- worker_partial_agg(aggregate, args) in the query each shard runs, grouped
-- there, and coord_combine_agg(aggregate, partial state, ...) on the
-- coordinator; the state travels as its text form.  Any other aggregate is
-- "pulled to the coordinator" (citus.coordinator_aggregation_strategy =
-- 'row-gather', the default): the shards return their raw rows, without
-- GROUP BY, and the coordinator runs the whole aggregate; with the strategy
-- 'disabled' the query is refused instead ("unsupported aggregate
-- function").  Grouped by the distribution column, the whole query (the
-- aggregate or window function itself) runs on the shards and the
-- coordinator only concatenates.
SET client_min_messages = warning;
CREATE SCHEMA citus_harness;
SET search_path = public, citus_harness;

CREATE TABLE citus_harness.aggregates (signature text PRIMARY KEY, tbl text, expr text);
CREATE TABLE citus_harness.windows (name text PRIMARY KEY, tbl text, keys text, expr text, group_by text);
CREATE TABLE citus_harness.summaries (n serial, col text PRIMARY KEY, tbl text, summary text, raw text, reader text);

-- EXPLAIN (VERBOSE) of a query as one text.
CREATE FUNCTION citus_harness.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; plan text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
		plan := plan || line || E'\n';
	END LOOP;
	RETURN plan;
END $$;

-- The error a query raises, or 'no error'.
CREATE FUNCTION citus_harness.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLERRM;
END $$;

-- The coordinator's part of a plan (above the first task) and the query a
-- shard runs ("Query: ..." of the task shown).
CREATE FUNCTION citus_harness.coordinator_part(plan text) RETURNS text LANGUAGE sql AS
	$$ SELECT split_part(plan, '->  Task', 1) $$;
CREATE FUNCTION citus_harness.worker_query(plan text) RETURNS text LANGUAGE sql AS
	$$ SELECT coalesce(substring(plan FROM 'Query: ([^\n]*)'), '(no task query in the plan)') $$;

-- Check 1: split across the workers: partial aggregation grouped on each
-- shard, combined on the coordinator; never the shards' raw rows.
CREATE FUNCTION citus_harness.split_across_workers(plan text) RETURNS boolean LANGUAGE sql AS $$
	SELECT citus_harness.coordinator_part(plan) ~ 'coord_combine_agg\('
		   AND citus_harness.worker_query(plan) ~ 'worker_partial_agg\(.* GROUP BY '
$$;

-- Check 4: the whole query runs on the workers: no aggregation on the
-- coordinator (only the Citus scan there), and the shard's query calls the
-- function fname itself (schema-qualified) and groups or partitions there.
CREATE FUNCTION citus_harness.all_on_workers(plan text, fname text) RETURNS boolean LANGUAGE sql AS $$
	SELECT citus_harness.coordinator_part(plan) !~ '(Aggregate|WindowAgg|coord_combine_agg)'
		   AND citus_harness.coordinator_part(plan) ~ '^\s*Custom Scan \(Citus Adaptive\)'
		   AND citus_harness.worker_query(plan) ~ ('\.' || fname || '\(')
		   AND citus_harness.worker_query(plan) !~ 'worker_partial_agg'
$$;

-- Windows: the WindowAgg in the shards' plan, none and no aggregation on the
-- coordinator.
CREATE FUNCTION citus_harness.window_on_workers(plan text) RETURNS boolean LANGUAGE sql AS $$
	SELECT citus_harness.coordinator_part(plan) !~ '(WindowAgg|Aggregate)'
		   AND split_part(plan, '->  Task', 2) ~ 'WindowAgg'
$$;

-- The rows of a query as "key: value" texts in key order (the query returns
-- the key and the value as text).  The rows are read as the query returns
-- them: wrapped in a subquery, a distributed query would first be written
-- out as an intermediate result.
CREATE FUNCTION citus_harness.result(q text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE k text; v text; r text[] := '{}';
BEGIN
	FOR k, v IN EXECUTE q LOOP
		r := r || (k || ': ' || coalesce(v, 'NULL'));
	END LOOP;
	RETURN ARRAY(SELECT x FROM unnest(r) x ORDER BY x);
END $$;

-- NULL when two results are the same, else where they first differ.
CREATE FUNCTION citus_harness.compare(d text[], l text[]) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	IF d = l THEN
		IF cardinality(d) = 0 THEN RETURN 'no rows to compare'; END IF;
		RETURN NULL;
	END IF;
	FOR i IN 1 .. greatest(cardinality(d), cardinality(l)) LOOP
		IF d[i] IS DISTINCT FROM l[i] THEN
			RETURN format('%s rows distributed, %s local; first difference: %s (distributed) vs %s (local)',
						  cardinality(d), cardinality(l), left(coalesce(d[i], 'no row'), 300),
						  left(coalesce(l[i], 'no row'), 300));
		END IF;
	END LOOP;
	RETURN 'different';
END $$;

-- The same for two queries.
CREATE FUNCTION citus_harness.difference(q_distributed text, q_local text) RETURNS text LANGUAGE sql AS
	$$ SELECT citus_harness.compare(citus_harness.result(q_distributed), citus_harness.result(q_local)) $$;

-- The four checks of one aggregate of the catalogue, by its template.
CREATE FUNCTION citus_harness.check_aggregate(sig text) RETURNS TABLE(ok boolean, line text) LANGUAGE plpgsql AS $$
DECLARE
	t citus_harness.aggregates := (SELECT a FROM citus_harness.aggregates a WHERE a.signature = sig);
	fname text := split_part(sig, '(', 1);
	by_channel text := format('SELECT channel, (%s)::text FROM %I GROUP BY channel', t.expr, t.tbl);
	by_channel_local text := format('SELECT channel, (%s)::text FROM %I GROUP BY channel', t.expr, t.tbl || '_local');
	by_account text := format('SELECT account_id::text, (%s)::text FROM %I GROUP BY account_id', t.expr, t.tbl);
	by_account_local text := format('SELECT account_id::text, (%s)::text FROM %I GROUP BY account_id', t.expr, t.tbl || '_local');
	p text;
	d text[];
	diff text;
BEGIN
	BEGIN
		p := citus_harness.plan(by_channel);
		ok := citus_harness.split_across_workers(p);
		line := sig || ': grouped by channel, partial aggregation on the workers, combined on the coordinator'
				|| CASE WHEN ok THEN '' ELSE ' -- NOT pushed down; the shards run: ' || citus_harness.worker_query(p) END;
	EXCEPTION WHEN OTHERS THEN
		ok := false; line := sig || ': EXPLAIN grouped by channel failed: ' || SQLERRM;
	END;
	RETURN NEXT;

	-- Citus's partial aggregation checks the declared argument types against
	-- the actual ones (worker_partial_agg): a polymorphic aggregate grouped by
	-- another column than the distribution column is refused, by design
	IF sig LIKE '%anyelement%' THEN
		BEGIN
			PERFORM citus_harness.result(by_channel);
			ok := false; line := sig || ': grouped by channel ran, though Citus refuses polymorphic partial aggregates';
		EXCEPTION WHEN OTHERS THEN
			ok := SQLERRM LIKE '%could not confirm type correctness%';
			line := sig || ': grouped by channel, refused by Citus as every polymorphic aggregate is (use the text, '
					|| 'smallint, integer, bigint or uuid form): ' || SQLERRM;
		END;
		RETURN NEXT;
	ELSE
	-- check 2's rows are check 3's distributed result (one run less)
	BEGIN
		PERFORM set_config('citus.coordinator_aggregation_strategy', 'disabled', true);
		d := citus_harness.result(by_channel);
		PERFORM set_config('citus.coordinator_aggregation_strategy', 'row-gather', true);
		ok := true; line := sig || ': runs with citus.coordinator_aggregation_strategy = disabled';
	EXCEPTION WHEN OTHERS THEN
		ok := false; line := sig || ': with citus.coordinator_aggregation_strategy = disabled: ' || SQLERRM;
	END;
	RETURN NEXT;

	BEGIN
		diff := citus_harness.compare(coalesce(d, citus_harness.result(by_channel)),
									  citus_harness.result(by_channel_local));
		ok := diff IS NULL;
		line := sig || ': grouped by channel, equal to the local table''s result as text'
				|| coalesce(' -- ' || diff, '');
	EXCEPTION WHEN OTHERS THEN
		ok := false; line := sig || ': grouped by channel: ' || SQLERRM;
	END;
	RETURN NEXT;
	END IF;

	BEGIN
		p := citus_harness.plan(by_account);
		diff := citus_harness.difference(by_account, by_account_local);
		ok := citus_harness.all_on_workers(p, fname) AND diff IS NULL;
		line := sig || ': grouped by account_id, the whole aggregate on the workers, equal to the local result'
				|| CASE WHEN citus_harness.all_on_workers(p, fname) THEN ''
						ELSE ' -- NOT all on the workers; coordinator: ' || regexp_replace(citus_harness.coordinator_part(p), '\s+', ' ', 'g')
							 || '; shards: ' || citus_harness.worker_query(p) END
				|| coalesce(' -- ' || diff, '');
	EXCEPTION WHEN OTHERS THEN
		ok := false; line := sig || ': grouped by account_id: ' || SQLERRM;
	END;
	RETURN NEXT;
END $$;

-- A window function partitioned by the distribution column: run on the
-- workers and equal to the local result.
CREATE FUNCTION citus_harness.check_window(wname text) RETURNS TABLE(ok boolean, line text) LANGUAGE plpgsql AS $$
DECLARE
	w citus_harness.windows := (SELECT x FROM citus_harness.windows x WHERE x.name = wname);
	-- the keys as one text, so that rows compare in a total order
	q text := format('SELECT concat_ws('','', %s), (%s)::text FROM %%I%s', w.keys, w.expr,
					 coalesce(' GROUP BY ' || w.group_by, ''));
	p text;
	diff text;
	on_workers boolean;
BEGIN
	p := citus_harness.plan(format(q, w.tbl));
	on_workers := citus_harness.window_on_workers(p);
	diff := citus_harness.difference(format(q, w.tbl), format(q, w.tbl || '_local'));
	ok := on_workers AND diff IS NULL;
	line := 'window ' || wname || ': partitioned by account_id, run on the workers, equal to the local result'
			|| CASE WHEN on_workers THEN '' ELSE ' -- NOT on the workers: ' || regexp_replace(p, '\s+', ' ', 'g') END
			|| coalesce(' -- ' || diff, '');
	RETURN NEXT;
EXCEPTION WHEN OTHERS THEN
	ok := false; line := 'window ' || wname || ': ' || SQLERRM;
	RETURN NEXT;
END $$;

-- A KPI read from the monthly rollup() of kpi_daily (coordinator) equal to
-- the KPI over the raw distributed rows of each month and channel.
CREATE FUNCTION citus_harness.check_summary(c text) RETURNS TABLE(ok boolean, line text) LANGUAGE plpgsql AS $$
DECLARE
	s citus_harness.summaries := (SELECT x FROM citus_harness.summaries x WHERE x.col = c);
	diff text;
BEGIN
	-- kpi_daily has a row for every month and channel of any source table: a
	-- month without rows of this summary's table reads NULL there and has no
	-- row in the raw table, so NULLs are left out on both sides
	diff := citus_harness.difference(
		format('SELECT date_trunc(''month'', day)::date || '' '' || channel, (%s)::text FROM kpi_daily GROUP BY 1 HAVING (%s) IS NOT NULL',
			   s.reader, s.reader),
		format('SELECT date_trunc(''month'', day)::date || '' '' || channel, (%s)::text FROM %I GROUP BY 1 HAVING (%s) IS NOT NULL',
			   s.raw, s.tbl, s.raw));
	ok := diff IS NULL;
	line := format('two-step: %s by month and channel from kpi_daily equals %s over the raw rows', s.reader, s.raw)
			|| coalesce(' -- ' || diff, '');
	RETURN NEXT;
EXCEPTION WHEN OTHERS THEN
	ok := false; line := format('two-step: %s: %s', s.reader, SQLERRM);
	RETURN NEXT;
END $$;

-- The public aggregates of the extension, as the catalogue has them.
CREATE VIEW citus_harness.catalogue AS
SELECT a.aggfnoid::regprocedure::text AS signature, a.aggtranstype::regtype::text AS state_type
FROM pg_aggregate a
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid
	AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'smarkpi';

-- attribution_shares() of a summary as one text: a set-returning function
-- over an aggregate, as the reader of summaries.tsv needs it (Citus refuses
-- the scalar subquery and the set-returning function in the target list).
CREATE FUNCTION citus_harness.shares(summary smarkpi_markov_summary) RETURNS text LANGUAGE sql STABLE AS
	$$ SELECT array_agg(s ORDER BY s.channel)::text FROM attribution_shares(summary) s $$;
-- retention_matrix() of a summary as one text, likewise
CREATE FUNCTION citus_harness.matrix(summary smarkpi_cohort_retention) RETURNS text LANGUAGE sql STABLE AS
	$$ SELECT array_agg(m ORDER BY m.cohort, m.period_offset)::text FROM retention_matrix(summary) m $$;

-- The functions an expression over a table calls, as signatures (read from
-- the dependencies of a temporary view): a template must call the aggregate
-- it stands for.
CREATE FUNCTION citus_harness.functions_called(expr text, tbl text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE called text[];
BEGIN
	EXECUTE format('CREATE TEMP VIEW citus_harness_probe AS SELECT %s FROM %I', expr, tbl);
	SELECT array_agg(DISTINCT d.refobjid::regprocedure::text) INTO called
	FROM pg_depend d JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
	WHERE r.ev_class = 'citus_harness_probe'::regclass AND d.refclassid = 'pg_proc'::regclass;
	DROP VIEW citus_harness_probe;
	RETURN coalesce(called, '{}');
END $$;

-- kpi_daily<suffix>: per account, day and channel, the summary columns of
-- summaries.tsv over the source tables <tbl><suffix>, full-joined.
CREATE FUNCTION citus_harness.kpi_daily_query(suffix text) RETURNS text LANGUAGE sql AS $$
	SELECT 'SELECT * FROM ' || string_agg(CASE WHEN first = 1 THEN part
											   ELSE ' FULL JOIN ' || part || ' USING (account_id, day, channel)' END,
										  '' ORDER BY first)
	FROM (SELECT rank() OVER (ORDER BY min(n)) AS first,
				 format('(SELECT account_id, day, channel, %s FROM %I GROUP BY 1, 2, 3) %I',
						string_agg(summary || ' AS ' || quote_ident(col), ', ' ORDER BY n), tbl || suffix, tbl) AS part
		  FROM citus_harness.summaries GROUP BY tbl) p
$$;
