-- Drops what examples/simulate.sql creates.
DROP FUNCTION sim_customer(float8, boolean), sim_gamma(float8, float8), sim_normal();
