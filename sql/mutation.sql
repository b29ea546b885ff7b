-- State types under attack: thousands of corrupted text and binary values
-- (seeded, so every run feeds the same ones).  Each is either accepted -- and
-- then reads back to itself -- or rejected with 22P02 / 22P03 / 22003 / 54000;
-- never XX000, never a crash.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SELECT setseed(0.2026);

-- One random edit of t: replace, delete, insert or duplicate a character,
-- truncate, or append a long run of digits.
CREATE FUNCTION smarkpi_mutate(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	alphabet text := '0123456789-+.,() eENaInfity';
	pos int := 1 + floor(random() * greatest(length(t), 1))::int;
	c text := substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1);
BEGIN
	CASE floor(random() * 6)::int
		WHEN 0 THEN RETURN overlay(t PLACING c FROM pos FOR 1);
		WHEN 1 THEN RETURN overlay(t PLACING '' FROM pos FOR 1);
		WHEN 2 THEN RETURN overlay(t PLACING c FROM pos FOR 0);
		WHEN 3 THEN RETURN overlay(t PLACING substr(t, pos, 3) FROM pos FOR 0);
		WHEN 4 THEN RETURN substr(t, 1, pos);
		ELSE RETURN overlay(t PLACING repeat('9', 1 + floor(random() * 60)::int) FROM pos FOR 0);
	END CASE;
END $$;

-- One random edit of b: flip a byte, drop a byte, add a byte, or truncate.
CREATE FUNCTION smarkpi_mutate_bytes(b bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	pos int := floor(random() * greatest(length(b), 1))::int;
	v int := floor(random() * 256)::int;
BEGIN
	IF length(b) = 0 THEN
		RETURN decode(lpad(to_hex(v), 2, '0'), 'hex');
	END IF;
	CASE floor(random() * 4)::int
		WHEN 0 THEN RETURN set_byte(b, pos, v);
		WHEN 1 THEN RETURN substr(b, 1, pos) || substr(b, pos + 2);
		WHEN 2 THEN RETURN substr(b, 1, pos) || decode(lpad(to_hex(v), 2, '0'), 'hex') || substr(b, pos + 1);
		ELSE RETURN substr(b, 1, pos);
	END CASE;
END $$;

CREATE TABLE mutation_seeds (typ text, txt text);
INSERT INTO mutation_seeds VALUES
	('smarkpi_rate_summary', '(3,4)'), ('smarkpi_rate_summary', '(9223372036854775806,9223372036854775807)'),
	('smarkpi_count_ratio_summary', '(15,150)'), ('smarkpi_score_summary', '(2,1,5)'),
	('smarkpi_duration_summary', '(864000000000,3)'),
	('smarkpi_duration_summary', '(170141183460469231731687303715884105727,9223372036854775807)'),
	('smarkpi_money_summary', '(3,2,3,1.25,6)'), ('smarkpi_money_summary', '(2,1,2,123456789012345678901234567890123456789.123,2)'),
	('smarkpi_velocity_summary', '(4,3,2,2,2,4000,1728000000000)');
-- summaries carry the KPI that made them
INSERT INTO mutation_seeds VALUES
	('smarkpi_rate_summary', 'win_rate(3,4)'), ('smarkpi_money_summary', 'cac(3,2,3,1.25,6)'),
	('smarkpi_duration_summary', 'sales_cycle_length(864000000000,3)'),
	('smarkpi_count_ratio_summary', 'click_through_rate(15,150)'),
	('smarkpi_clv_summary', '(3,12,0.01,{0 0 10 0 2,1 5 10 20.5 1})');
-- duration sketches: (relative error,count,zeros,first bucket,{bucket counts})
INSERT INTO mutation_seeds VALUES
	('smarkpi_duration_sketch', '(0.01,7,1,1255,{2,0,0,3,1})'), ('smarkpi_duration_sketch', '(0.25,5,1,0,{1,0,2,0,0,1})');
-- Markov attribution summaries: (journeys,conversions,value,...,{from>to=count,...})
INSERT INTO mutation_seeds VALUES
	('smarkpi_markov_summary', '(3,1,1000.00,1,1,{(start)>"email"=2,(start)>"search"=1,"email">"search"=1,"email">(null)=1,"search">"social"=2,"social">(conversion)=1,"social">(null)=1})'),
	('smarkpi_markov_summary', '(2,1,0,0,0,{(start)>"A"=1,(start)>(conversion)=1,"A">"A"=3,"A">(null)=1})');

-- pipeline histories: \x and the hex digits of the binary form
INSERT INTO mutation_seeds VALUES
	('smarkpi_stage_history', '\x0100010002b58cd363c00000000003000000046c6561640000000464656d6f00000003776f6e000000000000000400000000000000040002b0d5d4e94000000000000002b1264c46c000000000010002b14e87f58000000000000002b34571fde00000000002'),
	('smarkpi_pipeline_waterfall', '\x01000002b0d5d4e940000002b7e852a100000000223e000022990000000000000004000000000000000400000000000000010002ae6637d4a00000000000000003ed0000225d01000000000000000000010002b18ae17ba00000000000000003ed000022b701000000000000000000020002b34571fde00000000000000000460000227a00000000000000000000020002b58cd363c00000000000000000460000227a000001');

-- distinct sketches, sparse (3 hashes) and dense (precision 4): \x and the hex digits of the binary form
INSERT INTO mutation_seeds VALUES
	('smarkpi_distinct_sketch', '\x010e000000000303304440cec5c13b0776d436c6f35554a6c0bbbdb3f52c68'),
	('smarkpi_distinct_sketch', '\x01040103020303020200030202030404020402');
-- cohort retention: \x and the hex digits of the binary form
INSERT INTO mutation_seeds VALUES
	('smarkpi_cohort_retention', '\x0103000000035554430002bcc78cca400000000000000000040000000000000001000001200000000000000001000000000000000100000122000000000000000100000000000000020000012100000000000000010000000000000003000001240000000000000001'),
	('smarkpi_cohort_retention', '\x01020000000d4575726f70652f4265726c696e0002b58cd363c00000000000000000010000000000000001000004e40000000000000001');
-- CLV backtests (2 customers) and holdouts (3 orders): \x and the hex digits of the binary form
INSERT INTO mutation_seeds VALUES
	('smarkpi_clv_backtest_summary', '\x01073fd0000000000000403e0000000000003fe999999999999a400400000000000040180000000000004010000000000000402e000000000000000000000000000200000000000000030000000000000000000000000000000000028000000000000000000000000000000100000000000000000000000000000001000000000000ffffffffffffffffffff800000000000000000000000000000640000000000000000000000000000000000000000303900000002'),
	('smarkpi_rfm_holdout_summary', '\x01010002b34571fde0000002b58cd363c000000000000000000300002242000100000000000004e20000225100000000000000000028000022660102000000000001869f');

-- 500 text mutations per seed
CREATE TABLE text_cases AS
SELECT typ, smarkpi_mutate(CASE WHEN k % 3 = 0 THEN smarkpi_mutate(txt) ELSE txt END) AS txt
FROM mutation_seeds, generate_series(1, 500) k;
CREATE TABLE text_results AS
SELECT typ, txt, smarkpi_try(format('SELECT %L::%s::text', txt, typ)) AS result FROM text_cases;

-- (a text form that is the hex of a binary form reports a corrupt binary form as 22P03)
SELECT count(*) AS text_cases,
	   count(*) FILTER (WHERE result NOT LIKE 'ERROR %') AS accepted,
	   count(*) FILTER (WHERE result IN ('ERROR 22P02', 'ERROR 22003', 'ERROR 54000')
						   OR (result = 'ERROR 22P03' AND txt LIKE '\\x%')) AS rejected_cleanly,
	   count(*) FILTER (WHERE result LIKE 'ERROR %' AND result NOT IN ('ERROR 22P02', 'ERROR 22003', 'ERROR 54000')
						   AND NOT (result = 'ERROR 22P03' AND txt LIKE '\\x%')) AS other_errors
FROM text_results;
-- every accepted value reads back to itself
SELECT count(*) AS accepted_not_round_tripping FROM text_results
WHERE result NOT LIKE 'ERROR %'
  AND smarkpi_try(format('SELECT %L::%s::text', result, typ)) IS DISTINCT FROM result;

-- 200 binary mutations per seed through COPY ... (FORMAT binary)
CREATE TABLE binary_cases AS
SELECT typ, smarkpi_mutate_bytes(CASE WHEN k % 3 = 0 THEN smarkpi_mutate_bytes(b) ELSE b END) AS b
FROM (SELECT typ, smarkpi_send_text(typ, txt) AS b FROM mutation_seeds) s, generate_series(1, 200) k;
-- one statement per type: each case's temporary table holds a lock until commit
CREATE TABLE binary_results (typ text, b bytea, result text);
SELECT format('INSERT INTO binary_results SELECT typ, b, smarkpi_copy_binary(typ::regtype, b) FROM binary_cases WHERE typ = %L', typ)
FROM (SELECT DISTINCT typ FROM binary_cases) t ORDER BY typ \gexec
SELECT count(*) AS binary_cases,
	   count(*) FILTER (WHERE result LIKE 'accepted %') AS accepted,
	   count(*) FILTER (WHERE result LIKE '22P03:%' OR result LIKE '22003:%' OR result LIKE '54000:%') AS rejected_cleanly,
	   count(*) FILTER (WHERE result NOT LIKE 'accepted %' AND result NOT LIKE '22P03:%'
						AND result NOT LIKE '22003:%' AND result NOT LIKE '54000:%') AS other_errors
FROM binary_results;
SELECT DISTINCT regexp_replace(result, ':.*', '') AS other_outcome FROM binary_results
WHERE result NOT LIKE 'accepted %' AND result NOT LIKE '22P03:%' AND result NOT LIKE '22003:%'
  AND result NOT LIKE '54000:%';
