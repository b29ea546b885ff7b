# shellcheck shell=bash
# The README's Metabase views through pgJDBC, Metabase's own driver: every
# SQL block of the README section "Using the KPIs in views and Metabase" runs
# over the sample CRM, then test/jdbc/MetabaseTypes.java reads each plain
# view of it (the materialized views store summaries; Metabase reads the
# views over them) and checks each column arrives as a number, a date or
# text.  pgJDBC speaks TCP only, so this runs on a server of its own that
# listens on a free loopback port.  Sourced by test/check.sh with its
# cluster running; sets JDBC_PASSED and JDBC_FAILED.

JDBC_JAR=/usr/share/java/postgresql.jar

ensure_jdbc_packages() {
	local need=()
	[ -f "$JDBC_JAR" ] || need+=(libpostgresql-jdbc-java)
	command -v javac >/dev/null || need+=(default-jdk-headless)
	[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
}

# A loopback TCP port nothing answers on, and no socket of ours uses.
free_tcp_port() {
	local port
	for port in $(seq 55432 55632); do
		[ -e "$SMARKPI_TMP/.s.PGSQL.$port" ] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# The SQL blocks of the README's Metabase section, in order.
readme_metabase_sql() {
	awk '/^## Using the KPIs in views and Metabase/ { on = 1; next }
		 /^## / { on = 0 }
		 on && /^```sql/ { sql = 1; next }
		 on && /^```/ { sql = 0; next }
		 on && sql' "$SMARKPI_ROOT/README.md"
}

jdbc_stop_server() {
	[ -n "${JDBC_DATA:-}" ] && [ -d "$JDBC_DATA" ] || return 0
	run_as_server_user "$PG_BINDIR/pg_ctl" -D "$JDBC_DATA" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$JDBC_DATA"
}

run_jdbc_check() {
	local port views out rc=0 previous
	JDBC_PASSED=0
	JDBC_FAILED=1
	ensure_jdbc_packages
	port=$(free_tcp_port) || { echo "not ok - jdbc: no free loopback port in 55432..55632"; return 0; }
	JDBC_DATA="$SMARKPI_TMP/jdbc"
	push_exit_trap jdbc_stop_server
	previous=$PREVIOUS_EXIT_TRAP
	start_server "$JDBC_DATA" "$port" "$SMARKPI_TMP/jdbc.log" \
		"-c listen_addresses=127.0.0.1 -c timezone=UTC" ||
		{ echo "not ok - jdbc: the server on 127.0.0.1:$port did not start"; return 0; }
	if ! {
		psql_q -h "$SMARKPI_TMP" -p "$port" -U postgres -d postgres -c "CREATE DATABASE smarkpi_jdbc" -c "CREATE ROLE metabase" &&
			psql_q -h "$SMARKPI_TMP" -p "$port" -U postgres -d smarkpi_jdbc -c "CREATE EXTENSION smarkpi" \
				-f "$SMARKPI_ROOT/examples/sample_crm.sql" >/dev/null &&
			readme_metabase_sql | psql_q -h "$SMARKPI_TMP" -p "$port" -U postgres -d smarkpi_jdbc
	}; then
		echo "not ok - jdbc: the README's Metabase SQL does not run on the sample CRM"
		jdbc_stop_server
		restore_exit_trap "$previous"
		return 0
	fi
	views=$(readme_metabase_sql | sed -n 's/^CREATE VIEW \([a-z_0-9]*\) AS.*/\1/p')
	out="$SMARKPI_TMP/jdbc.out"
	# shellcheck disable=SC2086
	java -cp "$JDBC_JAR" "$SMARKPI_ROOT/test/jdbc/MetabaseTypes.java" \
		"jdbc:postgresql://127.0.0.1:$port/smarkpi_jdbc?user=postgres" $views >"$out" 2>&1 || rc=$?
	cat "$out"
	jdbc_stop_server
	restore_exit_trap "$previous"
	JDBC_PASSED=$(grep -c '^ok - ' "$out" || true)
	JDBC_FAILED=$(grep -c '^not ok - ' "$out" || true)
	if [ "$rc" -ne 0 ] && [ "$JDBC_FAILED" -eq 0 ]; then
		echo "not ok - jdbc: MetabaseTypes exited with status $rc"
		JDBC_FAILED=1
	fi
	if [ -z "$views" ] || [ "$JDBC_PASSED" -eq 0 ]; then
		echo "not ok - jdbc: no view was checked"
		JDBC_FAILED=$((JDBC_FAILED + 1))
	fi
}
