-- Generated customer journeys for the Markov attribution benchmarks: 1-8
-- touches over 10 channels, channel k drawn with weight ~ 1/k; 25 % convert,
-- with a value.  Seeded.  psql variable :rows.
SELECT setseed(0.2026);
CREATE TABLE journeys AS
SELECT i AS id, i % 30 AS day,
	ARRAY(SELECT 'channel_' || least(10, 1 + floor(-ln(1 - random()) * 3)::int)
		  FROM generate_series(1, 1 + ((i::bigint * 7919) % 8)::int) g WHERE g > 0 * i) AS path,
	random() < 0.25 AS converted,
	round((random() * 2000)::numeric, 2) AS value
FROM generate_series(1, :rows) i;
VACUUM ANALYZE journeys;
