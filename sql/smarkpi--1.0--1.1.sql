/* smarkpi 1.0 -> 1.1: the last definitions of issue 24 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION smarkpi UPDATE TO '1.1'" to load this file. \quit

-- ---- Growth: magic_number checks the spend of every row, the last one's too ----
COMMENT ON FUNCTION magic_number(numeric, numeric) IS
	'Window function over quarterly rows: SaaS magic number = (revenue - previous revenue) x 4 / previous sales_marketing_spend, double precision. NULL on the first row, with NULL inputs, or when the previous spend is 0. Errors: NaN or infinite amounts, a negative spend on any row, the last one included (22023).';

-- ---- Customer lifetime value: every cause of an unfitted model ----
COMMENT ON AGGREGATE clv_fit(smarkpi_rfm) IS
	'Maximum-likelihood BG/NBD fit over all customers and Gamma-Gamma fit over customers with frequency > 0 and a positive monetary value; returns a smarkpi_clv_model. A model that cannot be fitted has NULL parameters and converged false: fewer than 10 customers or no repeat buyer (BG/NBD), fewer than 10 repeat buyers with a positive monetary value or all with the same one (Gamma-Gamma), or a likelihood maximisation that does not converge or ends on a boundary solution (a parameter a factor 1e6 or more from its starting scale). Memory grows with distinct summaries, not customers. Errors: negative frequency, recency outside [0, t], t <= 0, negative monetary value (22023).';
COMMENT ON AGGREGATE clv(smarkpi_rfm) IS
	'Mean predicted customer lifetime value of the group over the next 12 months of 30 days at a monthly discount rate of 0.01, fitting BG/NBD and Gamma-Gamma on the group itself (currency). NULL when either model cannot be fitted (as clv_fit: too few customers or repeat buyers, no convergence, a boundary solution).';
COMMENT ON AGGREGATE clv(smarkpi_rfm, integer, double precision) IS
	'Mean predicted customer lifetime value of the group over the next months months of 30 days at monthly_discount_rate, fitting the models on the group itself (currency). NULL when either model cannot be fitted (as clv_fit: too few customers or repeat buyers, no convergence, a boundary solution). Errors: months < 0, discount rate <= -1, arguments differing between rows (22023).';
