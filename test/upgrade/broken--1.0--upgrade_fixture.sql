-- A wrong upgrade, on purpose: test/upgrade.sh must catch it.  It forgets a
-- parallel label and rewords a comment, as a hurried upgrade script might.
ALTER FUNCTION days(interval) PARALLEL RESTRICTED;
COMMENT ON AGGREGATE win_rate(boolean) IS 'win rate';
