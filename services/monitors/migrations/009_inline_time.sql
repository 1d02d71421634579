-- The time helpers of migration 001 were declared IMMUTABLE, but their bodies
-- use timestamptz arithmetic, extract() and to_char(), which are STABLE (they
-- depend on the session's time zone). PostgreSQL never inlines a function
-- whose body is more volatile than its declaration, so every call went
-- through the SQL-function executor (a fifth of a millisecond per hundred
-- calls, planned again in every statement: profiled in the store statement,
-- which calls them per result). Declared as what they are, they are inlined.
-- Nothing indexes on them.
ALTER FUNCTION monitors.iso(timestamptz) STABLE;
ALTER FUNCTION monitors.from_ms(bigint) STABLE;
ALTER FUNCTION monitors.to_ms(timestamptz) STABLE;
