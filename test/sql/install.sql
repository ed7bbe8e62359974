-- Installing the extension, and the error helper the other test files use.
CREATE EXTENSION lucia_auth;

SELECT extname, extversion, nspname AS schema, extrelocatable
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE extname = 'lucia_auth';

-- Every function is in schema lucia_auth and pins search_path.
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel, p.proconfig
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'lucia_auth'
  ORDER BY p.proname;

-- Functions without a comment.
SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'lucia_auth' AND obj_description(p.oid, 'pg_proc') IS NULL;

-- The settings prefix is reserved: a misspelled setting is refused.
SET lucia_auth.no_such_setting = 'x';

-- Runs a statement and returns its SQLSTATE and message instead of failing, so that each error case
-- fits on one line of the expected output.
CREATE SCHEMA regress;
GRANT USAGE ON SCHEMA regress TO PUBLIC;
CREATE FUNCTION regress.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
