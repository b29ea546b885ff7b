-- markov_attribution: exact Markov removal effects, checked against hand-solved chains.
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SELECT markov_attribution(p, c) FROM (VALUES ('{A,B}'::text[], true), ('{A}', false), ('{B}', true)) v(p, c);
SELECT * FROM attribution_shares((SELECT markov_attribution(p, c) FROM (VALUES ('{A,B}'::text[], true), ('{A}', false), ('{B}', true)) v(p, c)));
