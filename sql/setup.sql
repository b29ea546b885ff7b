-- Install the extension and a helper that reports an error as "SQLSTATE: message".
CREATE EXTENSION smarkpi;
SET extra_float_digits = 0;
SELECT extname, extversion FROM pg_extension WHERE extname = 'smarkpi';

CREATE FUNCTION smarkpi_err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Forced-parallel settings used by later files (SET LOCAL-free: each file sets them).
CREATE FUNCTION smarkpi_force_parallel() RETURNS void LANGUAGE sql AS $$
	SELECT set_config('parallel_setup_cost', '0', false),
		   set_config('parallel_tuple_cost', '0', false),
		   set_config('min_parallel_table_scan_size', '0', false),
		   set_config('max_parallel_workers_per_gather', '4', false),
		   set_config('parallel_leader_participation', 'off', false);
$$;
CREATE FUNCTION smarkpi_serial() RETURNS void LANGUAGE sql AS $$
	SELECT set_config('max_parallel_workers_per_gather', '0', false),
		   set_config('parallel_leader_participation', 'on', false);
$$;

-- Loads one crafted binary value of type typ through COPY ... (FORMAT binary).
CREATE FUNCTION smarkpi_copy_binary(typ regtype, payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f text := current_setting('data_directory') || '/smarkpi_regress_' || pg_backend_pid() || '.bin';
	lo oid;
	result text;
BEGIN
	lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || int4send(0) || int4send(0)
						   || int2send(1::int2) || int4send(length(payload)) || payload
						   || int2send(-1::int2));
	PERFORM lo_export(lo, f);
	PERFORM lo_unlink(lo);
	EXECUTE format('CREATE TEMP TABLE smarkpi_bin (s %s)', typ);
	BEGIN
		EXECUTE format('COPY smarkpi_bin FROM %L (FORMAT binary)', f);
		SELECT 'accepted ' || s::text INTO result FROM smarkpi_bin;
	EXCEPTION WHEN OTHERS THEN
		result := SQLSTATE || ': ' || SQLERRM;
	END;
	DROP TABLE smarkpi_bin;
	RETURN result;
END $$;

-- The binary form of a state given as text, whatever its type.
CREATE FUNCTION smarkpi_send_text(typ text, txt text) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE b bytea;
BEGIN
	EXECUTE format('SELECT %I(%L::%I)', typ || '_send', txt, typ) INTO b;
	RETURN b;
END $$;

-- The result of a query as text, or its SQLSTATE.
CREATE FUNCTION smarkpi_try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
	EXECUTE q INTO r;
	RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE;
END $$;
