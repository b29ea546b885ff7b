-- The catalogue of the installed smarkpi, one line per fact, owner-independent:
-- what test/upgrade.sh compares between an updated and a fresh install.
-- Every member object is listed by pg_describe_object (so a kind this file
-- does not detail still shows up), then the details of functions,
-- aggregates, types, casts and operators, comments and ACLs (the owner
-- written as OWNER).
\pset footer off
CREATE TEMP VIEW m AS
SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
WHERE x.extname = 'smarkpi' AND d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass;
CREATE FUNCTION pg_temp.acl_text(acl aclitem[], owner oid, kind "char") RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(CASE WHEN a.grantee = owner THEN 'OWNER' WHEN a.grantee = 0 THEN 'PUBLIC'
						   ELSE a.grantee::regrole::text END || '=' || a.privilege_type ||
					  CASE WHEN a.is_grantable THEN '*' ELSE '' END, ',' ORDER BY a.grantee, a.privilege_type)
	FROM aclexplode(coalesce(acl, acldefault(kind, owner))) a $$;

SELECT 'extension ' || extname || ' ' || extversion || ' relocatable ' || extrelocatable ||
	   ' config ' || coalesce(extconfig::text, '-')
FROM pg_extension WHERE extname = 'smarkpi';

SELECT 'member ' || pg_describe_object(classid, objid, 0) FROM m ORDER BY 1;

SELECT 'function ' || p.oid::regprocedure || ' kind ' || p.prokind::text || ' returns ' ||
	   coalesce(pg_get_function_result(p.oid), '-') || ' arguments ' || pg_get_function_arguments(p.oid) ||
	   ' args ' || coalesce(p.proargnames::text, '-') || ' modes ' || coalesce(p.proargmodes::text, '-') ||
	   ' defaults ' || coalesce(pg_get_expr(p.proargdefaults, 0), '-') ||
	   ' volatile ' || p.provolatile::text || ' parallel ' || p.proparallel::text || ' strict ' || p.proisstrict ||
	   ' secdef ' || p.prosecdef || ' leakproof ' || p.proleakproof || ' cost ' || p.procost ||
	   ' rows ' || p.prorows || ' lang ' || l.lanname || ' src ' || p.prosrc ||
	   ' bin ' || coalesce(p.probin, '-') || ' config ' || coalesce(p.proconfig::text, '-') ||
	   ' support ' || p.prosupport::regprocedure || ' acl ' || pg_temp.acl_text(p.proacl, p.proowner, 'f') ||
	   ' comment ' || coalesce(obj_description(p.oid, 'pg_proc'), '-')
FROM pg_proc p JOIN m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
JOIN pg_language l ON l.oid = p.prolang
ORDER BY 1;

SELECT 'aggregate ' || a.aggfnoid::regprocedure || ' kind ' || a.aggkind::text || ' direct ' || a.aggnumdirectargs ||
	   ' trans ' || a.aggtransfn::regprocedure || ' final ' || a.aggfinalfn::regprocedure ||
	   ' combine ' || a.aggcombinefn::regprocedure || ' serial ' || a.aggserialfn::regprocedure ||
	   ' deserial ' || a.aggdeserialfn::regprocedure || ' mtrans ' || a.aggmtransfn::regprocedure ||
	   ' minv ' || a.aggminvtransfn::regprocedure || ' mfinal ' || a.aggmfinalfn::regprocedure ||
	   ' finalextra ' || a.aggfinalextra || ' mfinalextra ' || a.aggmfinalextra ||
	   ' finalmodify ' || a.aggfinalmodify::text || ' mfinalmodify ' || a.aggmfinalmodify::text ||
	   ' sortop ' || a.aggsortop::regoperator::text || ' stype ' || format_type(a.aggtranstype, NULL) ||
	   ' sspace ' || a.aggtransspace || ' mstype ' || format_type(a.aggmtranstype, NULL) ||
	   ' msspace ' || a.aggmtransspace || ' init ' || coalesce(a.agginitval, '-') ||
	   ' minit ' || coalesce(a.aggminitval, '-')
FROM pg_aggregate a JOIN m ON m.classid = 'pg_proc'::regclass AND m.objid = a.aggfnoid
ORDER BY 1;

SELECT 'type ' || format_type(t.oid, NULL) || ' kind ' || t.typtype::text || ' len ' || t.typlen ||
	   ' byval ' || t.typbyval || ' align ' || t.typalign::text || ' storage ' || t.typstorage::text ||
	   ' category ' || t.typcategory::text || ' preferred ' || t.typispreferred ||
	   ' in ' || t.typinput::regprocedure || ' out ' || t.typoutput::regprocedure ||
	   ' recv ' || t.typreceive::regprocedure || ' send ' || t.typsend::regprocedure ||
	   ' modin ' || t.typmodin::regprocedure || ' modout ' || t.typmodout::regprocedure ||
	   ' analyze ' || t.typanalyze::regprocedure || ' subscript ' || t.typsubscript::regprocedure ||
	   ' element ' || format_type(t.typelem, NULL) || ' array ' || format_type(t.typarray, NULL) ||
	   ' attributes ' || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
								   FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '-') ||
	   ' acl ' || pg_temp.acl_text(t.typacl, t.typowner, 'T') ||
	   ' comment ' || coalesce(obj_description(t.oid, 'pg_type'), '-')
FROM pg_type t JOIN m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
ORDER BY 1;

SELECT 'cast ' || format_type(c.castsource, NULL) || ' as ' || format_type(c.casttarget, NULL) ||
	   ' function ' || c.castfunc::regprocedure::text || ' context ' || c.castcontext::text ||
	   ' method ' || c.castmethod::text || ' comment ' || coalesce(obj_description(c.oid, 'pg_cast'), '-')
FROM pg_cast c JOIN m ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
ORDER BY 1;

SELECT 'operator ' || o.oid::regoperator || ' kind ' || o.oprkind::text || ' returns ' || format_type(o.oprresult, NULL) ||
	   ' code ' || o.oprcode::regprocedure || ' commutator ' || o.oprcom::regoperator::text ||
	   ' negator ' || o.oprnegate::regoperator::text || ' restrict ' || o.oprrest::regprocedure ||
	   ' join ' || o.oprjoin::regprocedure || ' merges ' || o.oprcanmerge || ' hashes ' || o.oprcanhash ||
	   ' comment ' || coalesce(obj_description(o.oid, 'pg_operator'), '-')
FROM pg_operator o JOIN m ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
ORDER BY 1;
