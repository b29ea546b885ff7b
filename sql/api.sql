-- The public API, as the catalog describes it: every type, aggregate, window
-- function and plain function a user calls, with its signature, result
-- type, volatility, parallel label, strictness and comment.  This file's
-- expected output is the committed copy of the API: a change to it is a
-- change users' views and dashboards see.  (Support functions, named
-- smarkpi_*, are internal and left out.)
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
\pset format unaligned
\pset tuples_only on
CREATE TEMP VIEW smarkpi_objects AS
SELECT d.classid, d.objid
FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'smarkpi'
WHERE d.deptype = 'e';

SELECT 'type ' || format_type(t.oid, NULL) || ' (' || t.typtype::text || ', ' ||
	   CASE WHEN t.typtype = 'c'
			THEN (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
				  FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0)
			ELSE 'length ' || t.typlen || ', send ' || (t.typsend <> 0) || ', receive ' || (t.typreceive <> 0) END
	   || '): ' || coalesce(obj_description(t.oid, 'pg_type'), '(no comment)')
FROM pg_type t JOIN smarkpi_objects o ON o.classid = 'pg_type'::regclass AND o.objid = t.oid
WHERE t.typcategory <> 'A'	-- newer majors make array types extension members too
ORDER BY format_type(t.oid, NULL);

SELECT CASE p.prokind WHEN 'a' THEN 'aggregate ' WHEN 'w' THEN 'window ' ELSE 'function ' END ||
	   p.proname || '(' || pg_get_function_arguments(p.oid) || ') -> ' || pg_get_function_result(p.oid) ||
	   ' [' || CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END ||
	   ', parallel ' || CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' ELSE 'unsafe' END ||
	   CASE WHEN p.prokind <> 'a' THEN CASE WHEN p.proisstrict THEN ', strict' ELSE ', not strict' END ELSE '' END ||
	   CASE WHEN p.prosecdef THEN ', SECURITY DEFINER' ELSE '' END || ']: ' ||
	   coalesce(obj_description(p.oid, 'pg_proc'), '(no comment)')
FROM pg_proc p JOIN smarkpi_objects o ON o.classid = 'pg_proc'::regclass AND o.objid = p.oid
WHERE NOT (p.prokind = 'f' AND p.proname LIKE 'smarkpi\_%')
ORDER BY p.proname, p.oid::regprocedure::text;

-- what the aggregates are made of: moving-window inverse and final modify
SELECT 'aggregate ' || a.aggfnoid::regprocedure::text || ': combine ' || (a.aggcombinefn <> 0) ||
	   ', inverse ' || (a.aggminvtransfn <> 0) || ', state ' || format_type(a.aggtranstype, NULL) ||
	   ', final modify ' || a.aggfinalmodify::text || '/' || a.aggmfinalmodify::text
FROM pg_aggregate a JOIN smarkpi_objects o ON o.classid = 'pg_proc'::regclass AND o.objid = a.aggfnoid
ORDER BY a.aggfnoid::regprocedure::text;
-- the naming rule (doc/reference.md, Names and units): no argument is named
-- after a keyword a named call would have to quote (reserved, or usable only
-- as a column name), so none is listed here, except distinct_sketch's
-- precision, the name issue 26 gave (a named call quotes it: "precision" => 12)
SELECT 'keyword argument: ' || p.oid::regprocedure::text || ' ' || a.name || ' (' || k.catdesc || ')'
FROM pg_proc p JOIN smarkpi_objects o ON o.classid = 'pg_proc'::regclass AND o.objid = p.oid,
	 unnest(p.proargnames) a(name) JOIN pg_get_keywords() k ON k.word = a.name AND k.catcode IN ('R', 'C')
WHERE NOT (p.proname = 'distinct_sketch' AND a.name = 'precision')
ORDER BY 1;
-- every type is smarkpi_<name> in snake_case; a summary (a base type: what
-- k_summary() returns and rollup() merges) is smarkpi_<family>_summary, the
-- approximate one smarkpi_duration_sketch, except the three base types whose
-- names issues 25 and 26 gave as public API (an aggregate's result, read by
-- functions); none is listed here
SELECT 'type outside the rule: ' || format_type(t.oid, NULL)
FROM pg_type t JOIN smarkpi_objects o ON o.classid = 'pg_type'::regclass AND o.objid = t.oid
WHERE t.typcategory <> 'A'
  AND (format_type(t.oid, NULL) !~ '^smarkpi_[a-z]+(_[a-z]+)*$'
	   OR (t.typtype = 'b' AND format_type(t.oid, NULL) !~ '_(summary|sketch)$'
		   AND format_type(t.oid, NULL) NOT IN ('smarkpi_stage_history', 'smarkpi_pipeline_waterfall',
												'smarkpi_cohort_retention')))
ORDER BY 1;
DROP VIEW smarkpi_objects;
