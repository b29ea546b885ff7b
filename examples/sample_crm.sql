-- The sample company: Lumen Metrics, a B2B SaaS company selling an analytics
-- subscription, three years of its CRM (1 January 2022 to 31 December 2024).
-- The dashboard (examples/dashboard.sql) reviews 2024; 2022 and 2023 are the
-- history before it, so nothing in 2024 starts from an empty CRM.
--
-- How the data is made (README, "The sample company"):
--   leads      per month and channel: a base volume growing 2 % a month, events
--              seasonal; each lead may reach MQL, SAL and SQL, with channel-
--              specific rates and delays; sales responds within hours.
--   opportunities  one per SQL: an annual contract value (ACV) around the
--              channel's typical deal, won with the channel's win rate (lost deals
--              give a reason, a third "no decision"), closed after the channel's
--              cycle; a deal whose close falls after the data ends is open, in the
--              stage its age reaches, with that stage's probability.
--   customers  one per won deal, on one-year terms: at each renewal a customer
--              churns (channel rate) or renews flat, expanded or contracted.
--              Billing is monthly, quarterly or annual; some customers pay a
--              monthly usage overage.  mrr and invoices follow from the terms.
--   sm_spend   sales and marketing cost per month and channel: media (paid search,
--              social), programs (events, referral fees, content), people (sales
--              time per opportunity, commission on bookings, marketing per lead).
--   touches    each lead's marketing journey: first in its own channel, then
--              touches whose number and channels depend on the channel and the
--              outcome (won journeys see more direct visits and events).
--   surveys, campaigns, quotas: customers' NPS and CSAT, email, ad and social
--              campaign counts, and the sales plan.
--   opportunity_stage_history  each deal's stage changes, from discovery at its
--              creation through demo, proposal and negotiation to closed_won or
--              closed_lost at its close (an open deal ends in its stage): lost
--              deals leave from the stage their loss reason puts them in, a few
--              skip demo, a few go back one stage once.
--   opportunity_history  each deal's snapshots (amount, expected close date,
--              outcome open, won or lost), each in effect until the next: open
--              at creation with a planned close date, about a change a month
--              (amount re-estimated, close date pushed out, rarely pulled in),
--              the final amount and outcome at the close.
-- Every random draw is a hash of the row's key (sim_u, below): the same rows
-- on every run, machine and PostgreSQL major, whatever plan a query gets.
SET timezone = 'UTC';

-- ---- Draws: uniform (0, 1) and standard normal from a key ----
CREATE FUNCTION sim_u(key text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
	$$ SELECT (('x' || substr(md5(key), 1, 13))::bit(52)::bigint + 0.5) / 4503599627370496.0 $$;
CREATE FUNCTION sim_z(key text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
	$$ SELECT sqrt(-2 * ln(sim_u(key || '/a'))) * cos(2 * pi() * sim_u(key || '/b')) $$;
-- a positive draw with the given mean and log-scale spread
CREATE FUNCTION sim_lognormal(key text, mean float8, sigma float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS
	$$ SELECT mean * exp(sigma * sim_z(key) - sigma * sigma / 2) $$;

-- ---- The channels and their economics ----
CREATE TABLE channels (
	channel text PRIMARY KEY,
	marketing_sourced boolean NOT NULL,	-- referral leads come from customers and partners
	lead_share float8, mql_rate float8, sal_rate float8, sql_rate float8,
	mql_days float8, response_hours float8, win_rate float8, acv numeric, cycle_days float8,
	annual_churn float8, media_per_lead numeric, programs_per_lead numeric, nps_shift float8);
INSERT INTO channels VALUES
	('paid_search', true,  0.45, 0.40, 0.70, 0.45, 2.0, 3.0, 0.22, 20000, 45, 0.18, 170, 15, 0.0),
	('social',      true,  0.30, 0.35, 0.65, 0.45, 4.0, 8.0, 0.20, 17000, 50, 0.25,  85, 15, -0.4),
	('events',      true,  0.15, 0.60, 0.80, 0.55, 1.0, 2.0, 0.28, 34000, 80, 0.12,   0, 650, 0.3),
	('referral',    false, 0.10, 0.80, 0.85, 0.65, 0.5, 1.5, 0.40, 26000, 35, 0.08,   0, 0, 0.6);
-- events leads follow the conference calendar
CREATE TABLE event_season (month_of_year int PRIMARY KEY, factor float8);
INSERT INTO event_season VALUES (1, 0.5), (2, 1.0), (3, 1.3), (4, 1.2), (5, 1.4), (6, 0.8),
	(7, 0.4), (8, 0.5), (9, 1.3), (10, 1.5), (11, 1.2), (12, 0.6);
CREATE TABLE stages (stage text PRIMARY KEY, stage_order int, probability float8);
INSERT INTO stages VALUES ('discovery', 1, 0.10), ('demo', 2, 0.20), ('proposal', 3, 0.40),
	('negotiation', 4, 0.70), ('closed_won', 5, 1), ('closed_lost', 6, 0);

-- the data's period: every date in the tables is before data_end
CREATE FUNCTION data_start() RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT '2022-01-01 00:00+00'::timestamptz $$;
CREATE FUNCTION data_end() RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT '2025-01-01 00:00+00'::timestamptz $$;
CREATE FUNCTION before_end(t timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
	$$ SELECT CASE WHEN t < data_end() THEN t END $$;

-- ---- Leads: created, then MQL, SAL and SQL while they progress ----
CREATE TABLE leads (
	lead_id int PRIMARY KEY, channel text NOT NULL REFERENCES channels,
	created_at timestamptz NOT NULL, mql_at timestamptz, sal_at timestamptz, sql_at timestamptz,
	responded_at timestamptz);
INSERT INTO leads
WITH volume AS (
	SELECT m::date AS month, c.channel,
		   round(290 * c.lead_share * 1.02 ^ (12 * (extract(year FROM m) - 2022) + extract(month FROM m) - 1)
				 * CASE WHEN c.channel = 'events' THEN s.factor ELSE 1 END
				 * (0.9 + 0.2 * sim_u('volume/' || m::date || '/' || c.channel)))::int AS n
	FROM generate_series(data_start(), data_end() - interval '1 month', interval '1 month') m
	CROSS JOIN channels c
	JOIN event_season s ON s.month_of_year = extract(month FROM m)),
drawn AS (
	SELECT v.channel, v.month + sim_u(k) * (v.month + interval '1 month' - v.month) AS created_at, k AS key
	FROM volume v, generate_series(1, v.n) i, LATERAL (SELECT 'lead/' || v.month || '/' || v.channel || '/' || i AS k) kk),
funnel AS (
	SELECT d.*, c.mql_rate, c.sal_rate, c.sql_rate, c.response_hours,
		   d.created_at + sim_lognormal(key || '/mql', c.mql_days, 0.8) * interval '1 day' AS mql_t,
		   sim_lognormal(key || '/sal', 1.5, 0.7) * interval '1 day' AS sal_wait,
		   sim_lognormal(key || '/sql', 8, 0.6) * interval '1 day' AS sql_wait,
		   sim_u(key || '/reach') AS u_reach, sim_u(key || '/sal?') AS u_sal, sim_u(key || '/sql?') AS u_sql
	FROM drawn d JOIN channels c USING (channel)),
steps AS (
	SELECT f.*, CASE WHEN u_reach < mql_rate THEN before_end(mql_t) END AS mql_at
	FROM funnel f),
steps2 AS (
	SELECT s.*, CASE WHEN u_sal < sal_rate THEN before_end(mql_at + sal_wait) END AS sal_at FROM steps s),
steps3 AS (
	SELECT s.*, CASE WHEN u_sql < sql_rate THEN before_end(sal_at + sql_wait) END AS sql_at FROM steps2 s)
SELECT row_number() OVER (ORDER BY created_at, key)::int, channel, created_at, mql_at, sal_at, sql_at,
	   -- sales answers most leads within hours, a few never
	   CASE WHEN sim_u(key || '/answered') < 0.96
			THEN before_end(created_at + sim_lognormal(key || '/response', response_hours, 1.0) * interval '1 hour') END
FROM steps3;

-- ---- Opportunities: one per SQL ----
CREATE TABLE opportunities (
	opp_id int PRIMARY KEY, lead_id int NOT NULL REFERENCES leads, channel text NOT NULL,
	created_at timestamptz NOT NULL, closed_at timestamptz, amount numeric(12, 2) NOT NULL, won boolean,
	stage text NOT NULL REFERENCES stages, probability float8 NOT NULL, loss_reason text,
	marketing_sourced boolean NOT NULL);
INSERT INTO opportunities
WITH drawn AS (
	SELECT l.lead_id, l.channel, l.sql_at AS created_at, c.marketing_sourced,
		   round((c.acv * exp(0.45 * sim_z('acv/' || l.lead_id) - 0.1))::numeric, -2) AS amount,
		   sim_u('win/' || l.lead_id) < c.win_rate AS wins,
		   -- lost deals end a little sooner than won ones
		   greatest(5, sim_lognormal('cycle/' || l.lead_id, c.cycle_days, 0.5)) AS planned_days,
		   sim_u('loss/' || l.lead_id) AS u_loss
	FROM leads l JOIN channels c USING (channel) WHERE l.sql_at IS NOT NULL),
timed AS (
	SELECT d.*, created_at + planned_days * CASE WHEN wins THEN 1 ELSE 0.85 END * interval '1 day' AS close_t
	FROM drawn d)
SELECT row_number() OVER (ORDER BY created_at, lead_id)::int, lead_id, channel, created_at,
	   before_end(close_t), amount,
	   CASE WHEN close_t < data_end() THEN wins END,
	   s.stage, s.probability,
	   CASE WHEN close_t < data_end() AND NOT wins
			THEN CASE WHEN u_loss < 0.35 THEN 'no decision' WHEN u_loss < 0.65 THEN 'competitor'
					  WHEN u_loss < 0.85 THEN 'price' ELSE 'timing' END END,
	   marketing_sourced
FROM timed
-- an open deal is in the stage its age has reached
CROSS JOIN LATERAL (SELECT CASE WHEN close_t >= data_end()
							   THEN (ARRAY['discovery', 'demo', 'proposal', 'negotiation'])[
										1 + least(3, floor(4 * extract(epoch FROM data_end() - created_at)
															/ extract(epoch FROM close_t - created_at))::int)]
							   WHEN wins THEN 'closed_won' ELSE 'closed_lost' END AS stage) st
JOIN stages s USING (stage);

-- ---- Customers and their subscriptions ----
-- One customer per won deal, on one-year terms whose acv (annual contract
-- value) starts at the deal's amount and changes at each renewal: 45 % expand
-- (x 1.10 to 1.60), 8 % contract (x 0.80 to 0.95), the rest renew flat.
-- Customers cancel at the end of a billing period: monthly plans any month,
-- quarterly ones at a quarter's end, annual ones at a renewal, each customer
-- with its own propensity around the channel's annual churn rate.
CREATE TABLE customers (
	customer_id int PRIMARY KEY, opp_id int NOT NULL REFERENCES opportunities, channel text NOT NULL,
	won_on date NOT NULL, billing text NOT NULL, pays_overage boolean NOT NULL, churned_on date);
CREATE TABLE subscription_terms (
	customer_id int REFERENCES customers, term int, starts_on date, acv numeric(12, 2),
	PRIMARY KEY (customer_id, term));
INSERT INTO customers
SELECT opp_id, opp_id, channel, closed_at::date,
	   CASE WHEN sim_u('billing/' || opp_id) < 0.40 THEN 'monthly'
			WHEN sim_u('billing/' || opp_id) < 0.65 THEN 'quarterly' ELSE 'annual' END,
	   sim_u('overage/' || opp_id) < 0.30, NULL
FROM opportunities WHERE won;
-- the month (after the start) in which each customer cancels, if it does before the data ends
WITH periods AS (
	SELECT c.customer_id, m, c.won_on,
		   sim_u('cancel/' || c.customer_id || '/' || m) < ch.annual_churn / 4
			   * exp(0.8 * sim_z('risk/' || c.customer_id) - 0.32) AS cancels
	FROM customers c JOIN channels ch USING (channel)
	CROSS JOIN generate_series(1, 36) m
	WHERE m % CASE c.billing WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 ELSE 12 END = 0
	  AND c.won_on + m * interval '1 month' < data_end())
UPDATE customers c SET churned_on = (c.won_on + p.first_month * interval '1 month')::date
FROM (SELECT customer_id, min(m) AS first_month FROM periods WHERE cancels GROUP BY 1) p
WHERE p.customer_id = c.customer_id;
WITH renewals AS (
	SELECT c.customer_id, k AS term, (c.won_on + k * interval '1 year')::date AS starts_on, o.amount,
		   CASE WHEN k = 0 THEN 1
				WHEN sim_u('renew/' || c.customer_id || '/' || k) < 0.45
					THEN 1.10 + 0.50 * sim_u('expand/' || c.customer_id || '/' || k)
				WHEN sim_u('renew/' || c.customer_id || '/' || k) < 0.53
					THEN 0.80 + 0.15 * sim_u('contract/' || c.customer_id || '/' || k)
				ELSE 1 END AS factor
	FROM customers c JOIN opportunities o USING (opp_id)
	CROSS JOIN generate_series(0, 3) k
	WHERE c.won_on + k * interval '1 year' < least(data_end(), c.churned_on))
INSERT INTO subscription_terms
SELECT customer_id, term, starts_on,
	   round(amount * exp(sum(ln(factor)) OVER (PARTITION BY customer_id ORDER BY term))::numeric, -2)
FROM renewals;

-- monthly recurring revenue: the term's acv / 12 in each month the customer has
-- (the month a term's month starts in); arr is the term's acv, so ARR sums without rounding
CREATE TABLE mrr (customer_id int, month date, mrr numeric(12, 2), arr numeric(12, 2),
				  PRIMARY KEY (customer_id, month));
INSERT INTO mrr
SELECT t.customer_id, date_trunc('month', t.starts_on + i * interval '1 month')::date, round(t.acv / 12, 2), t.acv
FROM subscription_terms t JOIN customers c USING (customer_id) CROSS JOIN generate_series(0, 11) i
WHERE t.starts_on + i * interval '1 month' < least(data_end(), c.churned_on);

-- invoices: the subscription at the customer's billing cadence, in advance,
-- plus usage overage (30 % of customers, in about a third of their months)
CREATE TABLE invoices (
	invoice_id int PRIMARY KEY, customer_id int REFERENCES customers, channel text,
	invoiced_on date NOT NULL, kind text NOT NULL, amount numeric(12, 2) NOT NULL);
INSERT INTO invoices
SELECT row_number() OVER (ORDER BY invoiced_on, customer_id, kind)::int, customer_id, channel, invoiced_on, kind, amount
FROM (SELECT t.customer_id, c.channel, (t.starts_on + i * interval '1 month')::date AS invoiced_on,
			 'subscription' AS kind,
			 round(t.acv * CASE c.billing WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 ELSE 12 END / 12, 2) AS amount
	  FROM subscription_terms t JOIN customers c USING (customer_id) CROSS JOIN generate_series(0, 11) i
	  WHERE i % CASE c.billing WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 ELSE 12 END = 0
		AND t.starts_on + i * interval '1 month' < least(data_end(), c.churned_on)
	  UNION ALL
	  SELECT t.customer_id, c.channel, (t.starts_on + i * interval '1 month' + interval '20 days')::date, 'overage',
			 round(t.acv / 12 * (0.05 + 0.25 * sim_u('usage/' || t.customer_id || '/' || t.term || '/' || i))::numeric, 2)
	  FROM subscription_terms t JOIN customers c USING (customer_id) CROSS JOIN generate_series(0, 11) i
	  WHERE c.pays_overage AND sim_u('overage/' || t.customer_id || '/' || t.term || '/' || i) < 0.35
		AND t.starts_on + i * interval '1 month' + interval '20 days' < least(data_end(), c.churned_on)) i;

-- ---- Sales and marketing cost per month and channel ----
CREATE TABLE sm_spend (month date, channel text REFERENCES channels, cost_type text, amount numeric(12, 2),
					   PRIMARY KEY (month, channel, cost_type));
INSERT INTO sm_spend
WITH activity AS (
	SELECT m::date AS month, c.channel, c.media_per_lead, c.programs_per_lead, c.lead_share,
		   12 * (extract(year FROM m) - 2022) + extract(month FROM m) - 1 AS month_index,
		   (SELECT count(*) FROM leads l WHERE l.channel = c.channel AND l.created_at >= m
			   AND l.created_at < m + interval '1 month') AS leads,
		   (SELECT count(*) FROM opportunities o WHERE o.channel = c.channel AND o.created_at >= m
			   AND o.created_at < m + interval '1 month') AS opps,
		   (SELECT coalesce(sum(amount), 0) FROM opportunities o WHERE o.channel = c.channel AND o.won
			   AND o.closed_at >= m AND o.closed_at < m + interval '1 month') AS bookings
	FROM generate_series(data_start(), data_end() - interval '1 month', interval '1 month') m CROSS JOIN channels c)
SELECT month, channel, cost_type, round(amount, 2)
FROM (SELECT *, sum(opps) OVER (PARTITION BY month) AS month_opps FROM activity) a
CROSS JOIN LATERAL (VALUES
	('media', a.leads * a.media_per_lead * (0.9 + 0.2 * sim_u('media/' || a.month || '/' || a.channel))::numeric),
	-- events: booths and travel; referral: a 10 % fee on the first year's contract
	('programs', a.leads * a.programs_per_lead + CASE WHEN a.channel = 'referral' THEN 0.10 * a.bookings ELSE 0 END),
	-- sales time per opportunity, 12 % commission on bookings, marketing team per lead, and
	-- the leadership and operations team (80,000 a month, growing with the company) by share
	-- of the month's opportunities
	('people', 2500 * a.opps + 0.12 * a.bookings + 100 * a.leads
			   + (80000 * 1.02 ^ a.month_index)::numeric * a.opps / a.month_opps)) AS cost(cost_type, amount);

-- media spend and new customers per channel and month (the classic ad-spend table)
CREATE VIEW ad_spend AS
SELECT s.month, s.channel, s.amount AS spend,
	   (SELECT count(*) FROM customers c WHERE c.channel = s.channel
		   AND date_trunc('month', c.won_on) = s.month) AS new_customers
FROM sm_spend s WHERE s.cost_type = 'media';

-- ---- Quotas: the sales plan per month and channel ----
CREATE TABLE quotas (month date, channel text REFERENCES channels, quota numeric(12, 2),
					 PRIMARY KEY (month, channel));
INSERT INTO quotas
SELECT m::date, c.channel,
	   round((290 * c.lead_share * 1.02 ^ (12 * (extract(year FROM m) - 2022) + extract(month FROM m) - 3)
			  * c.mql_rate * c.sal_rate * c.sql_rate * c.win_rate * c.acv * 1.05)::numeric, -3)
FROM generate_series(data_start(), data_end() - interval '1 month', interval '1 month') m CROSS JOIN channels c;

-- ---- Customer surveys: NPS and CSAT twice a year while a customer ----
CREATE TABLE surveys (response_id int PRIMARY KEY, customer_id int REFERENCES customers, channel text,
					  answered_at timestamptz, nps_score int, csat_score int);
INSERT INTO surveys
SELECT row_number() OVER (ORDER BY answered_at, customer_id)::int, customer_id, channel, answered_at,
	   least(10, greatest(0, round(8.3 + nps_shift + 2.0 * sim_z('nps/' || key))))::int,
	   least(5, greatest(1, round(4.1 + nps_shift / 3 + 0.8 * sim_z('csat/' || key))))::int
FROM (SELECT c.customer_id, c.channel, ch.nps_shift, c.customer_id || '/' || k AS key,
			 c.won_on + (k * 182 + 60) * interval '1 day' + sim_u('survey/' || c.customer_id || '/' || k) * interval '30 days'
				 AS answered_at
	  FROM customers c JOIN channels ch USING (channel) CROSS JOIN generate_series(0, 5) k) s
WHERE answered_at < data_end()
  AND answered_at < coalesce((SELECT churned_on FROM customers c WHERE c.customer_id = s.customer_id), data_end())
  AND sim_u('answers/' || key) < 0.6;

-- ---- Campaigns: email sends, ad impressions and social reach per month and channel ----
CREATE TABLE campaigns (month date, channel text REFERENCES channels, delivered bigint, opened bigint,
						impressions bigint, clicks bigint, reach bigint, engagements bigint,
						PRIMARY KEY (month, channel));
INSERT INTO campaigns
SELECT month, channel, delivered, (delivered * (0.18 + 0.12 * sim_u('open/' || key)))::bigint,
	   impressions, (impressions * (0.01 + 0.03 * sim_u('click/' || key)))::bigint,
	   reach, (reach * (0.02 + 0.06 * sim_u('engage/' || key)))::bigint
FROM (SELECT m::date AS month, channel, m::date || '/' || channel AS key,
			 (5000 + 5000 * sim_u('sent/' || m::date || '/' || channel))::bigint AS delivered,
			 (40000 + 60000 * sim_u('shown/' || m::date || '/' || channel))::bigint AS impressions,
			 (10000 + 20000 * sim_u('reach/' || m::date || '/' || channel))::bigint AS reach
	  FROM generate_series(data_start(), data_end() - interval '1 month', interval '1 month') m, channels) s;

-- ---- Touches: each lead's marketing journey, up to its close ----
-- The first touch is in the lead's channel, up to two weeks before it was
-- created; later touches number more for deals that went further, and won
-- journeys see more demos (events) and direct visits (pricing page), lost and
-- stalled ones more nurture email and social.
CREATE TABLE touches (touch_id int PRIMARY KEY, lead_id int REFERENCES leads, channel text,
					  touched_at timestamptz NOT NULL);
INSERT INTO touches
WITH journeys AS (
	SELECT l.lead_id, l.channel, o.won,
		   greatest(data_start(), l.created_at - sim_u('first/' || l.lead_id) * interval '14 days') AS first_at,
		   coalesce(o.closed_at,
					least(coalesce(l.sql_at, l.created_at) + interval '30 days', data_end() - interval '1 second')) AS last_at,
		   CASE WHEN o.won THEN 3 + floor(5 * sim_u('n/' || l.lead_id))
				WHEN o.opp_id IS NOT NULL THEN 2 + floor(4 * sim_u('n/' || l.lead_id))
				ELSE floor(3 * sim_u('n/' || l.lead_id)) END::int AS later
	FROM leads l LEFT JOIN opportunities o USING (lead_id)),
later AS (
	SELECT j.lead_id, j.first_at + sim_u('t/' || j.lead_id || '/' || k) * (j.last_at - j.first_at) AS touched_at,
		   CASE WHEN u < 0.30 THEN j.channel
				WHEN j.won THEN CASE WHEN u < 0.55 THEN 'direct' WHEN u < 0.75 THEN 'events'
									 WHEN u < 0.90 THEN 'email' ELSE 'organic' END
				ELSE CASE WHEN u < 0.60 THEN 'email' WHEN u < 0.75 THEN 'social'
						  WHEN u < 0.88 THEN 'organic' ELSE 'direct' END END AS channel
	FROM journeys j CROSS JOIN generate_series(1, j.later) k
	CROSS JOIN LATERAL (SELECT sim_u('c/' || j.lead_id || '/' || k) AS u) d),
all_touches AS (
	SELECT lead_id, first_at AS touched_at, channel, 0 AS k FROM journeys
	UNION ALL SELECT lead_id, touched_at, channel, 1 FROM later)
SELECT row_number() OVER (ORDER BY lead_id, touched_at, k)::int, lead_id, channel, touched_at
FROM all_touches;

-- ---- Deal histories: each opportunity's stage changes and snapshots ----
-- opportunity_stage_history: a row each time a deal enters a stage, from
-- discovery at its creation through demo, proposal and negotiation to
-- closed_won or closed_lost at its close; an open deal ends in its current
-- stage.  Won deals pass negotiation; lost ones leave from where their loss
-- reason puts them (price late, no decision and timing mostly early), so the
-- stages after are never entered.  8 % of the deals that reach proposal skip
-- demo; 5 % of those that reach a second stage (and skip none) go back one
-- stage once and return.  The time between creation and close (or data_end
-- for open deals) is shared among the visits by a draw per visit.
CREATE TABLE opportunity_stage_history (
	opp_id int REFERENCES opportunities, changed_at timestamptz, stage text NOT NULL REFERENCES stages,
	PRIMARY KEY (opp_id, changed_at));
INSERT INTO opportunity_stage_history
WITH deals AS (
	SELECT o.opp_id, o.created_at, o.closed_at, coalesce(o.closed_at, data_end()) AS end_at,
		   -- the last of discovery (1) .. negotiation (4) the deal reaches
		   CASE WHEN o.closed_at IS NULL THEN s.stage_order
				WHEN o.won THEN 4
				WHEN o.loss_reason = 'price' THEN 3 + (u >= 0.5)::int
				WHEN o.loss_reason = 'competitor' THEN 2 + (u >= 0.4)::int + (u >= 0.8)::int
				ELSE 1 + (u >= 0.45)::int + (u >= 0.75)::int + (u >= 0.92)::int END AS last_k,
		   sim_u('path/skip/' || o.opp_id) < 0.08 AS skips_demo,
		   sim_u('path/back/' || o.opp_id) < 0.05 AS goes_back
	FROM opportunities o JOIN stages s USING (stage)
	CROSS JOIN LATERAL (SELECT sim_u('path/last/' || o.opp_id) AS u) d),
path AS (	-- the stages entered in order, n-th of m
	SELECT d.*, k, lag(k) OVER w AS prev_k, row_number() OVER w AS n, count(*) OVER (PARTITION BY opp_id) AS m
	FROM deals d JOIN generate_series(1, 4) k ON k <= d.last_k
	WHERE NOT (k = 2 AND d.skips_demo AND d.last_k >= 3)
	WINDOW w AS (PARTITION BY opp_id ORDER BY k)),
visits AS (	-- a deal going back from its n-th stage re-enters the one before, then the n-th again
	SELECT opp_id, created_at, end_at, k, 10 * n AS seq FROM path
	UNION ALL
	SELECT p.opp_id, p.created_at, p.end_at, x.k, 10 * p.n + x.j
	FROM path p CROSS JOIN LATERAL (VALUES (p.prev_k, 1), (p.k, 2)) x(k, j)
	WHERE p.goes_back AND NOT p.skips_demo AND p.n = 2 + floor((p.m - 1) * sim_u('path/back_at/' || p.opp_id))),
timed AS MATERIALIZED (
	SELECT v.*, sim_lognormal('path/days/' || v.opp_id || '/' || v.seq,
							  CASE WHEN v.seq % 10 > 0 THEN 0.4 ELSE (ARRAY[1.0, 0.7, 1.3, 1.0])[v.k] END, 0.6) AS w
	FROM visits v)
SELECT t.opp_id,
	   t.created_at + (t.end_at - t.created_at)
		   * (sum(t.w) OVER (PARTITION BY t.opp_id ORDER BY t.seq) - t.w)
		   / sum(t.w) OVER (PARTITION BY t.opp_id ORDER BY t.seq ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
	   s.stage
FROM timed t JOIN stages s ON s.stage_order = t.k
UNION ALL
SELECT opp_id, closed_at, stage FROM opportunities WHERE closed_at IS NOT NULL;

-- opportunity_history: snapshots of each deal (amount, expected close date,
-- outcome), each in effect from valid_from until the deal's next row.  The
-- first at creation: open, the amount within about 15 % of the final one, a
-- close date the channel's cycle ahead (reps plan a little short).  Then about
-- one change a month: the amount re-estimated toward the final one, the close
-- date pushed out (always when it has passed) or, rarely, pulled in.  The last
-- row of a closed deal is at its close (won or lost, the final amount); an
-- open deal's last row has its final amount, its close date may be in 2025.
CREATE TABLE opportunity_history (
	opp_id int REFERENCES opportunities, valid_from timestamptz, amount numeric(12, 2) NOT NULL,
	close_date date NOT NULL, outcome text NOT NULL, PRIMARY KEY (opp_id, valid_from));
INSERT INTO opportunity_history
WITH RECURSIVE deals AS (
	SELECT o.opp_id, o.created_at, o.closed_at, o.amount, o.won, coalesce(o.closed_at, data_end()) AS end_at,
		   least(5, floor(extract(epoch FROM coalesce(o.closed_at, data_end()) - o.created_at) / (30 * 86400)
						  + 1.5 * sim_u('snap/n/' || o.opp_id)))::int AS changes,
		   round(o.amount * exp(0.15 * sim_z('snap/amount/' || o.opp_id) - 0.01)::numeric, -2) AS first_amount,
		   o.created_at::date + round(sim_lognormal('snap/plan/' || o.opp_id, 0.8 * c.cycle_days, 0.4))::int AS first_close
	FROM opportunities o JOIN channels c USING (channel)),
changes AS (	-- change i of a deal's changes, at sorted draws of its life
	SELECT opp_id, row_number() OVER (PARTITION BY opp_id ORDER BY at, j)::int AS i, at
	FROM (SELECT d.opp_id, j, d.created_at + sim_u('snap/at/' || d.opp_id || '/' || j) * (d.end_at - d.created_at) AS at
		  FROM deals d JOIN generate_series(1, 5) j ON j <= d.changes) c),
snapshots (opp_id, i, valid_from, amount, close_date) AS (
	SELECT opp_id, 0, created_at, CASE WHEN changes = 0 AND closed_at IS NULL THEN amount ELSE first_amount END,
		   first_close
	FROM deals
	UNION ALL
	SELECT s.opp_id, c.i, c.at,
		   CASE WHEN d.closed_at IS NULL AND c.i = d.changes THEN d.amount	-- an open deal's latest estimate
				WHEN u >= 0.45 THEN s.amount
				ELSE round((d.first_amount + (d.amount - d.first_amount) * c.i / (d.changes + 1))
						   * exp(0.05 * sim_z('snap/re/' || s.opp_id || '/' || c.i))::numeric, -2) END,
		   CASE WHEN s.close_date <= c.at::date		-- the date has passed: pushed out
					THEN c.at::date + round(sim_lognormal('snap/push/' || s.opp_id || '/' || c.i, 21, 0.5))::int
				WHEN u < 0.45 THEN s.close_date
				WHEN u < 0.90 THEN s.close_date + round(sim_lognormal('snap/push/' || s.opp_id || '/' || c.i, 25, 0.5))::int
				ELSE greatest(c.at::date + 7,
							  s.close_date - round(sim_lognormal('snap/pull/' || s.opp_id || '/' || c.i, 14, 0.5))::int) END
	FROM snapshots s
	JOIN changes c ON c.opp_id = s.opp_id AND c.i = s.i + 1
	JOIN deals d ON d.opp_id = s.opp_id
	CROSS JOIN LATERAL (SELECT sim_u('snap/kind/' || s.opp_id || '/' || c.i) AS u) k)
SELECT opp_id, valid_from, amount, close_date, 'open' FROM snapshots
UNION ALL
SELECT opp_id, closed_at, amount, closed_at::date, CASE WHEN won THEN 'won' ELSE 'lost' END
FROM opportunities WHERE closed_at IS NOT NULL;

DROP FUNCTION sim_lognormal(text, float8, float8), sim_z(text), sim_u(text);
ANALYZE;
