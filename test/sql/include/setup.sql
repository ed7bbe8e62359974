\set ECHO none
-- Included at the start of every regression file (\i test/sql/include/setup.sql; pg_regress feeds
-- psql the file on its standard input from the top of the tree, so \ir would not find it), so that
-- each file runs on its own: pg_regress has already created the extension
-- (--load-extension=lucia_auth), and this gives the file schema regress with
--   regress.error_of(statement)  runs a statement and returns its SQLSTATE and message instead of
--                                failing, so that each error case fits on one line of the output;
--   regress.now_ms()             the wall clock in ms, as JavaScript's Date.now();
--   CALL regress.fresh_tables()  drops the default auth tables if they exist and makes them again
--                                with lucia_auth.create_tables().
-- test/sql/include/teardown.sql, at the end of the file, drops all of it again, and names what the
-- file left behind: regress.cluster_objects lists what the cluster holds (roles, databases, settings
-- of a role or database), as it was here in regress.cluster_before.
CREATE SCHEMA regress;
GRANT USAGE ON SCHEMA regress TO PUBLIC;

CREATE FUNCTION regress.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE FUNCTION regress.now_ms() RETURNS bigint LANGUAGE sql SET search_path = pg_catalog
  AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;

CREATE PROCEDURE regress.fresh_tables() LANGUAGE plpgsql SET client_min_messages = warning AS $$
BEGIN
  DROP TABLE IF EXISTS public.user_session, public.user_key, public.auth_user;
  PERFORM lucia_auth.create_tables();
END $$;

CREATE VIEW regress.cluster_objects (what) AS
  SELECT 'role ' || rolname FROM pg_catalog.pg_roles
  UNION ALL
  SELECT 'database ' || datname FROM pg_catalog.pg_database
  UNION ALL
  SELECT 'setting ' || setting || coalesce(' of role ' || pg_catalog.pg_get_userbyid(nullif(setrole, 0)), '')
         || coalesce(' in database ' || (SELECT datname FROM pg_catalog.pg_database WHERE oid = setdatabase), '')
    FROM pg_catalog.pg_db_role_setting, unnest(setconfig) AS setting;
CREATE TABLE regress.cluster_before AS SELECT what FROM regress.cluster_objects;
\set ECHO all
