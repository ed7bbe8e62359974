\set ECHO none
-- Included at the end of every regression file (\i test/sql/include/teardown.sql): drops the
-- default auth tables and schema regress, and names anything else the file left in the database
-- (schemas, objects in schema public) or in the cluster (roles, databases, settings of a role or
-- database that were not there when setup.sql ran). It prints nothing when the file cleaned up.
SET client_min_messages = warning;
DROP TABLE IF EXISTS public.user_session, public.user_key, public.auth_user;
SELECT string_agg(what, ', ' ORDER BY what) AS regress_left_behind
  FROM (SELECT 'schema ' || nspname FROM pg_catalog.pg_namespace
          WHERE nspname NOT IN ('public', 'lucia_auth', 'regress', 'information_schema')
            AND nspname NOT LIKE 'pg\_%'
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
        (SELECT what FROM regress.cluster_objects EXCEPT SELECT what FROM regress.cluster_before)) AS t(what) \gset
DROP SCHEMA regress CASCADE;
RESET client_min_messages;
\if :{?regress_left_behind}
\echo left behind: :regress_left_behind
\endif
\set ECHO all
