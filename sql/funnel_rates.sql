-- Funnel rates: conversion_rate, mql_sal_rate, win_rate.
-- Expected values are worked out by hand in the comments.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET extra_float_digits = 0;
SET timezone = 'UTC';

CREATE TABLE leads (
	id int, channel text, converted boolean,
	mql_at timestamptz, sal_at timestamptz);
INSERT INTO leads VALUES
	(1, 'ads', true,  '2024-01-01 00:00', '2024-01-02 00:00'),	-- accepted after exactly 1 day
	(2, 'ads', false, '2024-01-01 00:00', '2024-01-05 00:00'),	-- 4 days
	(3, 'ads', NULL,  '2024-01-03 00:00', NULL),				-- not accepted
	(4, 'seo', true,  '2024-01-04 00:00', '2024-01-04 12:00'),	-- 12 hours
	(5, 'seo', NULL,  NULL, NULL),							-- never an MQL: ignored
	(6, 'seo', false, NULL, '2024-01-09 00:00');				-- no MQL time: ignored

-- converted: true, false, true, false counted (2 NULLs ignored): 2/4 = 0.5
SELECT conversion_rate(converted) FROM leads;
-- MQLs: rows 1-4 = 4; accepted: 1, 2, 4 = 3 -> 0.75
SELECT mql_sal_rate(mql_at, sal_at), conversion_rate(mql_at, sal_at) FROM leads;
-- within 1 day: rows 1 (exactly 1 day counts) and 4 -> 2/4 = 0.5
SELECT mql_sal_rate(mql_at, sal_at, '1 day'), conversion_rate(mql_at, sal_at, '24 hours') FROM leads;
-- within 11 hours: none (the fastest, row 4, took 12 hours) -> 0
SELECT mql_sal_rate(mql_at, sal_at, '11 hours') FROM leads;
-- a NULL SLA means no limit -> 0.75
SELECT mql_sal_rate(mql_at, sal_at, NULL) FROM leads;
-- by channel: ads 2/3, seo 1/1; within 1 day: ads 1/3, seo 1/1
SELECT channel, round(mql_sal_rate(mql_at, sal_at)::numeric, 6) AS rate,
	   round(mql_sal_rate(mql_at, sal_at, '1 day')::numeric, 6) AS sla_rate
FROM leads GROUP BY channel ORDER BY channel;

-- win_rate: won, lost, lost, open, won -> 2 / 4 = 0.5
SELECT win_rate(w) FROM (VALUES (true), (false), (false), (NULL), (true)) v(w);
-- only open deals, or no rows: NULL
SELECT win_rate(w) FROM (VALUES (NULL::boolean), (NULL)) v(w);
SELECT win_rate(w), conversion_rate(w) FROM (VALUES (true)) v(w) WHERE false;
SELECT mql_sal_rate(a, b), mql_sal_rate(a, b, '1 day') FROM (VALUES (NULL::timestamptz, now())) v(a, b);
-- one row
SELECT win_rate(true), conversion_rate(false);

-- errors, with their SQLSTATEs
SELECT smarkpi_err($$SELECT mql_sal_rate('2024-01-02', '2024-01-01')$$);
SELECT smarkpi_err($$SELECT conversion_rate('2024-01-02'::timestamptz, '2024-01-01'::timestamptz)$$);
SELECT smarkpi_err($$SELECT mql_sal_rate('infinity', NULL)$$);
SELECT smarkpi_err($$SELECT mql_sal_rate('2024-01-01', '-infinity')$$);
SELECT smarkpi_err($$SELECT conversion_rate('-infinity'::timestamptz, '2024-01-01'::timestamptz, '1 day')$$);
SELECT smarkpi_err($$SELECT mql_sal_rate('2024-01-01', '2024-01-02', '-1 hour')$$);
SELECT smarkpi_err($$SELECT mql_sal_rate('2024-01-01', '2024-01-02', '1 month -31 days')$$);
-- a negative SLA is an error on every row, accepted or not
SELECT smarkpi_err($$SELECT mql_sal_rate('2024-01-01', NULL, '-1 hour')$$);
-- support functions refuse to run outside an aggregate
SELECT smarkpi_err($$SELECT smarkpi_rate_bool_trans('(0,0)', true)$$);

-- agrees with the plain-SQL formula
SELECT mql_sal_rate(mql_at, sal_at) = count(sal_at) FILTER (WHERE mql_at IS NOT NULL)::float8 / count(mql_at) AS same
FROM leads;
