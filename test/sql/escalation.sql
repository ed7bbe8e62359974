-- No escalation through the auth tables. lucia_auth's table functions run as the extension's owner, a
-- superuser; whatever is attached to the tables (triggers, defaults, constraints, index expressions,
-- domains, rules, policies, generated columns, a view in a table's place) runs as the role that executes
-- the statement. lucia_auth therefore runs its statements as the tables' owner: code attached to the
-- tables runs with the privileges of the role that could attach it, and never as the superuser.
--
-- The deployment: an application role that owns its database, and so schema public (PostgreSQL 15),
-- which may drop the tables a superuser made there and put its own in their place. Every piece of code
-- it attaches records who it ran as; none may run as a superuser, and the role stays what it was.
\i test/sql/include/setup.sql
\pset null (null)
CREATE ROLE esc_app LOGIN;
CREATE ROLE esc_other;
SELECT pg_catalog.pg_get_userbyid(datdba) AS original_owner FROM pg_database
  WHERE datname = current_database() \gset
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO esc_app', current_database()); END $$;
GRANT USAGE ON SCHEMA lucia_auth TO esc_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO esc_app;
-- The tables lucia_auth uses here; made by the superuser, in schema public.
SET lucia_auth.user_table = 'public.esc_user';
SET lucia_auth.key_table = 'public.esc_key';
SET lucia_auth.session_table = 'public.esc_session';
SELECT lucia_auth.create_tables();

SET ROLE esc_app;
-- Schema public belongs to the database owner, so the application may replace the superuser's tables.
DROP TABLE public.esc_session, public.esc_key, public.esc_user;
CREATE TABLE public.esc_user (id text PRIMARY KEY);
CREATE TABLE public.esc_key (id text PRIMARY KEY, user_id text NOT NULL REFERENCES public.esc_user (id),
                             hashed_password text);
CREATE TABLE public.esc_session (id text PRIMARY KEY, user_id text NOT NULL REFERENCES public.esc_user (id),
                                 active_expires bigint NOT NULL, idle_expires bigint NOT NULL);
-- Who the attached code ran as. It also tries to make the application role a superuser, and hides its
-- own failure so that the call goes on.
CREATE TABLE public.esc_audit (via text, ran_as text, superuser boolean);
CREATE FUNCTION public.esc_evil(via text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.esc_audit
    SELECT via, current_user, rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user;
  BEGIN
    ALTER ROLE esc_app SUPERUSER;
  EXCEPTION WHEN insufficient_privilege THEN NULL;
  END;
  RETURN true;
END $$;
CREATE FUNCTION public.esc_evil_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM public.esc_evil(TG_TABLE_NAME || ' trigger ' || TG_OP);
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE FUNCTION public.esc_evil_text(via text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN PERFORM public.esc_evil(via); RETURN via; END $$;

-- Triggers on every table, for every write.
CREATE TRIGGER evil BEFORE INSERT OR UPDATE OR DELETE ON public.esc_user
  FOR EACH ROW EXECUTE FUNCTION public.esc_evil_trigger();
CREATE TRIGGER evil BEFORE INSERT OR UPDATE OR DELETE ON public.esc_key
  FOR EACH ROW EXECUTE FUNCTION public.esc_evil_trigger();
CREATE TRIGGER evil BEFORE INSERT OR UPDATE OR DELETE ON public.esc_session
  FOR EACH ROW EXECUTE FUNCTION public.esc_evil_trigger();
-- A column default, a check constraint, a generated column, an index expression.
ALTER TABLE public.esc_user ADD COLUMN note text DEFAULT public.esc_evil_text('user default');
ALTER TABLE public.esc_key ADD CONSTRAINT evil CHECK (public.esc_evil('key check'));
ALTER TABLE public.esc_session ADD COLUMN evil text GENERATED ALWAYS AS (public.esc_evil_text('session generated')) STORED;
CREATE INDEX esc_session_evil ON public.esc_session (public.esc_evil_text('session index ' || id));
-- A domain whose check runs on every value.
CREATE DOMAIN public.esc_domain AS text CHECK (public.esc_evil('domain check'));
ALTER TABLE public.esc_user ADD COLUMN nickname public.esc_domain;
-- A rule that does more on each insert.
CREATE RULE evil AS ON INSERT TO public.esc_key DO ALSO SELECT public.esc_evil('key rule');
-- A row-level security policy, enforced on the owner too, on every read and write of sessions.
ALTER TABLE public.esc_session ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY evil ON public.esc_session USING (public.esc_evil('session policy'));

-- The whole flow, as the application.
SELECT user_id FROM lucia_auth.create_user('esc-user', 'email', 'esc@example.com', 'esc password',
                                           '{"nickname": "esc"}');
SELECT provider_id FROM lucia_auth.use_key('email', 'esc@example.com', 'esc password');
SELECT provider_id FROM lucia_auth.update_key_password('email', 'esc@example.com', 'new password');
SELECT session_id FROM lucia_auth.create_session('esc-user', '{}', 'esc-session');
UPDATE public.esc_session SET active_expires = 0 WHERE id = 'esc-session';
SELECT state, fresh FROM lucia_auth.validate_session('esc-session');
SELECT state FROM lucia_auth.get_session('esc-session');
SELECT count(*) FROM lucia_auth.get_all_user_sessions('esc-user');
SELECT lucia_auth.invalidate_session('esc-session');
SELECT lucia_auth.delete_user('esc-user');

-- Every piece of attached code ran, and ran as the application role, never as a superuser.
SELECT via, ran_as, superuser FROM public.esc_audit GROUP BY via, ran_as, superuser ORDER BY via;
RESET ROLE;
SELECT rolname, rolsuper FROM pg_roles WHERE rolname = 'esc_app';

-- The attack as first found: a trigger that makes the role a superuser, without hiding its failure.
SET ROLE esc_app;
CREATE FUNCTION public.esc_attack() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN ALTER ROLE esc_app SUPERUSER; RETURN NEW; END $$;
CREATE TRIGGER attack BEFORE INSERT ON public.esc_session FOR EACH ROW EXECUTE FUNCTION public.esc_attack();
SELECT user_id FROM lucia_auth.create_user('esc-user-2');
SELECT regress.error_of($$SELECT lucia_auth.create_session('esc-user-2')$$);
DROP TRIGGER attack ON public.esc_session;
RESET ROLE;
SELECT rolname, rolsuper FROM pg_roles WHERE rolname = 'esc_app';

-- A view in place of the session table: its functions run as the statement's role too.
SET ROLE esc_app;
SELECT session_id FROM lucia_auth.create_session('esc-user-2', '{}', 'esc-session-2');
TRUNCATE public.esc_audit;
ALTER TABLE public.esc_session RENAME TO esc_session_rows;
CREATE VIEW public.esc_session AS
  SELECT s.id, s.user_id, s.active_expires, s.idle_expires FROM public.esc_session_rows s
  WHERE public.esc_evil('session view');
SELECT state FROM lucia_auth.validate_session('esc-session-2');
SELECT via, ran_as, superuser FROM public.esc_audit GROUP BY via, ran_as, superuser ORDER BY via;
RESET ROLE;
SELECT rolname, rolsuper FROM pg_roles WHERE rolname = 'esc_app';

-- The application role that does not own the tables still cannot read a hash: it is granted only
-- the functions. The tables go to a role of their own, of which the application is not a member.
DROP VIEW public.esc_session;
ALTER TABLE public.esc_session_rows RENAME TO esc_session;
SET ROLE esc_app;
SELECT provider_id FROM lucia_auth.create_key('esc-user-2', 'email', 'esc2@example.com', 'pw');
RESET ROLE;
ALTER TABLE public.esc_user OWNER TO esc_other;
ALTER TABLE public.esc_key OWNER TO esc_other;
ALTER TABLE public.esc_session OWNER TO esc_other;
SET ROLE esc_app;
SELECT regress.error_of($$SELECT hashed_password FROM public.esc_key$$);
SELECT provider_id FROM lucia_auth.get_key('email', 'esc2@example.com');
RESET ROLE;

-- The tables must have one owner, and the functions' owner must be able to act as it.
ALTER TABLE public.esc_key OWNER TO esc_app;
SELECT regress.error_of($$SELECT lucia_auth.create_key('esc-user-2', 'github', '1', NULL)$$);
ALTER TABLE public.esc_key OWNER TO esc_other;
ALTER FUNCTION lucia_auth.get_user(text) OWNER TO esc_app;
SELECT regress.error_of($$SELECT lucia_auth.get_user('esc-user-2')$$);
ALTER FUNCTION lucia_auth.get_user(text) OWNER TO CURRENT_USER;
SELECT user_id FROM lucia_auth.get_user('esc-user-2');

-- Clean up: the database back to its owner, the tables and roles gone.
DROP TABLE public.esc_session, public.esc_key, public.esc_user, public.esc_audit;
DROP DOMAIN public.esc_domain;
DROP FUNCTION public.esc_evil_text(text), public.esc_evil_trigger(), public.esc_evil(text), public.esc_attack();
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'original_owner') \gexec
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;
RESET lucia_auth.session_table;
REVOKE ALL ON SCHEMA lucia_auth FROM esc_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA lucia_auth FROM esc_app;
DROP ROLE esc_app, esc_other;

\i test/sql/include/teardown.sql
