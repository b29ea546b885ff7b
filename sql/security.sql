-- Install security: hostile look-alikes on the search_path, installing into a
-- schema of the user's choice, relocation, and installing as a database owner
-- without superuser (the extension is trusted).
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;

CREATE TABLE sec_rows (won boolean, spend numeric, n bigint, a timestamptz, b timestamptz, cost numeric);
INSERT INTO sec_rows VALUES
	(true, 100.50, 2, '2024-01-01', '2024-01-03', 101.50), (false, 50, 1, '2024-01-01', '2024-01-02', 51),
	(NULL, 10, 0, '2024-01-02', NULL, 11);
COPY sec_rows TO STDOUT;
\set kpis 'win_rate(won) AS win, cac(spend, n) AS cac, cac_ratio(spend, cost) AS ratio, sales_cycle_length(a, b) AS cycle, mql_sal_rate(a, b, interval ''1 day'') AS sla'
SELECT :kpis FROM sec_rows;

-- 1. Hostile look-alike functions, operators and types in a schema searched
-- before pg_catalog while CREATE EXTENSION runs: results are unchanged.
CREATE DATABASE smarkpi_hostile;
\c smarkpi_hostile
SET extra_float_digits = 0;
CREATE SCHEMA evil;
CREATE FUNCTION evil.numeric_add(numeric, numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 666::numeric';
CREATE FUNCTION evil.numeric_div(numeric, numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 666::numeric';
CREATE FUNCTION evil.plus(numeric, numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 666::numeric';
CREATE OPERATOR evil.+ (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.plus);
CREATE OPERATOR evil./ (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.numeric_div);
CREATE FUNCTION evil.sum(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 666::numeric';
CREATE FUNCTION evil.int8pl(bigint, bigint) RETURNS bigint LANGUAGE sql AS 'SELECT 666::bigint';
CREATE DOMAIN evil.boolean AS pg_catalog.bool CHECK (VALUE IS NULL);
CREATE DOMAIN evil.interval AS pg_catalog.interval CHECK (VALUE IS NULL);
SET search_path = evil, public, pg_catalog;
CREATE EXTENSION smarkpi SCHEMA public;
RESET search_path;
CREATE TABLE sec_rows (won boolean, spend numeric, n bigint, a timestamptz, b timestamptz, cost numeric);
INSERT INTO sec_rows VALUES
	(true, 100.50, 2, '2024-01-01', '2024-01-03', 101.50), (false, 50, 1, '2024-01-01', '2024-01-02', 51),
	(NULL, 10, 0, '2024-01-02', NULL, 11);
SELECT :kpis FROM sec_rows;
-- and with the hostile schema still first on the path while querying
SET search_path = evil, public, pg_catalog;
SELECT :kpis FROM public.sec_rows;
RESET search_path;

-- 2. A schema of the user's choice; everything works schema-qualified with
-- the schema off the search_path, and after relocation.
\c contrib_regression
CREATE DATABASE smarkpi_schema;
\c smarkpi_schema
SET extra_float_digits = 0;
CREATE SCHEMA kpi;
CREATE EXTENSION smarkpi SCHEMA kpi;
SELECT extname, extnamespace::regnamespace FROM pg_extension WHERE extname = 'smarkpi';
CREATE TABLE sec_rows (won boolean, spend numeric, n bigint, a timestamptz, b timestamptz, cost numeric);
INSERT INTO sec_rows VALUES
	(true, 100.50, 2, '2024-01-01', '2024-01-03', 101.50), (false, 50, 1, '2024-01-01', '2024-01-02', 51),
	(NULL, 10, 0, '2024-01-02', NULL, 11);
SHOW search_path;
SELECT kpi.win_rate(won) AS win, kpi.cac(spend, n) AS cac, kpi.cac_ratio(spend, cost) AS ratio,
	   kpi.sales_cycle_length(a, b) AS cycle, kpi.mql_sal_rate(a, b, interval '1 day') AS sla
FROM sec_rows;
SELECT kpi.cac(spend, n) OVER (ORDER BY a, spend ROWS 1 PRECEDING) FROM sec_rows ORDER BY a, spend;
SELECT '(1,2)'::kpi.smarkpi_rate_summary;
CREATE SCHEMA kpi2;
ALTER EXTENSION smarkpi SET SCHEMA kpi2;
SELECT kpi2.win_rate(won), kpi2.cac(spend, n) FROM sec_rows;
SELECT count(*) AS objects_left_in_kpi FROM pg_proc WHERE pronamespace = 'kpi'::regnamespace;

-- 3. Trusted: a database owner without superuser installs it.
\c contrib_regression
CREATE ROLE smarkpi_regress_owner LOGIN;
CREATE DATABASE smarkpi_trusted OWNER smarkpi_regress_owner;
\c smarkpi_trusted
SET extra_float_digits = 0;
SET ROLE smarkpi_regress_owner;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
CREATE EXTENSION smarkpi;
CREATE TABLE sec_rows (won boolean, spend numeric, n bigint, a timestamptz, b timestamptz, cost numeric);
INSERT INTO sec_rows VALUES
	(true, 100.50, 2, '2024-01-01', '2024-01-03', 101.50), (false, 50, 1, '2024-01-01', '2024-01-02', 51),
	(NULL, 10, 0, '2024-01-02', NULL, 11);
SELECT :kpis FROM sec_rows;
-- the objects belong to the bootstrap superuser, not the installing role
SELECT DISTINCT pg_get_userbyid(proowner) = current_user AS owned_by_installer
FROM pg_proc WHERE proname = 'smarkpi_rate_final';
RESET ROLE;

\c contrib_regression
DROP DATABASE smarkpi_hostile;
DROP DATABASE smarkpi_schema;
DROP DATABASE smarkpi_trusted;
DROP ROLE smarkpi_regress_owner;
