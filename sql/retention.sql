-- Retention: retention_rate, aggregate and plain.
-- Hand-worked values (in the comments), NULL rules and errors.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- retention: aggregate over customers, and the period formula (E - N) / S
SELECT retention_rate(b, a) FROM (VALUES (true, true), (true, false), (false, true), (true, NULL), (NULL, true)) v(b, a);	-- 1 / 2
SELECT retention_rate(100, 110, 20), retention_rate(0, 5, 5), retention_rate(10, 10, 0), retention_rate(NULL, 1, 1);

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT retention_rate(-1, 5, 1)$$);
SELECT smarkpi_err($$SELECT retention_rate(10, 5, 6)$$);
SELECT smarkpi_err($$SELECT retention_rate(10, 25, 5)$$);
