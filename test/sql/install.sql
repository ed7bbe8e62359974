-- The installed extension (pg_regress creates it with --load-extension=lucia_auth): its version and
-- schema, every function's markings and comment, and the reserved settings prefix.
\i test/sql/include/setup.sql

SELECT extname, extversion, nspname AS schema, extrelocatable
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE extname = 'lucia_auth';

-- Every function is in schema lucia_auth and pins search_path, but current_user_id(), which runs no SQL
-- and is called on every row of a policy.
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel, p.proconfig
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'lucia_auth'
  ORDER BY p.proname;

-- Functions without a comment.
SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'lucia_auth' AND obj_description(p.oid, 'pg_proc') IS NULL;

-- The settings prefix is reserved once the module is loaded: a misspelled setting is refused.
LOAD 'lucia_auth';
SET lucia_auth.no_such_setting = 'x';

\i test/sql/include/teardown.sql
