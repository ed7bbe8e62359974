\set ECHO none
-- Included at the end of every regression file (\i test/sql/include/teardown.sql): drops the
-- default auth tables and schema regress, then names anything else the file left in the database or
-- the cluster (schemas, objects in public, roles and databases named lucia_regress*, lucia_auth.*
-- settings of a database or role). It prints nothing when the file cleaned up after itself.
SET client_min_messages = warning;
DROP TABLE IF EXISTS public.user_session, public.user_key, public.auth_user;
DROP SCHEMA regress CASCADE;
RESET client_min_messages;
SELECT string_agg(what, ', ' ORDER BY what) AS regress_left_behind
  FROM (SELECT 'schema ' || nspname FROM pg_catalog.pg_namespace
          WHERE nspname NOT IN ('public', 'lucia_auth', 'information_schema') AND nspname NOT LIKE 'pg\_%'
        UNION ALL
        SELECT 'relation ' || oid::regclass::text FROM pg_catalog.pg_class
          WHERE relnamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'function ' || oid::regprocedure::text FROM pg_catalog.pg_proc
          WHERE pronamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'type ' || oid::regtype::text FROM pg_catalog.pg_type
          WHERE typnamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'role ' || rolname FROM pg_catalog.pg_roles WHERE rolname LIKE 'lucia\_regress%'
        UNION ALL
        SELECT 'database ' || datname FROM pg_catalog.pg_database WHERE datname LIKE 'lucia\_regress%'
        UNION ALL
        SELECT 'setting ' || setting FROM pg_catalog.pg_db_role_setting, unnest(setconfig) AS setting
          WHERE setting LIKE 'lucia\_auth.%') AS t(what) \gset
\if :{?regress_left_behind}
\echo left behind: :regress_left_behind
\endif
\set ECHO all
