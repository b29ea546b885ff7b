-- What teams write when they want a reusable KPI function: PL/pgSQL
-- aggregates.  The benchmark measures smarkpi against these.
CREATE FUNCTION pl_rate_trans(s int8[], hit boolean) RETURNS int8[] LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF hit IS NULL THEN RETURN s; END IF;
	RETURN ARRAY[s[1] + CASE WHEN hit THEN 1 ELSE 0 END, s[2] + 1];
END $$;
CREATE FUNCTION pl_rate_final(s int8[]) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF s[2] = 0 THEN RETURN NULL; END IF;
	RETURN s[1]::float8 / s[2];
END $$;
CREATE AGGREGATE pl_rate(boolean) (SFUNC = pl_rate_trans, STYPE = int8[], INITCOND = '{0,0}',
	FINALFUNC = pl_rate_final);

CREATE FUNCTION pl_ratio_trans(s numeric[], num numeric, den numeric) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF num IS NULL OR den IS NULL THEN RETURN s; END IF;
	IF num = 'NaN' OR den < 0 THEN RAISE EXCEPTION 'bad input'; END IF;
	RETURN ARRAY[s[1] + num, s[2] + den];
END $$;
CREATE FUNCTION pl_ratio_final(s numeric[]) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF s[2] = 0 THEN RETURN NULL; END IF;
	RETURN s[1] / s[2];
END $$;
CREATE AGGREGATE pl_ratio(numeric, numeric) (SFUNC = pl_ratio_trans, STYPE = numeric[], INITCOND = '{0,0}',
	FINALFUNC = pl_ratio_final);

CREATE FUNCTION pl_mean_trans(s numeric[], a timestamptz, b timestamptz) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF a IS NULL OR b IS NULL THEN RETURN s; END IF;
	IF b < a THEN RAISE EXCEPTION 'end before start'; END IF;
	RETURN ARRAY[s[1] + extract(epoch FROM b - a), s[2] + 1];
END $$;
CREATE FUNCTION pl_mean_final(s numeric[]) RETURNS interval LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF s[2] = 0 THEN RETURN NULL; END IF;
	RETURN make_interval(secs => (s[1] / s[2])::float8);
END $$;
CREATE AGGREGATE pl_mean_duration(timestamptz, timestamptz) (SFUNC = pl_mean_trans, STYPE = numeric[],
	INITCOND = '{0,0}', FINALFUNC = pl_mean_final);

CREATE FUNCTION pl_nps_trans(s int8[], score int) RETURNS int8[] LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF score IS NULL THEN RETURN s; END IF;
	IF score < 0 OR score > 10 THEN RAISE EXCEPTION 'bad score'; END IF;
	RETURN ARRAY[s[1] + CASE WHEN score >= 9 THEN 1 ELSE 0 END,
				 s[2] + CASE WHEN score <= 6 THEN 1 ELSE 0 END, s[3] + 1];
END $$;
CREATE FUNCTION pl_nps_final(s int8[]) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF s[3] = 0 THEN RETURN NULL; END IF;
	RETURN 100.0 * (s[1] - s[2]) / s[3];
END $$;
CREATE AGGREGATE pl_nps(int) (SFUNC = pl_nps_trans, STYPE = int8[], INITCOND = '{0,0,0}', FINALFUNC = pl_nps_final);

CREATE FUNCTION pl_velocity_trans(s numeric[], c timestamptz, d timestamptz, amount numeric, won boolean)
RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF c IS NULL THEN RETURN s; END IF;
	s[1] := s[1] + 1;
	IF d IS NOT NULL AND won IS NOT NULL THEN
		s[2] := s[2] + 1;
		s[3] := s[3] + extract(epoch FROM d - c);
		IF won THEN
			s[4] := s[4] + 1;
			IF amount IS NOT NULL THEN s[5] := s[5] + 1; s[6] := s[6] + amount; END IF;
		END IF;
	END IF;
	RETURN s;
END $$;
CREATE FUNCTION pl_velocity_final(s numeric[]) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF s[2] = 0 OR s[3] = 0 THEN RETURN NULL; END IF;
	IF s[4] = 0 THEN RETURN 0; END IF;
	IF s[5] = 0 THEN RETURN NULL; END IF;
	RETURN s[1] * (s[4] / s[2]) * (s[6] / s[5]) / (s[3] / s[2] / 86400);
END $$;
CREATE AGGREGATE pl_velocity(timestamptz, timestamptz, numeric, boolean) (SFUNC = pl_velocity_trans,
	STYPE = numeric[], INITCOND = '{0,0,0,0,0,0}', FINALFUNC = pl_velocity_final);

-- a median the way teams write it: collect with array_append, sort in PL/pgSQL
CREATE FUNCTION pl_median_final(s float8[]) RETURNS interval LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE v float8[]; n int; pos float8; lo int;
BEGIN
	n := coalesce(array_length(s, 1), 0);
	IF n = 0 THEN RETURN NULL; END IF;
	SELECT array_agg(x ORDER BY x) INTO v FROM unnest(s) x;
	pos := 0.5 * (n - 1); lo := floor(pos);
	RETURN make_interval(secs => v[lo + 1] + (pos - lo) * (v[least(lo + 2, n)] - v[lo + 1]));
END $$;
CREATE AGGREGATE pl_median_seconds(float8) (SFUNC = array_append, STYPE = float8[], INITCOND = '{}',
	FINALFUNC = pl_median_final);
