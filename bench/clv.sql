-- Customers for the clv_fit benchmark, simulated from a BG/NBD + Gamma-Gamma
-- model (seeded): whole days, as rfm() produces them, over cohorts of
-- different ages.  psql variable :customers.
SELECT setseed(0.77);
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
CREATE FUNCTION sim_customer(horizon float8) RETURNS rfm LANGUAGE plpgsql AS $$
DECLARE lambda float8 := sim_gamma(0.5, 10); g1 float8 := sim_gamma(0.8, 1); g2 float8 := sim_gamma(2.5, 1);
		dropout float8 := g1 / (g1 + g2); nu float8 := sim_gamma(4, 15);
		t float8 := 0; x int := 0; tx float8 := 0; spend float8 := 0;
BEGIN
	LOOP
		t := t - ln(1 - random()) / lambda;
		EXIT WHEN t > horizon;
		x := x + 1; tx := floor(t); spend := spend + round(sim_gamma(6, nu)::numeric, 2);
		EXIT WHEN random() < dropout;
	END LOOP;
	RETURN ROW(x, tx, horizon, CASE WHEN x > 0 THEN round((spend / x)::numeric, 2) ELSE 0 END)::rfm;
END $$;
CREATE TABLE customers AS
SELECT i AS id, sim_customer(185 + (i % 180)) AS c FROM generate_series(1, :customers) i;
ANALYZE customers;
