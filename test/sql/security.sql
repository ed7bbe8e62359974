-- Security: what the install script grants and pins, the privilege model (an application role with no
-- privilege on the tables runs the whole flow), no hijacking through the caller's search_path, and
-- superuser-only settings.
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
\pset null (null)

-- 1. The install script -------------------------------------------------------------------------------

-- Only a superuser can install the extension: it is not trusted.
SELECT name, version, superuser, trusted, relocatable, schema
  FROM pg_available_extension_versions WHERE name = 'lucia_auth';

-- Every function pins search_path (but current_user_id(), which runs no SQL); the ones on the tables run
-- as the extension's owner and PUBLIC cannot execute them; the pure helpers and current_user_id() are
-- executable by PUBLIC.
SELECT p.proname, p.prosecdef AS security_definer,
       p.proowner = e.extowner AS owned_by_extension_owner,
       p.proconfig = '{"search_path=pg_catalog, pg_temp"}' AS search_path_pinned,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, pg_extension e
  WHERE n.nspname = 'lucia_auth' AND e.extname = 'lucia_auth'
  ORDER BY p.prosecdef, p.proname;
-- The same, from the ACLs: the grantees of EXECUTE on each security definer function.
SELECT p.proname, array_agg(DISTINCT CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE 'owner' END) AS execute_grantees
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
       aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
  WHERE n.nspname = 'lucia_auth' AND p.prosecdef AND a.privilege_type = 'EXECUTE'
  GROUP BY p.proname ORDER BY p.proname;
-- Nobody but the extension's owner can add objects to the schema, and PUBLIC cannot even use it.
SELECT has_schema_privilege('public', 'lucia_auth', 'CREATE') AS public_create,
       has_schema_privilege('public', 'lucia_auth', 'USAGE') AS public_usage;

-- 2. The privilege model ------------------------------------------------------------------------------

-- The tables (made by create_tables() above) belong to the superuser; the application role is granted
-- exactly the documented recipe, and nothing on the tables.
CREATE ROLE lucia_regress_sec_app;
GRANT USAGE ON SCHEMA lucia_auth TO lucia_regress_sec_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO lucia_regress_sec_app;
SELECT c.relname, pg_get_userbyid(c.relowner) = current_user AS owned_by_superuser,
       has_table_privilege('lucia_regress_sec_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE') AS app_has_any,
       has_column_privilege('lucia_regress_sec_app', 'public.user_key', 'hashed_password', 'SELECT')
         AS app_reads_hash
  FROM pg_class c WHERE c.oid IN ('auth_user'::regclass, 'user_key'::regclass, 'user_session'::regclass)
  ORDER BY c.relname;

-- The whole flow (test/sql/include/whole_flow.sql) as the application role. Renewing a session needs
-- an idle one: regress.make_idle(session_id) moves its active expiry a second into the past as the
-- superuser (the table is qualified: the caller's pg_temp may hold decoys of the same name).
CREATE FUNCTION regress.make_idle(session_id text) RETURNS void LANGUAGE sql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$ UPDATE public.user_session SET active_expires = regress.now_ms() - 1000 WHERE id = session_id $$;
\set user_attributes '{}'
\set user_update '{}'
\set session_attributes '{}'
\set session_update '{}'
SET ROLE lucia_regress_sec_app;
\i test/sql/include/whole_flow.sql
-- ... but the role cannot touch the tables, nor make new ones in public.
SELECT s, regress.error_of(s)
  FROM (VALUES ('SELECT hashed_password FROM user_key'),
               ('SELECT * FROM auth_user'),
               ('SELECT id FROM user_session'),
               ($$INSERT INTO user_session VALUES ('forged', 'sec-ada', 0, 9007199254740991)$$),
               ($$UPDATE user_key SET hashed_password = NULL$$),
               ('DELETE FROM auth_user'),
               ('ALTER TABLE user_key ADD COLUMN stolen text'),
               ('SELECT lucia_auth.create_tables()')) AS t(s);
RESET ROLE;
SELECT count(*) AS rows_left FROM (SELECT id FROM auth_user UNION ALL SELECT id FROM user_key
                                   UNION ALL SELECT id FROM user_session) AS t;

-- A role granted nothing cannot even use the schema; a role granted USAGE on the schema but not
-- EXECUTE calls the pure helpers and none of the table functions.
CREATE ROLE lucia_regress_sec_nobody;
CREATE ROLE lucia_regress_sec_usage;
GRANT USAGE ON SCHEMA lucia_auth TO lucia_regress_sec_usage;
SET ROLE lucia_regress_sec_nobody;
SELECT regress.error_of($$SELECT lucia_auth.use_key('email', 'ada@example.com', 'x')$$);
SELECT regress.error_of($$SELECT lucia_auth.read_bearer_token('Bearer abc')$$);
SET ROLE lucia_regress_sec_usage;
SELECT f, regress.error_of('SELECT lucia_auth.' || f)
  FROM (VALUES ($$create_user('sec-x')$$),
               ($$get_user('sec-x')$$),
               ($$update_user_attributes('sec-x', '{}')$$),
               ($$delete_user('sec-x')$$),
               ($$create_key('sec-x', 'email', 'x@example.com', 'x')$$),
               ($$use_key('email', 'x@example.com', 'x')$$),
               ($$get_key('email', 'x@example.com')$$),
               ($$get_all_user_keys('sec-x')$$),
               ($$update_key_password('email', 'x@example.com', 'x')$$),
               ($$delete_key('email', 'x@example.com')$$),
               ($$create_session('sec-x')$$),
               ($$validate_session('sec-x')$$),
               ($$get_session('sec-x')$$),
               ($$get_all_user_sessions('sec-x')$$),
               ($$update_session_attributes('sec-x', '{}')$$),
               ($$invalidate_session('sec-x')$$),
               ($$invalidate_all_user_sessions('sec-x')$$),
               ($$delete_dead_user_sessions('sec-x')$$),
               ($$create_tables()$$)) AS t(f);
\i test/sql/include/table_free_calls.sql
RESET ROLE;

-- 3. No hijacking -------------------------------------------------------------------------------------

-- An unprivileged role owns a schema that callers put first on their search_path (before pg_catalog),
-- and plants there objects named as the ones lucia_auth uses. Each planted routine records that it ran
-- (a row in its owner's log and a NOTICE), and returns what the real one would, as an attack would.
ALTER TABLE auth_user ADD COLUMN nickname text;
ALTER TABLE user_session ADD COLUMN device text;
CREATE ROLE lucia_regress_sec_attacker;
CREATE SCHEMA sec_evil AUTHORIZATION lucia_regress_sec_attacker;
SET ROLE lucia_regress_sec_attacker;
GRANT USAGE ON SCHEMA sec_evil TO PUBLIC;
CREATE TABLE sec_evil.hijack_log (what text);
CREATE FUNCTION sec_evil.hijacked(what pg_catalog.text) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO sec_evil.hijack_log VALUES (what);
  RAISE NOTICE 'hijacked: %', what;
  RETURN true;
END $$;
GRANT EXECUTE ON FUNCTION sec_evil.hijacked(pg_catalog.text) TO PUBLIC;

-- Types: domains whose check records any value cast to them.
CREATE DOMAIN sec_evil.text AS pg_catalog.text CHECK (sec_evil.hijacked('domain text'));
CREATE DOMAIN sec_evil.int8 AS pg_catalog.int8 CHECK (sec_evil.hijacked('domain int8'));
CREATE DOMAIN sec_evil.jsonb AS pg_catalog.jsonb CHECK (sec_evil.hijacked('domain jsonb'));
CREATE DOMAIN sec_evil.bool AS pg_catalog.bool CHECK (sec_evil.hijacked('domain bool'));

-- Functions, some with exactly the argument types lucia_auth passes (they would win over pg_catalog's
-- polymorphic ones wherever this schema were searched).
CREATE FUNCTION sec_evil.now() RETURNS timestamptz LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('now()'); RETURN pg_catalog.now(); END $$;
CREATE FUNCTION sec_evil.lower(pg_catalog.text) RETURNS pg_catalog.text LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('lower(text)'); RETURN pg_catalog.lower($1); END $$;
CREATE FUNCTION sec_evil.length(pg_catalog.text) RETURNS integer LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('length(text)'); RETURN pg_catalog.length($1); END $$;
CREATE FUNCTION sec_evil.to_jsonb(anyelement) RETURNS pg_catalog.jsonb LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('to_jsonb(anyelement)'); RETURN pg_catalog.to_jsonb($1); END $$;
CREATE FUNCTION sec_evil.to_jsonb(public.auth_user) RETURNS pg_catalog.jsonb LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('to_jsonb(auth_user)'); RETURN pg_catalog.to_jsonb($1); END $$;
CREATE FUNCTION sec_evil.to_jsonb(public.user_session) RETURNS pg_catalog.jsonb LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('to_jsonb(user_session)'); RETURN pg_catalog.to_jsonb($1); END $$;
CREATE FUNCTION sec_evil.jsonb_populate_record(anyelement, pg_catalog.jsonb) RETURNS anyelement
  LANGUAGE plpgsql AS $$ BEGIN PERFORM sec_evil.hijacked('jsonb_populate_record(anyelement, jsonb)');
  RETURN pg_catalog.jsonb_populate_record($1, $2); END $$;
CREATE FUNCTION sec_evil.jsonb_populate_record(public.auth_user, pg_catalog.jsonb) RETURNS public.auth_user
  LANGUAGE plpgsql AS $$ BEGIN PERFORM sec_evil.hijacked('jsonb_populate_record(auth_user, jsonb)');
  RETURN pg_catalog.jsonb_populate_record($1, $2); END $$;
CREATE FUNCTION sec_evil.octet_length(pg_catalog.text) RETURNS integer LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('octet_length(text)'); RETURN pg_catalog.octet_length($1); END $$;
CREATE FUNCTION sec_evil.octet_length(character varying) RETURNS integer LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('octet_length(varchar)'); RETURN pg_catalog.octet_length($1); END $$;
CREATE FUNCTION sec_evil."coalesce"(anyelement, anyelement) RETURNS anyelement LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('coalesce'); RETURN COALESCE($1, $2); END $$;
CREATE FUNCTION sec_evil.format(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.text LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('format(text, text)'); RETURN pg_catalog.format($1, $2); END $$;
CREATE FUNCTION sec_evil.format(pg_catalog.text, pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.text
  LANGUAGE plpgsql AS $$ BEGIN PERFORM sec_evil.hijacked('format(text, text, text)');
  RETURN pg_catalog.format($1, $2, $3); END $$;
CREATE FUNCTION sec_evil.parse_ident(pg_catalog.text, boolean DEFAULT true) RETURNS pg_catalog.text[]
  LANGUAGE plpgsql AS $$ BEGIN PERFORM sec_evil.hijacked('parse_ident');
  RETURN pg_catalog.parse_ident($1, $2); END $$;
CREATE FUNCTION sec_evil.current_setting(pg_catalog.text) RETURNS pg_catalog.text LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('current_setting(text)'); RETURN pg_catalog.current_setting($1); END $$;
CREATE FUNCTION sec_evil.current_setting(pg_catalog.text, boolean) RETURNS pg_catalog.text LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('current_setting(text, bool)');
  RETURN pg_catalog.current_setting($1, $2); END $$;
CREATE FUNCTION sec_evil.cardinality(anyarray) RETURNS integer LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('cardinality'); RETURN pg_catalog.cardinality($1); END $$;

-- Operators, on the exact types of lucia_auth's comparisons and jsonb arithmetic.
CREATE FUNCTION sec_evil.eq_vt(character varying, pg_catalog.text) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('= (varchar, text)'); RETURN $1::pg_catalog.text OPERATOR(pg_catalog.=) $2; END $$;
CREATE FUNCTION sec_evil.eq_tt(pg_catalog.text, pg_catalog.text) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('= (text, text)'); RETURN $1 OPERATOR(pg_catalog.=) $2; END $$;
CREATE FUNCTION sec_evil.eq_tv(pg_catalog.text, character varying) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('= (text, varchar)'); RETURN $1 OPERATOR(pg_catalog.=) $2::pg_catalog.text; END $$;
CREATE FUNCTION sec_evil.minus_jt(pg_catalog.jsonb, pg_catalog.text) RETURNS pg_catalog.jsonb LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('- (jsonb, text)'); RETURN $1 OPERATOR(pg_catalog.-) $2; END $$;
CREATE FUNCTION sec_evil.minus_ja(pg_catalog.jsonb, pg_catalog.text[]) RETURNS pg_catalog.jsonb LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('- (jsonb, text[])'); RETURN $1 OPERATOR(pg_catalog.-) $2; END $$;
CREATE FUNCTION sec_evil.lt_bb(bigint, bigint) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('< (bigint, bigint)'); RETURN $1 OPERATOR(pg_catalog.<) $2; END $$;
CREATE FUNCTION sec_evil.gt_bb(bigint, bigint) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('> (bigint, bigint)'); RETURN $1 OPERATOR(pg_catalog.>) $2; END $$;
CREATE FUNCTION sec_evil.lt_ii(integer, integer) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('< (int, int)'); RETURN $1 OPERATOR(pg_catalog.<) $2; END $$;
CREATE FUNCTION sec_evil.gt_ii(integer, integer) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('> (int, int)'); RETURN $1 OPERATOR(pg_catalog.>) $2; END $$;
CREATE OPERATOR sec_evil.= (LEFTARG = character varying, RIGHTARG = pg_catalog.text, FUNCTION = sec_evil.eq_vt);
CREATE OPERATOR sec_evil.= (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = sec_evil.eq_tt);
CREATE OPERATOR sec_evil.= (LEFTARG = pg_catalog.text, RIGHTARG = character varying, FUNCTION = sec_evil.eq_tv);
CREATE OPERATOR sec_evil.- (LEFTARG = pg_catalog.jsonb, RIGHTARG = pg_catalog.text, FUNCTION = sec_evil.minus_jt);
CREATE OPERATOR sec_evil.- (LEFTARG = pg_catalog.jsonb, RIGHTARG = pg_catalog.text[], FUNCTION = sec_evil.minus_ja);
CREATE OPERATOR sec_evil.< (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = sec_evil.lt_bb);
CREATE OPERATOR sec_evil.> (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = sec_evil.gt_bb);
CREATE OPERATOR sec_evil.< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = sec_evil.lt_ii);
CREATE OPERATOR sec_evil.> (LEFTARG = integer, RIGHTARG = integer, FUNCTION = sec_evil.gt_ii);

-- Tables named as the auth tables, holding a decoy user, key (no password) and live session; any
-- write to them is recorded.
CREATE TABLE sec_evil.auth_user (id pg_catalog.text PRIMARY KEY, nickname pg_catalog.text);
CREATE TABLE sec_evil.user_key (id pg_catalog.text PRIMARY KEY, user_id pg_catalog.text, hashed_password pg_catalog.text);
CREATE TABLE sec_evil.user_session (id pg_catalog.text PRIMARY KEY, user_id pg_catalog.text,
  active_expires bigint, idle_expires bigint, device pg_catalog.text);
INSERT INTO sec_evil.auth_user VALUES ('decoy', 'decoy');
INSERT INTO sec_evil.user_key VALUES ('email:decoy@example.com', 'decoy', NULL);
INSERT INTO sec_evil.user_session VALUES ('decoy-session', 'decoy', 9007199254740991, 9007199254740991, 'decoy');
CREATE FUNCTION sec_evil.log_write() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN PERFORM sec_evil.hijacked('write to sec_evil.' || TG_TABLE_NAME); RETURN NULL; END $$;
CREATE TRIGGER log_write AFTER INSERT OR UPDATE OR DELETE ON sec_evil.auth_user
  FOR EACH STATEMENT EXECUTE FUNCTION sec_evil.log_write();
CREATE TRIGGER log_write AFTER INSERT OR UPDATE OR DELETE ON sec_evil.user_key
  FOR EACH STATEMENT EXECUTE FUNCTION sec_evil.log_write();
CREATE TRIGGER log_write AFTER INSERT OR UPDATE OR DELETE ON sec_evil.user_session
  FOR EACH STATEMENT EXECUTE FUNCTION sec_evil.log_write();
GRANT SELECT, INSERT, UPDATE, DELETE ON sec_evil.auth_user, sec_evil.user_key, sec_evil.user_session TO PUBLIC;
RESET ROLE;
SELECT count(*) AS planted_routines FROM pg_proc WHERE pronamespace = 'sec_evil'::regnamespace
  AND proname NOT IN ('hijacked', 'log_write') AND oid NOT IN (SELECT oprcode FROM pg_operator);
SELECT count(*) AS planted_operators FROM pg_operator WHERE oprnamespace = 'sec_evil'::regnamespace;
SELECT count(*) AS planted_types FROM pg_type WHERE typnamespace = 'sec_evil'::regnamespace AND typtype = 'd';
SELECT count(*) AS planted_tables FROM pg_class
  WHERE relnamespace = 'sec_evil'::regnamespace AND relkind = 'r' AND relname <> 'hijack_log';

-- The planted objects work: an unqualified query of the caller's runs them.
SET search_path = sec_evil, pg_catalog, public;
SELECT now() IS NOT NULL AS unqualified_now, 'a'::text AS unqualified_text;
RESET search_path;
SELECT what FROM sec_evil.hijack_log ORDER BY what;
TRUNCATE sec_evil.hijack_log;

-- Every lucia_auth function, as the application role with the planted schema first on its path (and
-- a temporary table of its own under each auth table's name, pg_temp being searched for tables).
SET ROLE lucia_regress_sec_app;
CREATE TEMPORARY TABLE auth_user (id text PRIMARY KEY, nickname text);
CREATE TEMPORARY TABLE user_key (id text PRIMARY KEY, user_id text, hashed_password text);
CREATE TEMPORARY TABLE user_session (id text PRIMARY KEY, user_id text, active_expires bigint,
  idle_expires bigint, device text);
INSERT INTO pg_temp.auth_user VALUES ('decoy', 'temp decoy');
INSERT INTO pg_temp.user_key VALUES ('email:decoy@example.com', 'decoy', NULL);
INSERT INTO pg_temp.user_session VALUES ('decoy-session', 'decoy', 9007199254740991, 9007199254740991, 'x');
SET search_path = sec_evil, pg_catalog, public;
\set user_attributes '{"nickname": "hj"}'
\set user_update '{"nickname": "hj2"}'
\set session_attributes '{"device": "phone"}'
\set session_update '{"device": "tablet"}'
\i test/sql/include/whole_flow.sql
-- Neither the planted tables nor the temporary ones are read.
SELECT regress.error_of($$SELECT lucia_auth.get_user('decoy')$$) AS decoy_user,
       regress.error_of($$SELECT lucia_auth.use_key('email', 'decoy@example.com', NULL)$$) AS decoy_key,
       regress.error_of($$SELECT lucia_auth.validate_session('decoy-session')$$) AS decoy_session;
RESET search_path;
DROP TABLE pg_temp.auth_user, pg_temp.user_key, pg_temp.user_session;
RESET ROLE;

-- The same as the superuser, including create_tables() on tables named by the settings.
CREATE SCHEMA sec_scratch;
SET lucia_auth.user_table = 'sec_scratch.auth_user';
SET lucia_auth.key_table = 'sec_scratch.user_key';
SET lucia_auth.session_table = 'sec_scratch.user_session';
SET search_path = sec_evil, pg_catalog, public;
SELECT lucia_auth.create_tables();
SELECT * FROM lucia_auth.table_names();
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;
RESET lucia_auth.session_table;
\set user_attributes '{"nickname": "su"}'
\set user_update '{"nickname": "su2"}'
\i test/sql/include/whole_flow.sql
SELECT regress.error_of($$SELECT lucia_auth.get_user('decoy')$$) AS decoy_user,
       regress.error_of($$SELECT lucia_auth.use_key('email', 'decoy@example.com', NULL)$$) AS decoy_key,
       regress.error_of($$SELECT lucia_auth.validate_session('decoy-session')$$) AS decoy_session;
-- Lucia's Drizzle layout (varchar columns), where the planted varchar operators and functions are the
-- exact match.
CREATE TABLE sec_scratch.v_user (id varchar(15) PRIMARY KEY, nickname varchar(50));
CREATE TABLE sec_scratch.v_key (id varchar(255) PRIMARY KEY,
  user_id varchar(15) NOT NULL REFERENCES sec_scratch.v_user (id), hashed_password varchar(255));
CREATE TABLE sec_scratch.v_session (id varchar(128) PRIMARY KEY,
  user_id varchar(15) NOT NULL REFERENCES sec_scratch.v_user (id), active_expires bigint NOT NULL,
  idle_expires bigint NOT NULL);
SET lucia_auth.user_table = 'sec_scratch.v_user';
SET lucia_auth.key_table = 'sec_scratch.v_key';
SET lucia_auth.session_table = 'sec_scratch.v_session';
SELECT * FROM lucia_auth.create_user('hj-varchar', 'email', 'hj-v@example.com', 'hj secret', '{"nickname": "v"}');
SELECT * FROM lucia_auth.use_key('email', 'hj-v@example.com', 'hj secret');
SELECT * FROM lucia_auth.update_key_password('email', 'hj-v@example.com', NULL);
SELECT * FROM lucia_auth.get_all_user_keys('hj-varchar');
SELECT session_id, state, user_attributes FROM lucia_auth.create_session('hj-varchar', session_id => 'hj-v-session');
SELECT session_id, state FROM lucia_auth.validate_session('hj-v-session');
SELECT session_id, state FROM lucia_auth.get_all_user_sessions('hj-varchar');
SELECT lucia_auth.delete_dead_user_sessions('hj-varchar');
SELECT lucia_auth.delete_user('hj-varchar');
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;
RESET lucia_auth.session_table;
RESET search_path;

-- Nothing planted ran, the decoys are untouched, and create_tables() used pg_catalog's types.
SELECT count(*) AS hijacked FROM sec_evil.hijack_log;
SELECT (SELECT count(*) FROM sec_evil.auth_user) AS decoy_users, (SELECT count(*) FROM sec_evil.user_key) AS decoy_keys,
       (SELECT count(*) FROM sec_evil.user_session) AS decoy_sessions;
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
  WHERE c.relnamespace = 'sec_scratch'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
    AND c.relname NOT LIKE 'v\_%'
  ORDER BY c.relname, a.attnum;
SELECT count(*) AS rows_left FROM (SELECT id FROM auth_user UNION ALL SELECT id FROM user_key
                                   UNION ALL SELECT id FROM user_session UNION ALL SELECT id FROM sec_scratch.v_user) AS t;
DROP SCHEMA sec_scratch CASCADE;
DROP SCHEMA sec_evil CASCADE;
DROP ROLE lucia_regress_sec_attacker;
ALTER TABLE auth_user DROP COLUMN nickname;
ALTER TABLE user_session DROP COLUMN device;

-- 4. Settings are superuser-only ----------------------------------------------------------------------

SET ROLE lucia_regress_sec_app;
SELECT s, regress.error_of(s)
  FROM (VALUES ($$SET lucia_auth.active_period = '365d'$$),
               ($$SET lucia_auth.idle_period = '365d'$$),
               ($$SET lucia_auth.user_table = 'public.other_user'$$),
               ($$SET lucia_auth.key_table = 'public.other_key'$$),
               ($$SET lucia_auth.session_table = 'public.other_session'$$),
               ($$SET lucia_auth.password_hash = 'argon2id'$$),
               ($$SET lucia_auth.argon2id_memory = '8kB'$$),
               ($$SET lucia_auth.argon2id_iterations = 1$$),
               ($$SET lucia_auth.argon2id_max_memory = '1GB'$$),
               ($$SET lucia_auth.argon2id_max_iterations = 64$$),
               ($$SET lucia_auth.verify_bcrypt = on$$),
               ($$SET lucia_auth.bcrypt_max_cost = 31$$),
               ($$SET LOCAL lucia_auth.active_period = '365d'$$),
               ($$SELECT set_config('lucia_auth.active_period', '365d', false)$$),
               ($$SELECT set_config('lucia_auth.session_table', 'public.other_session', true)$$),
               ($$SELECT set_config('lucia_auth.password_hash', 'argon2id', false)$$),
               ($$ALTER ROLE lucia_regress_sec_app SET lucia_auth.idle_period = '365d'$$),
               ($$ALTER ROLE lucia_regress_sec_app SET lucia_auth.user_table = 'public.other_user'$$),
               ($$SET lucia_auth.made_up = 'x'$$)) AS t(s);
-- (The default of lucia_auth.max_concurrent_hashes depends on the machine: logins.sql.)
SELECT name, setting FROM pg_settings
  WHERE name LIKE 'lucia_auth.%' AND name <> 'lucia_auth.max_concurrent_hashes' ORDER BY name;
RESET ROLE;
SELECT count(*) AS role_settings FROM pg_db_role_setting
  WHERE setrole = 'lucia_regress_sec_app'::regrole;

-- In a new session, before the module is loaded, the names are not yet known: a value the role sets
-- then, or asks its role to get, is refused once the module defines the settings.
\c -
SET ROLE lucia_regress_sec_app;
SELECT regress.error_of($$ALTER ROLE lucia_regress_sec_app SET lucia_auth.session_table = 'public.other_session'$$);
SET lucia_auth.session_table = 'public.other_session';
SELECT set_config('lucia_auth.active_period', '365d', false);
SELECT * FROM lucia_auth.table_names();
SHOW lucia_auth.session_table;
SHOW lucia_auth.active_period;
RESET ROLE;

DROP ROLE lucia_regress_sec_nobody;
REVOKE ALL ON SCHEMA lucia_auth FROM lucia_regress_sec_usage;
DROP ROLE lucia_regress_sec_usage;
REVOKE ALL ON SCHEMA lucia_auth FROM lucia_regress_sec_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA lucia_auth FROM lucia_regress_sec_app;
DROP ROLE lucia_regress_sec_app;

\i test/sql/include/teardown.sql
