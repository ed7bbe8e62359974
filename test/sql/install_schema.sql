-- Installing into a schema lucia_auth that already exists. CREATE EXTENSION adopts such a schema as it
-- finds it, and its functions are called by name in that schema: whoever owns the schema or may create
-- objects in it could add a function that callers reach in place of lucia_auth's own and see their
-- passwords. lucia_auth goes on only into a schema that superusers alone control (a superuser owns it,
-- no other role or PUBLIC may create objects in it, it holds nothing but the extension's own objects),
-- at CREATE EXTENSION and at ALTER EXTENSION UPDATE. First the attack as 0.1.0 let it through, then its
-- variants, each refused, then the uses that must keep working. Everything runs in a database of its
-- own, owned by an application role as in the most common deployment, so that the role may create
-- schemas there.
\i test/sql/include/setup.sql
\set SHOW_CONTEXT never
\set regress_db :DBNAME
CREATE ROLE lucia_regress_squatter;
CREATE ROLE lucia_regress_app;
CREATE ROLE lucia_regress_admin SUPERUSER;
CREATE DATABASE lucia_regress_schema OWNER lucia_regress_squatter;
\c lucia_regress_schema
SET client_min_messages = warning;
-- Each variant starts from a database without the extension or the schema.
CREATE FUNCTION public.reset_schema() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DROP EXTENSION IF EXISTS lucia_auth;
  DROP EXTENSION IF EXISTS citext;
  DROP SCHEMA IF EXISTS lucia_auth CASCADE;
END $$;

-- The squatter's trap: a schema lucia_auth made before the extension is installed, with a use_key
-- that takes varchar. A client binding its parameters as varchar (as many drivers do for strings)
-- calls it rather than lucia_auth's use_key(text, text, text), and the password is kept.
SET ROLE lucia_regress_squatter;
CREATE TABLE public.captured (password text);
CREATE SCHEMA lucia_auth;
CREATE FUNCTION lucia_auth.use_key(provider_id varchar, provider_user_id varchar, password varchar)
  RETURNS text LANGUAGE sql SECURITY DEFINER
  AS $$ INSERT INTO public.captured VALUES (password) RETURNING 'logged in' $$;
GRANT USAGE ON SCHEMA lucia_auth TO PUBLIC;
GRANT INSERT ON public.captured TO PUBLIC;
RESET ROLE;

-- 0.1.0 installed into the trap without a word, and the application's login went to the squatter.
CREATE EXTENSION lucia_auth VERSION '0.1.0';
SELECT lucia_auth.create_tables();
PREPARE login(varchar, varchar, varchar) AS SELECT * FROM lucia_auth.use_key($1, $2, $3);
EXECUTE login('email', 'ada@example.com', 'correct horse');
SELECT password FROM public.captured;
TRUNCATE public.captured;
-- Such an installation is not updated: the update refuses the schema as installation now does.
ALTER EXTENSION lucia_auth UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'lucia_auth';
DEALLOCATE login;
DROP TABLE public.auth_user, public.user_key, public.user_session;
SELECT public.reset_schema();

-- 0.2.0 refuses the same schema, naming its owner; nothing is installed.
SET ROLE lucia_regress_squatter;
CREATE SCHEMA lucia_auth;
CREATE FUNCTION lucia_auth.use_key(provider_id varchar, provider_user_id varchar, password varchar)
  RETURNS text LANGUAGE sql SECURITY DEFINER
  AS $$ INSERT INTO public.captured VALUES (password) RETURNING 'logged in' $$;
RESET ROLE;
CREATE EXTENSION lucia_auth;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'lucia_auth';

\set VERBOSITY terse
-- A superuser who makes the schema its own does not make its contents its own: the squatter's
-- function is still there, and is named.
ALTER SCHEMA lucia_auth OWNER TO CURRENT_USER;
\set VERBOSITY default
CREATE EXTENSION lucia_auth;
\set VERBOSITY terse
-- Nor does it take back what the squatter granted: ALTER SCHEMA … OWNER keeps the grants, now in the
-- new owner's name.
SELECT public.reset_schema();
SET ROLE lucia_regress_squatter;
CREATE SCHEMA lucia_auth;
GRANT CREATE ON SCHEMA lucia_auth TO PUBLIC;
RESET ROLE;
ALTER SCHEMA lucia_auth OWNER TO CURRENT_USER;
CREATE EXTENSION lucia_auth;
-- The schema handed to pg_database_owner, as PostgreSQL 15 hands over public: the database's owner
-- (here the squatter) owns it.
SELECT public.reset_schema();
CREATE SCHEMA lucia_auth AUTHORIZATION pg_database_owner;
CREATE EXTENSION lucia_auth;

-- A superuser's schema in which another role may create objects: the role is named. PUBLIC is named
-- first, since it means every role.
SELECT public.reset_schema();
CREATE SCHEMA lucia_auth;
GRANT USAGE, CREATE ON SCHEMA lucia_auth TO lucia_regress_app;
\set VERBOSITY default
CREATE EXTENSION lucia_auth;
\set VERBOSITY terse
GRANT CREATE ON SCHEMA lucia_auth TO PUBLIC;
CREATE EXTENSION lucia_auth;
REVOKE CREATE ON SCHEMA lucia_auth FROM PUBLIC;

-- What that role created while it could stays there after its CREATE is revoked, and is named. The
-- check itself never calls what the schema holds, although the schema is on search_path while the
-- script runs: operators lucia_auth.= on (oid, integer) and (regclass, regclass) match comparisons
-- that the check makes better than pg_catalog's do, and would run as the installing superuser. Their
-- function counts its calls in a sequence, which the failed command's rollback does not undo.
SET ROLE lucia_regress_app;
CREATE SEQUENCE lucia_auth.bait_calls;
CREATE FUNCTION lucia_auth.bait(oid, integer) RETURNS boolean LANGUAGE sql
  AS $$ SELECT nextval('lucia_auth.bait_calls') > 0 AND $1 = $2::oid $$;
CREATE OPERATOR lucia_auth.= (LEFTARG = oid, RIGHTARG = integer, FUNCTION = lucia_auth.bait);
CREATE FUNCTION lucia_auth.bait(regclass, regclass) RETURNS boolean LANGUAGE sql
  AS $$ SELECT nextval('lucia_auth.bait_calls') > 0 AND $1::oid = $2::oid $$;
CREATE OPERATOR lucia_auth.= (LEFTARG = regclass, RIGHTARG = regclass, FUNCTION = lucia_auth.bait);
RESET ROLE;
CREATE EXTENSION lucia_auth;
REVOKE CREATE ON SCHEMA lucia_auth FROM lucia_regress_app;
\set VERBOSITY default
CREATE EXTENSION lucia_auth;
\set VERBOSITY terse
SELECT last_value, is_called FROM lucia_auth.bait_calls;

-- Objects a superuser put there are refused too: they are not the extension's.
SELECT public.reset_schema();
CREATE SCHEMA lucia_auth;
CREATE TABLE lucia_auth.notes (note text);
CREATE EXTENSION lucia_auth;
-- So is another extension installed into the schema.
SELECT public.reset_schema();
CREATE SCHEMA lucia_auth;
CREATE EXTENSION citext SCHEMA lucia_auth;
CREATE EXTENSION lucia_auth;

-- Temporary tables of the installing session named like the catalogs that the check reads (here a
-- pg_authid that makes every role a superuser) do not change its answer.
SELECT public.reset_schema();
SET ROLE lucia_regress_squatter;
CREATE SCHEMA lucia_auth;
RESET ROLE;
CREATE TEMPORARY TABLE pg_authid AS SELECT oid, rolname, true AS rolsuper FROM pg_catalog.pg_authid;
CREATE EXTENSION lucia_auth;
DROP TABLE pg_temp.pg_authid;
SELECT public.reset_schema();

-- Schemas whose names differ only by case or quoting are other schemas: they neither block the
-- installation nor catch calls of lucia_auth.use_key, which finds the extension's function whatever
-- the parameters' types.
SET ROLE lucia_regress_squatter;
CREATE SCHEMA "Lucia_Auth";
CREATE SCHEMA "lucia_auth ";
CREATE FUNCTION "Lucia_Auth".use_key(varchar, varchar, varchar) RETURNS text LANGUAGE sql
  AS $$ INSERT INTO public.captured VALUES ($3) RETURNING 'logged in' $$;
CREATE FUNCTION "lucia_auth ".use_key(varchar, varchar, varchar) RETURNS text LANGUAGE sql
  AS $$ INSERT INTO public.captured VALUES ($3) RETURNING 'logged in' $$;
RESET ROLE;
CREATE EXTENSION lucia_auth;
SELECT lucia_auth.create_tables();
PREPARE login(varchar, varchar, varchar) AS SELECT * FROM lucia_auth.use_key($1, $2, $3);
EXECUTE login('email', 'ada@example.com', 'correct horse');
SELECT count(*) AS captured FROM public.captured WHERE password = 'correct horse';
SELECT p.oid::regprocedure AS use_key FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
  WHERE n.nspname = 'lucia_auth' AND p.proname = 'use_key';
DEALLOCATE login;
DROP TABLE public.auth_user, public.user_key, public.user_session;
DROP SCHEMA "Lucia_Auth", "lucia_auth " CASCADE;

-- The uses that keep working. DROP EXTENSION leaves the schema it made (it is not a member), empty and
-- the superuser's: CREATE EXTENSION takes it again.
DROP EXTENSION lucia_auth;
SELECT nspname FROM pg_namespace WHERE nspname = 'lucia_auth';
CREATE EXTENSION lucia_auth;
-- A superuser may prepare the schema: empty, with USAGE for the application, CREATE for another
-- superuser, and default privileges of its own, which then apply to the extension's functions. Another
-- role's default privileges in the schema do not matter: they would act on what that role creates
-- there, and it may create nothing.
SELECT public.reset_schema();
CREATE SCHEMA lucia_auth;
GRANT USAGE ON SCHEMA lucia_auth TO lucia_regress_app;
GRANT CREATE ON SCHEMA lucia_auth TO lucia_regress_admin;
ALTER DEFAULT PRIVILEGES IN SCHEMA lucia_auth GRANT EXECUTE ON FUNCTIONS TO lucia_regress_app;
ALTER DEFAULT PRIVILEGES FOR ROLE lucia_regress_squatter IN SCHEMA lucia_auth
  GRANT EXECUTE ON FUNCTIONS TO lucia_regress_squatter;
CREATE EXTENSION lucia_auth;
SELECT has_schema_privilege('lucia_regress_app', 'lucia_auth', 'USAGE') AS app_usage,
       has_function_privilege('lucia_regress_app', 'lucia_auth.use_key(text, text, text)', 'EXECUTE') AS app_use_key,
       has_function_privilege('lucia_regress_squatter', 'lucia_auth.use_key(text, text, text)', 'EXECUTE') AS squatter_use_key;

-- The update from 0.1.0 checks the schema as it finds it then: a role that has since been given CREATE
-- on it, or an object that is not the extension's, stops the update until it is dealt with.
SELECT public.reset_schema();
CREATE EXTENSION lucia_auth VERSION '0.1.0';
GRANT CREATE ON SCHEMA lucia_auth TO lucia_regress_app;
ALTER EXTENSION lucia_auth UPDATE;
REVOKE CREATE ON SCHEMA lucia_auth FROM lucia_regress_app;
CREATE FUNCTION lucia_auth.helper() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER EXTENSION lucia_auth UPDATE;
DROP FUNCTION lucia_auth.helper();
ALTER EXTENSION lucia_auth UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'lucia_auth';

\c :regress_db
DROP DATABASE lucia_regress_schema;
DROP ROLE lucia_regress_squatter;
DROP ROLE lucia_regress_app;
DROP ROLE lucia_regress_admin;

\i test/sql/include/teardown.sql
