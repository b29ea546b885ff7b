-- Customers for the clv_fit benchmark, simulated from a BG/NBD + Gamma-Gamma
-- model (seeded): whole days, as rfm() produces them, over cohorts of
-- different ages.  psql variable :customers.
SELECT setseed(0.77);
\ir ../examples/simulate.sql
CREATE TABLE customers AS
SELECT i AS id, sim_customer(185 + (i % 180), true) AS c FROM generate_series(1, :customers) i;
ANALYZE customers;
