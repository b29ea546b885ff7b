-- Seeded simulation shared by the sample CRM (examples/sample_crm.sql), the
-- CLV regression test (sql/clv.sql) and the clv_fit benchmark (bench/clv.sql).
-- Deterministic after setseed(); drop with examples/simulate_drop.sql.
--
-- sim_gamma(shape, rate): a Gamma(shape, rate) draw (Marsaglia and Tsang,
--   with the shape < 1 boost), normals by Box-Muller.
-- sim_customer(horizon, whole_days): one customer of the BG/NBD + Gamma-Gamma
--   model with rate ~ Gamma(r = 0.5, alpha = 10 days), dropout ~
--   Beta(a = 0.8, b = 2.5), spend ~ Gamma(p = 6, nu), nu ~ Gamma(q = 4,
--   gamma = 15), observed for `horizon` days; as an rfm summary, in whole days
--   and cents when whole_days (as rfm() produces them).
CREATE FUNCTION sim_normal() RETURNS float8 LANGUAGE sql AS
	$$ SELECT sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) $$;
CREATE FUNCTION sim_gamma(shape float8, rate float8) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE d float8; c float8; x float8; v float8; u float8; boost float8 := 1;
BEGIN
	IF shape < 1 THEN boost := (1 - random()) ^ (1 / shape); shape := shape + 1; END IF;
	d := shape - 1.0 / 3; c := 1 / sqrt(9 * d);
	LOOP
		x := sim_normal(); v := (1 + c * x) ^ 3;
		CONTINUE WHEN v <= 0;
		u := 1 - random();
		EXIT WHEN ln(u) < 0.5 * x * x + d - d * v + d * ln(v);
	END LOOP;
	RETURN boost * d * v / rate;
END $$;
CREATE FUNCTION sim_customer(horizon float8, whole_days boolean DEFAULT false) RETURNS smarkpi_rfm LANGUAGE plpgsql AS $$
DECLARE lambda float8 := sim_gamma(0.5, 10); g1 float8 := sim_gamma(0.8, 1); g2 float8 := sim_gamma(2.5, 1);
		dropout float8 := g1 / (g1 + g2); nu float8 := sim_gamma(4, 15);
		t float8 := 0; x int := 0; tx float8 := 0; spend float8 := 0; amount float8;
BEGIN
	LOOP
		t := t - ln(1 - random()) / lambda;
		EXIT WHEN t > horizon;
		amount := sim_gamma(6, nu);
		x := x + 1;
		tx := CASE WHEN whole_days THEN floor(t) ELSE t END;
		spend := spend + CASE WHEN whole_days THEN round(amount::numeric, 2) ELSE amount END;
		EXIT WHEN random() < dropout;
	END LOOP;
	RETURN ROW(x, tx, horizon,
			   CASE WHEN x = 0 THEN 0 WHEN whole_days THEN round((spend / x)::numeric, 2) ELSE spend / x END)::smarkpi_rfm;
END $$;
