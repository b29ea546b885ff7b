-- pipeline_history: stage_history, stage_durations, current_stage,
-- backward_moves, pipeline_waterfall, waterfall_buckets, pipeline_coverage.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SET TimeZone = 'UTC';

------------------------------------------------------------------------------
-- Stage history: values worked out by hand
------------------------------------------------------------------------------
CREATE TEMP TABLE sh (deal int, changed_at timestamptz, stage text);
INSERT INTO sh VALUES
	-- 1: discovery 4 d, demo 5 d, back to discovery 2 d, proposal from 12 Jan, won 20 Jan
	(1, '2024-01-01', 'discovery'), (1, '2024-01-05', 'demo'), (1, '2024-01-10', 'discovery'),
	(1, '2024-01-12', 'proposal'), (1, '2024-01-20', 'won'),
	-- 2: demo skipped, then demo and proposal at the same instant (demo gets 0 days)
	(2, '2024-01-01', 'discovery'), (2, '2024-01-03', 'proposal'), (2, '2024-01-03', 'demo'),
	-- 3: a second row in the same stage continues the visit (amount changed, say)
	(3, '2024-01-02 12:00', 'demo'), (3, '2024-01-04', 'demo'),
	-- 4: only NULLs: ignored rows
	(4, NULL, 'demo'), (4, '2024-01-02', NULL);
CREATE TEMP VIEW sh_stages AS SELECT ARRAY['discovery', 'demo', 'proposal', 'won'] AS stages;

-- without as_of: the current stage is open-ended, its days unknown
SELECT deal, current_stage(h), backward_moves(h), d.*
FROM (SELECT deal, stage_history(changed_at, stage, stages) AS h FROM sh, sh_stages GROUP BY deal) s,
	 stage_durations(h) d
ORDER BY deal, stage_order;
-- as of 15 January: the stage the deal is in counts up to as_of; later rows ignored
SELECT deal, current_stage(h), d.stage, d.entered_at, d.exited_at, d.days, d.visits, d.skipped
FROM (SELECT deal, stage_history(changed_at, stage, stages, '2024-01-15') AS h FROM sh, sh_stages GROUP BY deal) s,
	 stage_durations(h) d
ORDER BY deal, stage_order;
-- the current stage of a deal still in it counts up to as_of (timescaledb-toolkit #780 drops it)
SELECT days AS proposal_days_to_as_of FROM stage_durations(
	(SELECT stage_history(changed_at, stage, stages, '2024-01-19 12:00') FROM sh, sh_stages WHERE deal = 1))
WHERE stage = 'proposal';

-- NULL rules
SELECT stage_history(changed_at, stage, stages) IS NULL AS no_rows FROM sh, sh_stages WHERE false;
SELECT current_stage(h) IS NULL AS only_null_rows, backward_moves(h) AS moves,
	   (SELECT count(*) FROM stage_durations(h) WHERE visits > 0) AS visited
FROM (SELECT stage_history(changed_at, stage, stages) AS h FROM sh, sh_stages WHERE deal = 4) s;
SELECT current_stage(h) IS NULL AS null_stages, backward_moves(h) IS NULL AS null_moves,
	   (SELECT count(*) FROM stage_durations(h)) AS duration_rows
FROM (SELECT stage_history(changed_at, stage, NULL::text[]) AS h FROM sh) s;
SELECT current_stage(stage_history(changed_at, stage, stages, NULL)) IS NULL AS null_as_of FROM sh, sh_stages;

-- text and binary forms round-trip
SELECT h::text::smarkpi_stage_history::text = h::text AS text_round_trip,
	   smarkpi_copy_binary('smarkpi_stage_history', smarkpi_stage_history_send(h)) = 'accepted ' || h::text
		   AS binary_round_trip
FROM (SELECT stage_history(changed_at, stage, stages, '2024-01-15') AS h FROM sh, sh_stages WHERE deal = 1) s;
-- an unsorted value from outside is read in time order
SELECT current_stage(h), backward_moves(h)
FROM (SELECT stage_history(changed_at, stage, stages) AS h
	  FROM (SELECT * FROM sh ORDER BY changed_at DESC) x, sh_stages WHERE deal = 1) s;

------------------------------------------------------------------------------
-- Stage history against plain SQL (LAG/LEAD over one deal's rows), random
-- histories of 300 deals, seeded by hash
------------------------------------------------------------------------------
CREATE TABLE sh_rnd AS
SELECT d AS deal,
	   timestamptz '2024-01-01' + (('x' || substr(md5(d || '/' || i), 1, 8))::bit(32)::bigint % 2000) * interval '1 hour'
		   AS changed_at,
	   (ARRAY['lead', 'qualified', 'demo', 'proposal', 'negotiation', 'won'])[
		   1 + ('x' || substr(md5(d || '/' || i || '/s'), 1, 8))::bit(32)::bigint % 6] AS stage
FROM generate_series(1, 300) d, generate_series(1, 1 + d % 9) i;
CREATE TEMP VIEW rnd_stages AS SELECT ARRAY['lead', 'qualified', 'demo', 'proposal', 'negotiation', 'won'] AS stages;
CREATE TEMP VIEW plain_durations AS
WITH ordered AS (
	SELECT deal, changed_at, stage, array_position(stages, stage) AS k,
		   lag(array_position(stages, stage)) OVER w AS prev_k
	FROM sh_rnd, rnd_stages WINDOW w AS (PARTITION BY deal ORDER BY changed_at, array_position(stages, stage))),
visits AS (		-- a row in the stage the deal is in continues the visit
	SELECT deal, changed_at, stage, k, prev_k,
		   lead(changed_at) OVER (PARTITION BY deal ORDER BY changed_at, k) AS left_at
	FROM ordered WHERE prev_k IS DISTINCT FROM k)
SELECT deal, stage, min(changed_at) AS entered_at, count(*) AS visits,
	   sum(extract(epoch FROM coalesce(left_at, timestamptz '2024-05-01') - changed_at)) / 86400 AS days,
	   count(*) FILTER (WHERE k < prev_k) AS backward_entries
FROM visits GROUP BY deal, stage;
SELECT count(*) AS stages_compared,
	   count(*) FILTER (WHERE (d.entered_at, d.visits, round(d.days::numeric, 9))
							  IS DISTINCT FROM (p.entered_at, p.visits::int, round(p.days, 9))) AS differing
FROM (SELECT deal, stage_history(changed_at, stage, stages, '2024-05-01') AS h FROM sh_rnd, rnd_stages GROUP BY deal) s
CROSS JOIN LATERAL stage_durations(h) d
JOIN plain_durations p ON p.deal = s.deal AND p.stage = d.stage;
SELECT count(*) AS deals,
	   count(*) FILTER (WHERE backward_moves(h) <> (SELECT coalesce(sum(backward_entries), 0) FROM plain_durations p
												   WHERE p.deal = s.deal)) AS backward_differing,
	   count(*) FILTER (WHERE (SELECT count(*) FROM stage_durations(h) d WHERE d.skipped)
						   <> (SELECT count(*) FROM rnd_stages, generate_series(1, 6) k
							   WHERE NOT EXISTS (SELECT FROM sh_rnd r WHERE r.deal = s.deal AND r.stage = stages[k])
								 AND EXISTS (SELECT FROM sh_rnd r WHERE r.deal = s.deal
											 AND array_position(stages, r.stage) > k))) AS skipped_differing
FROM (SELECT deal, stage_history(changed_at, stage, stages, '2024-05-01') AS h FROM sh_rnd, rnd_stages GROUP BY deal) s;

-- partial states from parallel workers arrive out of order: combine merges by time
ANALYZE sh_rnd;
SELECT smarkpi_serial();
SELECT md5(string_agg(deal || ':' || h::text, ' ' ORDER BY deal)) AS serial_histories
FROM (SELECT deal, stage_history(changed_at, stage, stages, '2024-05-01') AS h FROM sh_rnd, rnd_stages GROUP BY deal) s \gset
SELECT md5(string_agg(d::text, ' ' ORDER BY d::text)) AS serial_all
FROM stage_durations((SELECT stage_history(changed_at, stage, stages, '2024-05-01') FROM sh_rnd, rnd_stages)) d \gset
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT stage_history(changed_at, stage, ARRAY[''lead''], now()) FROM sh_rnd') ~ 'Partial Aggregate'
	AS partial_plan;
SELECT md5(string_agg(d::text, ' ' ORDER BY d::text)) = :'serial_all' AS parallel_equals_serial
FROM stage_durations((SELECT stage_history(changed_at, stage, stages, '2024-05-01') FROM sh_rnd, rnd_stages)) d;
SELECT md5(string_agg(deal || ':' || h::text, ' ' ORDER BY deal)) = :'serial_histories' AS parallel_groups_equal_serial
FROM (SELECT deal, stage_history(changed_at, stage, stages, '2024-05-01') AS h FROM sh_rnd, rnd_stages GROUP BY deal) s;
SELECT stage_history(changed_at, stage, stages) IS NULL AS parallel_no_rows FROM sh_rnd, rnd_stages WHERE deal + 0 < 0;
SELECT smarkpi_serial();

-- a window over a growing frame: each row's history is its own value
SELECT deal, changed_at, current_stage(stage_history(changed_at, stage, stages) OVER w) AS stage_so_far
FROM sh, sh_stages WHERE deal = 1 WINDOW w AS (ORDER BY changed_at) ORDER BY changed_at;

------------------------------------------------------------------------------
-- Stage history errors
------------------------------------------------------------------------------
-- a stage not in stages is a row error, or a skipped row
SELECT smarkpi_err($$SELECT stage_history(t, s, ARRAY['a', 'b']) FROM (VALUES (now(), 'a'), (now(), 'c')) v(t, s)$$);
SET smarkpi.invalid_rows = 'skip';
SELECT current_stage(stage_history(t, s, ARRAY['a', 'b'])) AS skipped_bad_stage,
	   (SELECT visits FROM stage_durations(stage_history(t, s, ARRAY['a', 'b'])) WHERE stage = 'a') AS a_visits
FROM (VALUES (timestamptz '2024-01-01', 'a'), ('2024-01-02', 'c'), ('infinity', 'b')) v(t, s);
RESET smarkpi.invalid_rows;
SELECT smarkpi_err($$SELECT stage_history(t, 'a', ARRAY['a']) FROM (VALUES (timestamptz 'infinity')) v(t)$$);
-- parameter errors, whatever smarkpi.invalid_rows says
SET smarkpi.invalid_rows = 'skip';
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', ARRAY['a', 'b', 'a'])$$);
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', ARRAY[]::text[])$$);
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', ARRAY['a', NULL])$$);
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', ARRAY['a', ''])$$);
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', ARRAY[['a'], ['b']])$$);
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', (SELECT array_agg(i::text) FROM generate_series(1, 257) i))$$);
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', st) FROM (VALUES (ARRAY['a', 'b']), (ARRAY['a', 'c'])) v(st)$$);
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', ARRAY['a'], t) FROM (VALUES (now()), (now() + interval '1 day')) v(t)$$);
-- constant stages and as_of are checked once per query, anything else on every row
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', st, '2030-01-01') FROM (VALUES (ARRAY['a', 'b']), (ARRAY['a', 'c'])) v(st)$$);
PREPARE stage_days(text[], timestamptz) AS
	SELECT d.stage, d.days, d.visits
	FROM (SELECT stage_history(t, s, $1, $2) AS h
		  FROM (VALUES ('2024-01-01'::timestamptz, 'a'), ('2024-01-03', 'b'), ('2024-01-04', 'a')) v(t, s)) x,
		 stage_durations(x.h) d;
EXECUTE stage_days(ARRAY['a', 'b'], '2024-01-05');
DEALLOCATE stage_days;
SELECT smarkpi_err($$SELECT stage_history(now(), 'a', ARRAY['a'], 'infinity')$$);
RESET smarkpi.invalid_rows;
-- corrupt outside forms
SELECT smarkpi_err($$SELECT '\x01'::smarkpi_stage_history$$);
SELECT smarkpi_err($$SELECT '\x0100000000000000000000000000010000000161000000000000000100000000000000010000000000000000000000ff'::smarkpi_stage_history$$)
	AS stage_index_out_of_range;
SELECT smarkpi_err($$SELECT '\x0101000000000000000000000000010000000161000000000000000100000000000000010000000000000000000000ff'::smarkpi_stage_history$$)
	AS changes_with_null_parameters;
SELECT current_stage('\x010000000000000000000000000001000000016100000000000000010000000000000001000000000000000000000000'::smarkpi_stage_history)
	AS crafted_value_reads;

------------------------------------------------------------------------------
-- Pipeline waterfall: values worked out by hand (Q1 2024, t0 = 1 Jan, t1 = 31 Mar)
------------------------------------------------------------------------------
CREATE TEMP TABLE dh (deal bigint, valid_from timestamptz, amount numeric, close_date date, outcome text);
INSERT INTO dh VALUES
	-- 1: in at t0 (100), increased to 150, won
	(1, '2023-12-01', 100.00, '2024-02-15', 'open'), (1, '2024-01-10', 150.00, '2024-02-15', 'open'),
	(1, '2024-02-15', 150.00, '2024-02-15', 'won'),
	-- 2: in at t0 (200), pushed out to May
	(2, '2023-12-01', 200, '2024-03-01', 'open'), (2, '2024-02-01', 200, '2024-05-01', 'open'),
	-- 3: created in January (50.5), decreased to 40.5
	(3, '2024-01-20', 50.5, '2024-03-10', 'open'), (3, '2024-03-05', 40.5, '2024-03-10', 'open'),
	-- 4: out at t0 (June), pulled in, lost (the lost row repeats nothing: carried forward)
	(4, '2023-11-01', 70, '2024-06-01', 'open'), (4, '2024-02-10', 70, '2024-03-20', 'open'),
	(4, '2024-03-25', NULL, NULL, 'lost'),
	-- 5: in all quarter (its close date passed but it is still open and inside the period)
	(5, '2023-10-01', 30, '2024-01-15', 'open'),
	-- 6: after t1: ignored
	(6, '2024-04-02', 999, '2024-03-15', 'open');
CREATE TEMP VIEW q1 AS SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome,
	'2024-01-01', '2024-03-31', '[2024-01-01,2024-04-01)') AS w FROM dh;
SELECT b.* FROM q1, waterfall_buckets(w) b;
-- start + created + pulled_in + increased - decreased - pushed_out - lost - won = end
SELECT sum(CASE WHEN bucket IN ('decreased', 'pushed_out', 'lost', 'won') THEN -amount
				WHEN bucket = 'end' THEN 0 ELSE amount END)
	   = sum(amount) FILTER (WHERE bucket = 'end') AS identity_holds
FROM q1, waterfall_buckets(w);
-- a week: only deal 4's pull-in moves (t0 = 5 Feb, t1 = 12 Feb)
SELECT b.* FROM (SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome,
	'2024-02-05', '2024-02-12', '[2024-01-01,2024-04-01)') AS w FROM dh) s, waterfall_buckets(w) b
WHERE b.deals > 0;

-- unknown is never zero: a first row with a NULL amount is not in the pipeline until known
SELECT b.bucket, b.amount, b.deals
FROM (SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome, '2024-01-01', '2024-03-31',
								'[2024-01-01,2024-04-01)') AS w
	  FROM (VALUES (7, timestamptz '2023-12-01', NULL::numeric, date '2024-02-01', 'open'),
				   (7, '2024-01-15', 80, NULL, NULL),
				   (8, '2024-01-05', 10, '2024-02-01', NULL)) v(deal, valid_from, amount, close_date, outcome)) s,
	 waterfall_buckets(w) b
WHERE b.deals > 0 OR b.bucket IN ('start', 'end');
-- an empty and an unbounded period
SELECT string_agg(bucket || '=' || amount, ' ' ORDER BY ord) AS empty_period
FROM (SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome, '2024-01-01', '2024-03-31', 'empty')
	  AS w FROM dh) s, waterfall_buckets(w) WITH ORDINALITY b(bucket, amount, deals, ord);
SELECT string_agg(bucket || '=' || amount, ' ' ORDER BY ord) AS unbounded_period
FROM (SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome, '2024-01-01', '2024-03-31', '(,)')
	  AS w FROM dh) s, waterfall_buckets(w) WITH ORDINALITY b(bucket, amount, deals, ord);
-- NULL rules
SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome, '2024-01-01', '2024-03-31', '(,)') IS NULL
	AS no_rows FROM dh WHERE false;
SELECT count(*) AS buckets_of_null_period
FROM (SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome, '2024-01-01', '2024-03-31', NULL)
	  AS w FROM dh) s, waterfall_buckets(w);
-- text and binary forms round-trip
SELECT w::text::smarkpi_pipeline_waterfall::text = w::text AS text_round_trip,
	   smarkpi_copy_binary('smarkpi_pipeline_waterfall', smarkpi_pipeline_waterfall_send(w)) = 'accepted ' || w::text
		   AS binary_round_trip
FROM q1;

------------------------------------------------------------------------------
-- Pipeline waterfall on random histories (seeded by hash): the identity for
-- every channel, and the buckets equal to the plain SQL a RevOps analyst
-- writes (LAG over each deal's snapshots, CASE buckets)
------------------------------------------------------------------------------
CREATE TABLE wf_rnd AS
SELECT d AS deal, d % 4 AS channel,
	   timestamptz '2023-12-01' + (('x' || substr(md5(d || '/' || i), 1, 8))::bit(32)::bigint % 3000) * interval '1 hour'
		   AS valid_from,
	   round((('x' || substr(md5(d || '/' || i || '/a'), 1, 8))::bit(32)::bigint % 100000) / 7.0, 2) AS amount,
	   date '2024-01-01' + (('x' || substr(md5(d || '/' || i || '/c'), 1, 8))::bit(32)::bigint % 200)::int AS close_date,
	   (ARRAY['open', 'open', 'open', 'open', 'won', 'lost'])[
		   1 + ('x' || substr(md5(d || '/' || i || '/o'), 1, 8))::bit(32)::bigint % 6] AS outcome
FROM generate_series(1, 2000) d, generate_series(1, 1 + d % 6) i;
-- the same with NULLs sprinkled in
CREATE TABLE wf_nulls AS
SELECT deal, channel, valid_from,
	   CASE WHEN md5(deal || valid_from::text) < '2' THEN NULL ELSE amount END AS amount,
	   CASE WHEN md5(valid_from::text || deal) < '2' THEN NULL ELSE close_date END AS close_date,
	   CASE WHEN md5(deal || 'o' || valid_from::text) < '2' THEN NULL ELSE outcome END AS outcome
FROM wf_rnd;
CREATE TEMP VIEW wf_buckets AS
SELECT src, channel, b.*
FROM (SELECT 'rnd' AS src, channel, pipeline_waterfall(deal, valid_from, amount, close_date, outcome,
		  '2024-01-01', '2024-03-31', '[2024-01-01,2024-04-01)') AS w FROM wf_rnd GROUP BY channel
	  UNION ALL
	  SELECT 'nulls', channel, pipeline_waterfall(deal, valid_from, amount, close_date, outcome,
		  '2024-01-01', '2024-03-31', '[2024-01-01,2024-04-01)') FROM wf_nulls GROUP BY channel) s,
	 waterfall_buckets(w) b;
SELECT src, count(DISTINCT channel) AS channels,
	   bool_and(id) AS identity_holds_for_every_channel
FROM (SELECT src, channel,
			 sum(CASE WHEN bucket IN ('decreased', 'pushed_out', 'lost', 'won') THEN -amount
					  WHEN bucket = 'end' THEN -amount ELSE amount END) = 0 AS id
	  FROM wf_buckets GROUP BY src, channel) x
GROUP BY src ORDER BY src;
-- plain SQL: rows ordered as the aggregate orders ties, LAG for the previous snapshot
CREATE TEMP VIEW wf_plain AS
WITH snaps AS (
	SELECT channel, deal, valid_from, amount, close_date, outcome,
		   outcome = 'open' AND close_date >= '2024-01-01' AND close_date < '2024-04-01' AS is_in,
		   row_number() OVER w AS nth
	FROM wf_rnd WINDOW w AS (PARTITION BY deal ORDER BY valid_from, array_position(ARRAY['open', 'won', 'lost'], outcome),
							  close_date, amount)),
moves AS (
	SELECT s.*, lag(is_in) OVER w AS was_in, lag(amount) OVER w AS old_amount
	FROM snaps s WINDOW w AS (PARTITION BY deal ORDER BY nth)),
at_t0 AS (
	SELECT DISTINCT ON (deal) channel, deal, is_in, amount FROM snaps WHERE valid_from <= '2024-01-01'
	ORDER BY deal, nth DESC),
at_t1 AS (
	SELECT DISTINCT ON (deal) channel, deal, is_in, amount FROM snaps WHERE valid_from <= '2024-03-31'
	ORDER BY deal, nth DESC),
buckets AS (
	SELECT channel, deal,
		   CASE WHEN NOT coalesce(was_in, false) AND is_in THEN CASE WHEN nth = 1 THEN 'created' ELSE 'pulled_in' END
				WHEN was_in AND NOT is_in THEN CASE outcome WHEN 'won' THEN 'won' WHEN 'lost' THEN 'lost'
															ELSE 'pushed_out' END
				WHEN was_in AND is_in AND amount > old_amount THEN 'increased'
				WHEN was_in AND is_in AND amount < old_amount THEN 'decreased' END AS bucket,
		   CASE WHEN was_in AND NOT is_in THEN old_amount
				WHEN was_in AND is_in THEN abs(amount - old_amount) ELSE amount END AS moved
	FROM moves WHERE valid_from > '2024-01-01' AND valid_from <= '2024-03-31')
SELECT channel, bucket, sum(moved) AS amount, count(DISTINCT deal) AS deals
FROM buckets WHERE bucket IS NOT NULL GROUP BY 1, 2
UNION ALL SELECT channel, 'start', sum(amount), count(*) FROM at_t0 WHERE is_in GROUP BY 1
UNION ALL SELECT channel, 'end', sum(amount), count(*) FROM at_t1 WHERE is_in GROUP BY 1;
SELECT count(*) AS buckets_compared,
	   count(*) FILTER (WHERE (b.amount, b.deals) IS DISTINCT FROM (coalesce(p.amount, 0), coalesce(p.deals, 0)))
		   AS differing
FROM wf_buckets b LEFT JOIN wf_plain p USING (channel, bucket) WHERE b.src = 'rnd';

-- one deal's rows split across parallel workers: the same buckets
ANALYZE wf_rnd;
SELECT smarkpi_serial();
SELECT string_agg(bucket || '=' || amount || '/' || deals, ' ' ORDER BY ord) AS serial_buckets
FROM (SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome, '2024-01-01', '2024-03-31',
								'[2024-01-01,2024-04-01)') AS w FROM wf_rnd) s,
	 waterfall_buckets(w) WITH ORDINALITY b(bucket, amount, deals, ord) \gset
SELECT smarkpi_force_parallel();
SELECT smarkpi_plan('SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome, now(), now(), ''(,)'') FROM wf_rnd')
	~ 'Partial Aggregate' AS partial_plan;
SELECT string_agg(bucket || '=' || amount || '/' || deals, ' ' ORDER BY ord) = :'serial_buckets' AS parallel_equals_serial
FROM (SELECT pipeline_waterfall(deal, valid_from, amount, close_date, outcome, '2024-01-01', '2024-03-31',
								'[2024-01-01,2024-04-01)') AS w FROM wf_rnd) s,
	 waterfall_buckets(w) WITH ORDINALITY b(bucket, amount, deals, ord);
SELECT smarkpi_serial();
DROP TABLE sh_rnd, wf_rnd, wf_nulls CASCADE;

------------------------------------------------------------------------------
-- Pipeline waterfall errors
------------------------------------------------------------------------------
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, now(), 5, current_date, 'pending', now(), now(), '(,)')$$);
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, now(), -5, current_date, 'open', now(), now(), '(,)')$$);
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, now(), 'NaN', current_date, 'open', now(), now(), '(,)')$$);
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, now(), 1e20, current_date, 'open', now(), now(), '(,)')$$);
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, '-infinity', 5, current_date, 'open', now(), now(), '(,)')$$);
SET smarkpi.invalid_rows = 'skip';
SELECT string_agg(bucket || '=' || amount, ' ') FILTER (WHERE bucket IN ('created', 'end')) AS bad_rows_skipped
FROM (SELECT pipeline_waterfall(d, t, a, c, o, '2024-01-01', '2024-03-31', '(,)') AS w
	  FROM (VALUES (1, timestamptz '2024-02-01', 5::numeric, date '2024-03-01', 'open'),
				   (2, '2024-02-01', -5, '2024-03-01', 'open'), (3, '2024-02-01', 7, '2024-03-01', 'maybe'))
		   v(d, t, a, c, o)) s, waterfall_buckets(w);
-- parameter errors, whatever smarkpi.invalid_rows says
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, now(), 5, current_date, 'open', '2024-02-01', '2024-01-01', '(,)')$$);
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, now(), 5, current_date, 'open', 'infinity', 'infinity', '(,)')$$);
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, now(), 5, current_date, 'open', '2024-01-01', t, '(,)')
					 FROM (VALUES (timestamptz '2024-02-01'), ('2024-03-01')) v(t)$$);
SELECT smarkpi_err($$SELECT pipeline_waterfall(1, now(), 5, current_date, 'open', '2024-01-01', '2024-02-01', p)
					 FROM (VALUES (daterange '[2024-01-01,2024-02-01)'), ('[2024-01-01,2024-03-01)')) v(p)$$);
RESET smarkpi.invalid_rows;
SELECT smarkpi_err($$SELECT '\x01'::smarkpi_pipeline_waterfall$$);
SELECT smarkpi_err($$SELECT '\x010c0000000000000000000000000000000000000000000000000000000000000001000000000000000100000000000000010000000000000000000000000000000500000000000007'::smarkpi_pipeline_waterfall$$)
	AS bad_outcome;
SELECT smarkpi_err($$SELECT '\x010c0000000000000000000000000000000000000000000000000000000000000001000000000000000200000000000000010000000000000000000000000000000500000000000000'::smarkpi_pipeline_waterfall$$)
	AS count_mismatch;
SELECT b.amount AS crafted_value_reads FROM waterfall_buckets(
	'\x010c0000000000000000000000000000000000000000000000000000000000000001000000000000000100000000000000010000000000000000000000000000000500000000000000'::smarkpi_pipeline_waterfall) b
WHERE bucket = 'start';

------------------------------------------------------------------------------
-- Pipeline coverage
------------------------------------------------------------------------------
SELECT pipeline_coverage(300, 1000, 400) AS coverage_half,
	   pipeline_coverage(2400, 1000, 200) AS coverage_three,
	   pipeline_coverage(300, 1000, 1000) IS NULL AS nothing_left,
	   pipeline_coverage(300, 1000, 1200) IS NULL AS over_quota,
	   pipeline_coverage(NULL, 1000, 0) IS NULL AS null_in;
SELECT smarkpi_err($$SELECT pipeline_coverage(-1, 1000, 0)$$);
SELECT smarkpi_err($$SELECT pipeline_coverage(1, 'NaN', 0)$$);
SET smarkpi.invalid_rows = 'skip';
SELECT pipeline_coverage(1, 1000, -5) IS NULL AS skipped_bad_row;
RESET smarkpi.invalid_rows;
