-- markov_attribution (placeholder until the family lands).
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SELECT 1 AS placeholder;
