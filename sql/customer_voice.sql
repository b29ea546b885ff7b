-- Customer voice: nps, csat.
-- Hand-worked values (in the comments), NULL rules and errors.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- nps: promoters 10, 9; passives 8, 7; detractors 6, 0; NULL ignored:
-- 100 x (2 - 2) / 6 = 0
SELECT nps(s) FROM (VALUES (10), (9), (8), (7), (6), (0), (NULL)) v(s);
-- 3 promoters, 1 detractor of 5: 100 x 2 / 5 = 40
SELECT nps(s) FROM (VALUES (10), (10), (9), (7), (3)) v(s);
SELECT nps(10), nps(0), nps(s) FROM (VALUES (1)) v(s) WHERE false;

-- csat: top two boxes of 1-5 (4, 5): 2 of 4 = 0.5; of 1-10 (9, 10): 0 of 4
SELECT csat(s), csat(s, 10) FROM (VALUES (5), (4), (3), (1)) v(s);
SELECT csat(s, 3) FROM (VALUES (2), (3), (1), (1)) v(s);	-- 2 of 4 on a 1-3 scale
SELECT csat(s) FROM (VALUES (NULL::int)) v(s);

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT nps(11)$$);
SELECT smarkpi_err($$SELECT nps(-1)$$);
SELECT smarkpi_err($$SELECT csat(6)$$);
SELECT smarkpi_err($$SELECT csat(0)$$);
SELECT smarkpi_err($$SELECT csat(3, 1)$$);
