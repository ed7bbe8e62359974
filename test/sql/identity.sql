-- The signed-in user as the identity of the transaction: authenticate(session_id) validates the session
-- as validate_session does and makes its user the identity that current_user_id() returns, until the
-- transaction ends (or a subtransaction that set it rolls back). Nothing else can set it: not SET,
-- set_config(), a function's SET clause, ALTER ROLE/DATABASE/SYSTEM, pg_settings or connection options,
-- for superusers neither. current_user_id() is right in parallel workers.
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
\pset null (null)
SELECT user_id FROM lucia_auth.create_user('ada');
SELECT user_id FROM lucia_auth.create_user('bob');
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'ada-token');
SELECT session_id FROM lucia_auth.create_session('bob', '{}', 'bob-token');
-- create_user refuses an empty id, but a table may hold one.
INSERT INTO auth_user VALUES ('');
INSERT INTO user_session VALUES ('empty-user-token', '', regress.now_ms() + 60000, regress.now_ms() + 120000);
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'ada-idle-token');
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'ada-dead-token');
UPDATE user_session SET active_expires = regress.now_ms() - 1000 WHERE id = 'ada-idle-token';
UPDATE user_session SET active_expires = regress.now_ms() - 2000, idle_expires = regress.now_ms() - 1000
  WHERE id = 'ada-dead-token';

-- 1. The functions ------------------------------------------------------------------------------------

-- current_user_id: STABLE (the planner may evaluate it once per statement), PARALLEL SAFE, LEAKPROOF,
-- callable by PUBLIC, not security definer. authenticate: like validate_session.
SELECT p.proname, p.provolatile, p.proparallel, p.proleakproof, p.prosecdef,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute
  FROM pg_proc p
  WHERE p.oid IN ('lucia_auth.current_user_id()'::regprocedure, 'lucia_auth.authenticate(text)'::regprocedure,
                  'lucia_auth.postgrest_pre_request()'::regprocedure)
  ORDER BY p.proname;

-- A printed plan shows authenticate's session id redacted, as validate_session's (test/sql/redaction.sql).
EXPLAIN (VERBOSE, COSTS OFF) SELECT user_id FROM lucia_auth.authenticate('ada-token');

-- 2. Set by authenticate, for the transaction --------------------------------------------------------

SELECT lucia_auth.current_user_id() AS before_any_call;
BEGIN;
SELECT session_id, user_id, state, fresh FROM lucia_auth.authenticate('ada-token');
SELECT lucia_auth.current_user_id() AS in_the_transaction;
SELECT lucia_auth.current_user_id() AS in_a_later_statement;
COMMIT;
SELECT lucia_auth.current_user_id() AS after_commit;
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('ada-token');
ROLLBACK;
SELECT lucia_auth.current_user_id() AS after_rollback;
-- A statement of its own is a transaction of its own.
SELECT user_id, lucia_auth.current_user_id() AS in_the_same_statement FROM lucia_auth.authenticate('bob-token');
SELECT lucia_auth.current_user_id() AS next_statement;
-- A user id may be the empty string; it is not the same as no identity.
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('empty-user-token');
SELECT lucia_auth.current_user_id() AS empty_user, lucia_auth.current_user_id() IS NULL AS is_null;
COMMIT;

-- Called twice in one transaction, the last call wins (as SET LOCAL ROLE does).
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('ada-token');
SELECT user_id FROM lucia_auth.authenticate('bob-token');
SELECT lucia_auth.current_user_id() AS after_two_calls;
COMMIT;

-- 3. Subtransactions ----------------------------------------------------------------------------------

BEGIN;
SELECT user_id FROM lucia_auth.authenticate('ada-token');
SAVEPOINT s;
SELECT user_id FROM lucia_auth.authenticate('bob-token');
SELECT lucia_auth.current_user_id() AS in_savepoint;
ROLLBACK TO SAVEPOINT s;
SELECT lucia_auth.current_user_id() AS after_rollback_to_savepoint;
SAVEPOINT t;
SELECT user_id FROM lucia_auth.authenticate('bob-token');
RELEASE SAVEPOINT t;
SELECT lucia_auth.current_user_id() AS after_release;
COMMIT;
BEGIN;
SAVEPOINT s;
SELECT user_id FROM lucia_auth.authenticate('ada-token');
ROLLBACK TO SAVEPOINT s;
SELECT lucia_auth.current_user_id() AS set_only_in_a_rolled_back_savepoint;
COMMIT;
-- An exception block is a subtransaction too: what it set goes with it.
DO $$
BEGIN
  BEGIN
    PERFORM lucia_auth.authenticate('ada-token');
    RAISE NOTICE 'inside the block: %', lucia_auth.current_user_id();
    RAISE division_by_zero;
  EXCEPTION WHEN division_by_zero THEN
    RAISE NOTICE 'after the block: %', coalesce(lucia_auth.current_user_id(), '(null)');
  END;
END $$;
-- Set inside a function with SET clauses of its own (authenticate has one), it outlives the function.
CREATE FUNCTION regress.sign_in(token text) RETURNS text LANGUAGE plpgsql SET work_mem = '2MB' AS $$
BEGIN
  PERFORM lucia_auth.authenticate(token);
  RETURN lucia_auth.current_user_id();
END $$;
BEGIN;
SELECT regress.sign_in('bob-token');
SELECT lucia_auth.current_user_id() AS after_the_function;
COMMIT;

-- 4. Sessions that are not valid ----------------------------------------------------------------------

-- Each is AUTH_INVALID_SESSION_ID, as validate_session, and leaves the identity as it was.
BEGIN;
SELECT t AS token, regress.error_of(format('SELECT lucia_auth.authenticate(%L)', t)) AS error,
       lucia_auth.current_user_id() AS identity_after
  FROM unnest(ARRAY['no-such-token', 'ada-dead-token', '']) AS t;
SELECT regress.error_of('SELECT lucia_auth.authenticate(NULL)') AS null_token,
       lucia_auth.current_user_id() AS identity_after;
SELECT user_id FROM lucia_auth.authenticate('ada-token');
SELECT regress.error_of($$SELECT lucia_auth.authenticate('no-such-token')$$) AS missing,
       lucia_auth.current_user_id() AS identity_after;
COMMIT;
-- A session whose user row is gone.
ALTER TABLE user_session DROP CONSTRAINT user_session_user_id_fkey;
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'orphan-token');
UPDATE user_session SET user_id = 'nobody' WHERE id = 'orphan-token';
SELECT regress.error_of($$SELECT lucia_auth.authenticate('orphan-token')$$) AS orphan;

-- An idle session is renewed as validate_session renews it; in a read-only transaction it is accepted
-- as it is, and not written.
BEGIN READ ONLY;
SELECT user_id, state, fresh FROM lucia_auth.authenticate('ada-idle-token');
SELECT lucia_auth.current_user_id() AS read_only_identity, txid_current_if_assigned() AS transaction_id;
COMMIT;
SELECT active_expires < regress.now_ms() AS still_idle FROM user_session WHERE id = 'ada-idle-token';
SELECT user_id, state, fresh FROM lucia_auth.authenticate('ada-idle-token');
SELECT active_expires > regress.now_ms() AS renewed FROM user_session WHERE id = 'ada-idle-token';

-- 5. Hashed session ids -------------------------------------------------------------------------------

SET lucia_auth.session_id_storage = sha256;
SELECT session_id FROM lucia_auth.create_session('bob', '{}', 'bob-hashed-token');
SELECT id ~ '^sha256\$' AS stored_as_digest FROM user_session WHERE user_id = 'bob' AND id <> 'bob-token';
BEGIN;
SELECT session_id, user_id FROM lucia_auth.authenticate('bob-hashed-token');
SELECT lucia_auth.current_user_id() AS hashed_identity;
COMMIT;
-- The stored digest is no token; a session stored plain before the switch still authenticates.
SELECT regress.error_of(format('SELECT lucia_auth.authenticate(%L)', id)) AS stored_digest,
       lucia_auth.current_user_id() AS identity_after
  FROM user_session WHERE id ~ '^sha256\$';
SELECT user_id FROM lucia_auth.authenticate('ada-token');
RESET lucia_auth.session_id_storage;

-- 6. Nothing else sets it -----------------------------------------------------------------------------

-- As a superuser: SET, SET LOCAL, set_config (session and local), a function's SET clause (at CREATE and
-- ALTER FUNCTION), ALTER ROLE/DATABASE … SET, pg_settings, and a SECURITY DEFINER function of a
-- superuser. The message names no value.
BEGIN;
SELECT s AS statement, regress.error_of(s) AS error
  FROM unnest(ARRAY[
    $$SET lucia_auth.authenticated_user_id = 'ada'$$,
    $$SET LOCAL lucia_auth.authenticated_user_id = 'ada'$$,
    $$SET lucia_auth.authenticated_user_id = ''$$,
    $$SELECT set_config('lucia_auth.authenticated_user_id', 'ada', false)$$,
    $$SELECT set_config('lucia_auth.authenticated_user_id', 'ada', true)$$,
    $$CREATE FUNCTION regress.forge() RETURNS text LANGUAGE sql
        SET lucia_auth.authenticated_user_id = 'ada' AS 'SELECT lucia_auth.current_user_id()'$$,
    $$ALTER FUNCTION regress.sign_in(text) SET lucia_auth.authenticated_user_id = 'ada'$$,
    $$ALTER ROLE CURRENT_USER SET lucia_auth.authenticated_user_id = 'ada'$$,
    format('ALTER DATABASE %I SET lucia_auth.authenticated_user_id = %L', current_database(), 'ada'),
    format('ALTER ROLE CURRENT_USER IN DATABASE %I SET lucia_auth.authenticated_user_id = %L',
           current_database(), 'ada')
  ]) AS s;
SELECT lucia_auth.current_user_id() AS identity_after;
COMMIT;
UPDATE pg_settings SET setting = 'ada' WHERE name = 'lucia_auth.authenticated_user_id';
SELECT count(*) AS rows_in_pg_settings FROM pg_settings WHERE name LIKE 'lucia_auth.authenticated%';
SELECT count(*) AS settings_stored FROM pg_db_role_setting, unnest(setconfig) AS c
  WHERE c LIKE 'lucia_auth.authenticated_user_id%';
ALTER SYSTEM SET lucia_auth.authenticated_user_id = 'ada';
CREATE FUNCTION regress.forge_as_superuser(user_id text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog AS $$
BEGIN
  PERFORM set_config('lucia_auth.authenticated_user_id', user_id, true);
  RETURN lucia_auth.current_user_id();
END $$;
SELECT regress.error_of($$SELECT regress.forge_as_superuser('ada')$$) AS superuser_function;

-- As a role without privileges: SET and set_config are refused before the value is looked at, even
-- with SET granted on the parameter; the superuser's function does no better.
CREATE ROLE lucia_regress_id_app;
GRANT USAGE ON SCHEMA lucia_auth TO lucia_regress_id_app;
GRANT EXECUTE ON FUNCTION lucia_auth.authenticate(text) TO lucia_regress_id_app;
SET ROLE lucia_regress_id_app;
BEGIN;
SELECT s AS statement, regress.error_of(s) AS error
  FROM unnest(ARRAY[
    $$SET lucia_auth.authenticated_user_id = 'ada'$$,
    $$SELECT set_config('lucia_auth.authenticated_user_id', 'ada', true)$$,
    $$RESET lucia_auth.authenticated_user_id$$,
    $$SELECT regress.forge_as_superuser('ada')$$
  ]) AS s;
SELECT lucia_auth.current_user_id() AS identity_after;
COMMIT;
RESET ROLE;
GRANT SET ON PARAMETER lucia_auth.authenticated_user_id TO lucia_regress_id_app;
SET ROLE lucia_regress_id_app;
SELECT regress.error_of($$SET lucia_auth.authenticated_user_id = 'ada'$$) AS with_set_granted;
-- The role itself signs in only with a session.
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('bob-token');
SELECT lucia_auth.current_user_id() AS role_signed_in;
COMMIT;
RESET ROLE;
REVOKE SET ON PARAMETER lucia_auth.authenticated_user_id FROM lucia_regress_id_app;

-- RESET ALL (and DISCARD ALL, which does it) leaves the identity; RESET, which only superusers may run
-- on it, takes it away and can give it no value.
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('ada-token');
RESET ALL;
SELECT lucia_auth.current_user_id() AS after_reset_all;
RESET lucia_auth.authenticated_user_id;
SELECT lucia_auth.current_user_id() AS after_reset;
SELECT user_id FROM lucia_auth.authenticate('ada-token');
SET LOCAL lucia_auth.authenticated_user_id TO DEFAULT;
SELECT lucia_auth.current_user_id() AS after_set_to_default;
COMMIT;
DISCARD ALL;
SELECT lucia_auth.current_user_id() AS after_discard_all;

-- In a new connection, before the module is loaded: a value given in the connection's options, or set
-- before the first call, becomes a placeholder that the module refuses (with a WARNING) when it loads.
\c -reuse-previous=on "options='-c lucia_auth.authenticated_user_id=ada'"
SELECT lucia_auth.current_user_id() AS from_connection_options;
\c -reuse-previous=on "options=''"
SET lucia_auth.authenticated_user_id = 'ada';
SELECT lucia_auth.current_user_id() AS set_before_load;
\c -
-- A function's SET clause, accepted by the superuser while the module was not loaded, is refused when
-- the function runs.
CREATE FUNCTION regress.forge_by_set_clause() RETURNS text LANGUAGE sql
  SET lucia_auth.authenticated_user_id = 'ada' AS 'SELECT lucia_auth.current_user_id()';
SELECT regress.forge_by_set_clause() AS from_a_set_clause;
SELECT lucia_auth.current_user_id() AS afterwards;

-- 7. Parallel workers ---------------------------------------------------------------------------------

-- A parallel worker sees the identity of the leader's transaction: every row below is scanned by the
-- worker (the leader does not take part), and the worker's filter finds ada's rows.
CREATE TABLE regress.parallel_notes AS
  SELECT g AS id, CASE WHEN g % 4 = 0 THEN 'ada' ELSE 'bob' END AS owner FROM generate_series(1, 2000) g;
ANALYZE regress.parallel_notes;
SET force_parallel_mode = on;
SET parallel_leader_participation = off;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 1;
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('ada-token');
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
  SELECT count(*) FROM regress.parallel_notes WHERE owner = lucia_auth.current_user_id();
SELECT count(*) AS ada_rows_from_the_worker FROM regress.parallel_notes WHERE owner = lucia_auth.current_user_id();
COMMIT;
SELECT count(*) AS rows_without_identity FROM regress.parallel_notes WHERE owner = lucia_auth.current_user_id();
RESET force_parallel_mode;
RESET parallel_leader_participation;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- 8. The cookie name of postgrest_pre_request --------------------------------------------------------

SHOW lucia_auth.cookie_name;
SELECT v AS value, regress.error_of(format('SET lucia_auth.cookie_name = %L', v)) AS error
  FROM unnest(ARRAY['sid', '', 'a b', 'a;b', 'a=b', 'sé']) AS v;
RESET lucia_auth.cookie_name;
SET ROLE lucia_regress_id_app;
SELECT regress.error_of($$SET lucia_auth.cookie_name = 'sid'$$) AS unprivileged;
RESET ROLE;

DROP OWNED BY lucia_regress_id_app;
DROP ROLE lucia_regress_id_app;
\i test/sql/include/teardown.sql
