-- The extension installs, at its version (every file includes sql/test_setup.inc).
\set ECHO none
\i sql/test_setup.inc
\set ECHO all
SELECT extname, extversion FROM pg_extension WHERE extname = 'smarkpi';
