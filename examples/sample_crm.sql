-- A deterministic sample CRM: leads moving through the funnel, opportunities,
-- and ad spend with new customers per channel and month (Jan-Jun 2024).
-- Seeded, so every run loads the same rows.
SET timezone = 'UTC';
SELECT setseed(0.2024);

CREATE TABLE channels (channel text PRIMARY KEY, mql_share float8, sal_share float8,
					   sql_share float8, win_share float8, deal_size numeric, cost_per_lead numeric);
INSERT INTO channels VALUES
	('paid_search', 0.55, 0.70, 0.45, 0.30, 12000, 95),
	('social',      0.40, 0.55, 0.35, 0.22,  8000, 60),
	('events',      0.70, 0.80, 0.60, 0.38, 25000, 310),
	('referral',    0.75, 0.85, 0.65, 0.45, 18000, 40);

-- Leads: created_at, then MQL, SAL and SQL timestamps while they progress.
CREATE TABLE leads (
	lead_id int PRIMARY KEY, channel text REFERENCES channels,
	created_at timestamptz NOT NULL, mql_at timestamptz, sal_at timestamptz, sql_at timestamptz,
	responded_at timestamptz);
INSERT INTO leads (lead_id, channel, created_at, mql_at, sal_at, sql_at)
SELECT i, c.channel, created_at,
	   CASE WHEN r1 < c.mql_share THEN created_at + r2 * interval '5 days' END,
	   CASE WHEN r1 < c.mql_share AND r3 < c.sal_share
			THEN created_at + r2 * interval '5 days' + r4 * interval '4 days' END,
	   CASE WHEN r1 < c.mql_share AND r3 < c.sal_share AND r5 < c.sql_share
			THEN created_at + r2 * interval '5 days' + r4 * interval '4 days' + r5 * interval '10 days' END
FROM (SELECT i, (ARRAY['paid_search', 'social', 'events', 'referral'])[1 + (i % 4)] AS channel,
			 '2024-01-01'::timestamptz + random() * interval '181 days' AS created_at,
			 random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
	  FROM generate_series(1, 4000) i) l
JOIN channels c USING (channel);

-- First response by sales: minutes to days, faster for events and referrals.
UPDATE leads SET responded_at = created_at
	+ (CASE WHEN channel IN ('events', 'referral') THEN 0.3 ELSE 1 END) * (random() ^ 3) * interval '3 days'
WHERE lead_id % 10 <> 0;

-- Opportunities from sales-qualified leads: open, won or lost.
CREATE TABLE opportunities (
	opp_id serial PRIMARY KEY, lead_id int REFERENCES leads, channel text,
	created_at timestamptz NOT NULL, closed_at timestamptz, amount numeric(12, 2), won boolean,
	probability float8, marketing_sourced boolean);
INSERT INTO opportunities (lead_id, channel, created_at, closed_at, amount, won)
SELECT lead_id, channel, sql_at,
	   CASE WHEN closes THEN sql_at + (7 + r * 80) * interval '1 day' END,
	   round((deal_size * (0.4 + random() * 1.2))::numeric, 2),
	   CASE WHEN closes THEN random() < win_share / 0.8 END
FROM (SELECT l.*, c.deal_size, c.win_share, random() AS r, random() < 0.8 AS closes
	  FROM leads l JOIN channels c USING (channel) WHERE sql_at IS NOT NULL ORDER BY lead_id) s;
-- deals that would close after the end of the data are still open
UPDATE opportunities SET closed_at = NULL, won = NULL WHERE closed_at > '2024-07-01';
-- stage probability of open deals; referrals are sourced by sales, the rest by marketing
UPDATE opportunities SET probability = CASE WHEN won IS NULL THEN round((0.1 + random() * 0.8)::numeric, 2)::float8
											 WHEN won THEN 1 ELSE 0 END,
						 marketing_sourced = channel <> 'referral';

-- Ad spend and new customers per channel and month.
CREATE TABLE ad_spend (month date, channel text REFERENCES channels, spend numeric(12, 2),
					   new_customers bigint, PRIMARY KEY (month, channel));
INSERT INTO ad_spend
SELECT m.month, c.channel,
	   round(c.cost_per_lead * (SELECT count(*) FROM leads l WHERE l.channel = c.channel
								AND date_trunc('month', l.created_at) = m.month)
			 * (0.9 + random() * 0.2)::numeric, 2),
	   (SELECT count(*) FROM opportunities o WHERE o.channel = c.channel AND o.won
		AND date_trunc('month', o.closed_at) = m.month)
FROM generate_series('2024-01-01'::date, '2024-06-01', interval '1 month') m(month)
CROSS JOIN channels c;

-- Survey answers: NPS (0-10) and CSAT (1-5) from customers, by channel and month.
CREATE TABLE surveys (response_id int PRIMARY KEY, channel text REFERENCES channels, answered_at timestamptz,
					  nps_score int, csat_score int);
INSERT INTO surveys
SELECT i, (ARRAY['paid_search', 'social', 'events', 'referral'])[1 + (i % 4)],
	   '2024-01-01'::timestamptz + random() * interval '181 days',
	   least(10, greatest(0, round(7 + (i % 4) * 0.6 + (random() - 0.5) * 8)))::int,
	   least(5, greatest(1, round(3.4 + (i % 4) * 0.25 + (random() - 0.5) * 3)))::int
FROM generate_series(1, 1200) i;

-- Email campaigns and social posts per channel and month.
CREATE TABLE campaigns (month date, channel text REFERENCES channels, delivered bigint, opened bigint,
						impressions bigint, clicks bigint, reach bigint, engagements bigint,
						PRIMARY KEY (month, channel));
INSERT INTO campaigns
SELECT month, channel, delivered, (delivered * (0.18 + random() * 0.12))::bigint,
	   impressions, (impressions * (0.01 + random() * 0.03))::bigint,
	   reach, (reach * (0.02 + random() * 0.06))::bigint
FROM (SELECT m::date AS month, channel, (5000 + random() * 5000)::bigint AS delivered,
			 (40000 + random() * 60000)::bigint AS impressions, (10000 + random() * 20000)::bigint AS reach
	  FROM generate_series('2024-01-01'::date, '2024-06-01', interval '1 month') m, channels) s;

-- Sales quotas per channel team and month.
CREATE TABLE quotas (month date, channel text REFERENCES channels, quota numeric(12, 2),
					 PRIMARY KEY (month, channel));
INSERT INTO quotas
SELECT m::date, channel, round(deal_size * 18 * (0.8 + random() * 0.4)::numeric, -3)
FROM generate_series('2024-01-01'::date, '2024-06-01', interval '1 month') m, channels;

-- Customer activity: customers won in Q1 and whether each was active in Q1 and Q2.
CREATE TABLE customer_activity (opp_id int PRIMARY KEY, channel text, active_q1 boolean, active_q2 boolean);
INSERT INTO customer_activity
SELECT opp_id, channel, true, random() < CASE channel WHEN 'referral' THEN 0.92 WHEN 'events' THEN 0.85 ELSE 0.75 END
FROM opportunities WHERE won AND closed_at < '2024-04-01';

-- Orders of the customers won from each deal: the first on the close date,
-- then repeat orders at a customer-specific rate until the customer lapses
-- (a buy-till-you-die process), up to the end of June.
\ir simulate.sql
CREATE TABLE orders (order_id serial PRIMARY KEY, customer_id int, channel text, ordered_at timestamptz,
					 amount numeric(10, 2));
DO $$
DECLARE
	o record;
	t timestamptz;
	rate float8;
	lapse float8;
	spend float8;
BEGIN
	FOR o IN SELECT opp_id, channel, closed_at, amount FROM opportunities WHERE won ORDER BY opp_id LOOP
		rate := sim_gamma(0.8, 15);			-- orders per day
		lapse := 1 / (1 + sim_gamma(2.5, 1) / sim_gamma(0.7, 1));
		spend := o.amount::float8 / 40;
		t := o.closed_at;
		LOOP
			INSERT INTO orders (customer_id, channel, ordered_at, amount)
			VALUES (o.opp_id, o.channel, t, round((spend * sim_gamma(6, 6))::numeric, 2));
			EXIT WHEN random() < lapse;
			t := t + (-ln(1 - random()) / rate) * interval '1 day';
			EXIT WHEN t >= '2024-07-01';
		END LOOP;
	END LOOP;
END $$;
\ir simulate_drop.sql

-- Marketing touches of each lead, the journeys attribution credits: the first in
-- the channel that brought the lead, up to two weeks before it was created, then
-- 0-5 more in any channel (email, organic and direct visits included) until ten
-- days after the deal closed (touches after a conversion earn no credit).  The
-- draws are numbered first, so the rows do not depend on the join's plan.
CREATE TEMP TABLE lead_draws AS
SELECT i AS lead_id, random() AS r_first, 1 + floor(random() * 6)::int AS n FROM generate_series(1, 4000) i;
CREATE TEMP TABLE touch_draws AS
SELECT i, random() AS r_channel, random() AS r_time FROM generate_series(1, 4000 * 6) i;
CREATE TABLE touches (touch_id serial PRIMARY KEY, lead_id int REFERENCES leads, channel text,
					  touched_at timestamptz);
INSERT INTO touches (lead_id, channel, touched_at)
SELECT lead_id,
	   CASE WHEN k = 1 THEN channel
			ELSE (ARRAY['paid_search', 'social', 'email', 'events', 'organic', 'direct'])[1 + floor(r_channel * 6)::int] END,
	   CASE WHEN k = 1 THEN first_at ELSE first_at + r_time * (last_at - first_at) END
FROM (SELECT l.lead_id, l.channel, d.n, l.created_at - d.r_first * interval '14 days' AS first_at,
			 coalesce(o.closed_at, l.sql_at, l.created_at + interval '30 days') + interval '10 days' AS last_at
	  FROM leads l JOIN lead_draws d USING (lead_id) LEFT JOIN opportunities o USING (lead_id)) j
	 CROSS JOIN LATERAL generate_series(1, j.n) k
	 JOIN touch_draws t ON t.i = (j.lead_id - 1) * 6 + k
ORDER BY lead_id, k;
DROP TABLE lead_draws, touch_draws;

ANALYZE;
