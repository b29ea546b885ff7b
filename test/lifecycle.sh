#!/usr/bin/env bash
# Data lifecycle: pg_dump / pg_restore and binary COPY of tables holding
# smarkpi state types and stored KPI summaries round-trip exactly (checksums
# of the values and of the KPIs rolled up from them are equal).  Sourced by
# test/check.sh with a running cluster; prints "lifecycle: N passed, M failed".
lifecycle_checksum() {
	psql -XAt -d "$1" -c "SELECT md5((SELECT string_agg(t::text, '|' ORDER BY id) FROM states t)
		|| (SELECT string_agg(t::text, '|' ORDER BY day) FROM kpi_daily t)
		|| (SELECT (win_rate(rollup(win)), cac(rollup(cac)), sales_cycle_length(rollup(cycle)),
					open_rate(rollup(opens)), duration_percentile(rollup(cycle_sketch), 0.9),
					(SELECT array_agg(s ORDER BY s.channel) FROM attribution_shares(rollup(journeys)) s))::text FROM kpi_daily))"
}

run_lifecycle() {
	local passed=0 failed=0 src=smarkpi_lc_src dst=smarkpi_lc_dst bin sum_src sum_dst
	psql_q -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst"
	psql_q -d $src <<'SQL'
CREATE EXTENSION smarkpi;
CREATE TABLE states (id int PRIMARY KEY, r smarkpi_rate_summary, d smarkpi_duration_summary,
	m smarkpi_money_summary, v smarkpi_velocity_summary, c smarkpi_count_ratio_summary, s smarkpi_score_summary);
INSERT INTO states
SELECT i, format('(%s,%s)', i, i * 2)::smarkpi_rate_summary,
	   format('(%s,%s)', i * 86400000000::numeric * 1e12, i)::smarkpi_duration_summary,
	   format('(%s,1,%s,%s,%s)', i, i, (i * 1.25)::numeric, i * 4)::smarkpi_money_summary,
	   format('(%s,%s,%s,%s,1,%s,%s)', i * 4, i * 3, i * 2, i, i * 99.99, i * 86400000000)::smarkpi_velocity_summary,
	   format('(%s,%s)', i, i * 10)::smarkpi_count_ratio_summary,
	   format('(%s,%s,%s)', i, i, i * 3)::smarkpi_score_summary
FROM generate_series(1, 1000) i;
-- a money state whose sums outgrew 128 bits (numeric representation)
INSERT INTO states VALUES (0, '(0,0)', '(0,0)', '(2,1,2,123456789012345678901234567890123456789.123,2)',
	'(0,0,0,0,0,0,0)', '(0,0)', '(0,0,0)');
-- stored daily summaries, tagged with their KPI
CREATE TABLE kpi_daily AS
SELECT date '2024-01-01' + i % 90 AS day, win_rate_summary(i % 3 = 0) AS win,
	   cac_summary(round(i * 1.37, i % 3), i % 4) AS cac,
	   sales_cycle_length_summary(timestamptz '2024-01-01', timestamptz '2024-01-01' + i * interval '7 hours') AS cycle,
	   open_rate_summary(i % 40, 40 + i % 60) AS opens,
	   duration_sketch(timestamptz '2024-01-01', timestamptz '2024-01-01' + i * interval '7 hours') AS cycle_sketch,
	   markov_attribution((ARRAY['email', 'paid search', 'events', 'direct "typed"'])[1:1 + i % 4], i % 3 = 0,
						  round(i * 10.01, 2)) AS journeys
FROM generate_series(1, 5000) i GROUP BY 1;
SQL
	sum_src=$(lifecycle_checksum $src)
	bin="$SMARKPI_TMP/lifecycle.dump"
	"$PG_BINDIR/pg_dump" -Fc -d $src -f "$bin" && "$PG_BINDIR/pg_restore" -d $dst "$bin"
	sum_dst=$(lifecycle_checksum $dst)
	if [ -n "$sum_src" ] && [ "$sum_src" = "$sum_dst" ]; then
		passed=$((passed + 1)); echo "ok - pg_dump -Fc / pg_restore keeps states, stored summaries and their KPIs exactly ($sum_src)"
	else
		failed=$((failed + 1)); echo "not ok - pg_dump / pg_restore: $sum_src vs $sum_dst"
	fi
	psql_q -d $dst -c "CREATE TABLE states_bin (LIKE states)" \
		-c "COPY states TO '$SMARKPI_TMP/lifecycle.bin' (FORMAT binary)" \
		-c "COPY states_bin FROM '$SMARKPI_TMP/lifecycle.bin' (FORMAT binary)" \
		-c "DROP TABLE states" -c "ALTER TABLE states_bin RENAME TO states" \
		-c "CREATE TABLE kpi_daily_bin (LIKE kpi_daily)" \
		-c "COPY kpi_daily TO '$SMARKPI_TMP/lifecycle_kpi.bin' (FORMAT binary)" \
		-c "COPY kpi_daily_bin FROM '$SMARKPI_TMP/lifecycle_kpi.bin' (FORMAT binary)" \
		-c "DROP TABLE kpi_daily" -c "ALTER TABLE kpi_daily_bin RENAME TO kpi_daily"
	sum_dst=$(lifecycle_checksum $dst)
	if [ "$sum_src" = "$sum_dst" ]; then
		passed=$((passed + 1)); echo "ok - binary COPY keeps states and stored summaries exactly"
	else
		failed=$((failed + 1)); echo "not ok - binary COPY: $sum_src vs $sum_dst"
	fi
	psql_q -c "DROP DATABASE $src" -c "DROP DATABASE $dst"
	echo "lifecycle: $passed passed, $failed failed"
	LIFECYCLE_PASSED=$passed
	LIFECYCLE_FAILED=$failed
}
