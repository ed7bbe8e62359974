-- Redaction: a printed plan (EXPLAIN VERBOSE here, auto_explain in test/t/008_log_secrets.pl) shows no
-- password, hash or session id given to lucia_auth, whether written as a literal or bound as a parameter
-- of a custom plan, and every call still returns what it returns without redaction.
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
\pset null (null)
SELECT user_id FROM lucia_auth.create_user('rd-user', 'email', 'rd@example.com', 'rd-password');
SELECT session_id FROM lucia_auth.create_session('rd-user', session_id => 'rd-session-id');

-- Which functions redact what: every function with an argument named password, hash, session_id,
-- cookie_header or authorization_header has the support function, and no other has it.
SELECT p.proname, p.provolatile,
       array(SELECT a FROM unnest(p.proargnames) a
              WHERE a IN ('password', 'hash', 'session_id', 'cookie_header', 'authorization_header')) AS redacted,
       p.prosupport::regproc AS support
  FROM pg_proc p
  WHERE p.pronamespace = 'lucia_auth'::regnamespace
    AND (p.prosupport <> 0 OR p.proargnames && '{password,hash,session_id,cookie_header,authorization_header}')
  ORDER BY p.proname;
SELECT p.oid::regprocedure AS missing_support
  FROM pg_proc p
  WHERE p.pronamespace = 'lucia_auth'::regnamespace
    AND p.proargnames && '{password,hash,session_id,cookie_header,authorization_header}'
    AND p.prosupport <> 'lucia_auth.redact_support'::regproc;

-- The plan of a statement, as EXPLAIN VERBOSE prints it.
CREATE FUNCTION regress.plan_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  plan text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || statement LOOP
    plan := plan || line || E'\n';
  END LOOP;
  RETURN plan;
END $$;

-- Literal secrets (each contains "rd-secret") in every function that takes one: the plan shows the
-- marker instead. The control is a function of the same shape outside lucia_auth, whose literal shows.
CREATE FUNCTION regress.use_key_lookalike(provider_id text, provider_user_id text, password text)
  RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN password IS NOT NULL; END $$;
SELECT call, position('rd-secret' IN regress.plan_of(call)) > 0 AS shows_secret,
       position('<redacted>' IN regress.plan_of(call)) > 0 AS shows_marker
  FROM (VALUES
    ($$SELECT regress.use_key_lookalike('email', 'rd@example.com', 'rd-secret')$$),
    ($$SELECT lucia_auth.hash_password('rd-secret')$$),
    ($$SELECT lucia_auth.verify_password('rd-secret', hashed_password) FROM user_key$$),
    ($$SELECT lucia_auth.verify_password(id, 'rd-secret') FROM user_key$$),
    ($$SELECT lucia_auth.password_needs_rehash('rd-secret' || id) FROM user_key$$),
    ($$SELECT * FROM lucia_auth.create_user(NULL, 'email', 'x', 'rd-secret')$$),
    ($$SELECT * FROM lucia_auth.create_key('rd-user', 'email', 'x', 'rd-secret')$$),
    ($$SELECT * FROM lucia_auth.use_key('email', 'rd@example.com', 'rd-secret')$$),
    ($$SELECT * FROM lucia_auth.update_key_password('email', 'rd@example.com', 'rd-secret')$$),
    ($$SELECT * FROM lucia_auth.create_session('rd-user', '{}', 'rd-secret')$$),
    ($$SELECT * FROM lucia_auth.validate_session('rd-secret')$$),
    ($$SELECT * FROM lucia_auth.get_session('rd-secret')$$),
    ($$SELECT * FROM lucia_auth.update_session_attributes('rd-secret', '{}')$$),
    ($$SELECT lucia_auth.invalidate_session('rd-secret')$$),
    ($$SELECT lucia_auth.invalidate_other_sessions('rd-secret')$$),
    ($$SELECT lucia_auth.read_session_cookie('auth_session=rd-secret')$$),
    ($$SELECT lucia_auth.read_session_cookie('auth_session=rd-secret', user_id) FROM user_key$$),
    ($$SELECT lucia_auth.read_bearer_token('Bearer rd-secret')$$),
    ($$SELECT lucia_auth.create_session_cookie('rd-secret', 0)$$),
    ($$SELECT lucia_auth.create_session_cookie('rd-secret', idle_expires) FROM user_session$$)) AS t(call);

-- How it reads: the secret argument is a constant of type lucia_auth.redacted.
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM lucia_auth.use_key('email', 'rd@example.com', 'rd-secret');
EXPLAIN (VERBOSE, COSTS OFF) SELECT lucia_auth.verify_password('rd-secret', hashed_password) FROM user_key;
-- Constants inside a secret argument are redacted too, whatever their type.
EXPLAIN (VERBOSE, COSTS OFF) SELECT lucia_auth.hash_password('rd-secret' || random()::text);
EXPLAIN (VERBOSE, COSTS OFF)
  SELECT * FROM lucia_auth.use_key('email', 'rd@example.com', convert_from('\x72642d736563726574', 'UTF8'));

-- Bind parameters: a custom plan holds the values as constants, which are redacted; a generic plan
-- shows the parameter. The results are the same.
SET plan_cache_mode = force_custom_plan;
PREPARE login(text, text) AS SELECT * FROM lucia_auth.use_key('email', $1, $2);
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE login('rd@example.com', 'rd-password');
EXECUTE login('rd@example.com', 'rd-password');
SELECT regress.error_of($$EXECUTE login('rd@example.com', 'rd-wrong')$$);
PREPARE validate(text) AS SELECT session_id, user_id, state FROM lucia_auth.validate_session($1);
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE validate('rd-session-id');
EXECUTE validate('rd-session-id');
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE login('rd@example.com', 'rd-password');
EXECUTE login('rd@example.com', 'rd-password');
EXECUTE validate('rd-session-id');
RESET plan_cache_mode;
DEALLOCATE login;
DEALLOCATE validate;

-- verify_password depends on settings (STABLE): with constant arguments it stays a call, its arguments
-- redacted; a NULL argument of a STRICT function makes the call NULL before any redaction. The session
-- id read from a constant header is folded, into a redacted constant.
EXPLAIN (VERBOSE, COSTS OFF) SELECT lucia_auth.verify_password('rd-secret', 'not a hash');
EXPLAIN (VERBOSE, COSTS OFF) SELECT lucia_auth.hash_password(NULL);
EXPLAIN (VERBOSE, COSTS OFF) SELECT lucia_auth.read_session_cookie('theme=dark; auth_session=rd-secret');
SELECT lucia_auth.read_session_cookie('theme=dark; auth_session=rd-secret'),
       lucia_auth.read_session_cookie('theme=dark'),
       lucia_auth.read_bearer_token('Bearer rd-secret'),
       lucia_auth.create_session_cookie('rd-secret', 0, false);
-- A redacted constant is still a constant to the executor: the session row is found by its index.
SET enable_seqscan = off;
EXPLAIN (VERBOSE, COSTS OFF)
  SELECT id FROM user_session WHERE id = lucia_auth.read_session_cookie('auth_session=rd-session-id');
SELECT id FROM user_session WHERE id = lucia_auth.read_session_cookie('auth_session=rd-session-id');
RESET enable_seqscan;

-- An SQL function inlined around a redacted value simplifies it again: it stays redacted.
CREATE FUNCTION regress.pass_through(t text) RETURNS text LANGUAGE sql AS 'SELECT t';
EXPLAIN (VERBOSE, COSTS OFF) SELECT regress.pass_through(lucia_auth.read_bearer_token('Bearer rd-secret'));
SELECT regress.pass_through(lucia_auth.read_bearer_token('Bearer rd-secret'));

-- PL/pgSQL callers: their variables are parameters of custom plans, with the same results.
CREATE FUNCTION regress.login(email text, password text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT user_id FROM lucia_auth.use_key('email', email, password));
END $$;
SELECT regress.login('rd@example.com', 'rd-password');
SELECT regress.error_of($$SELECT regress.login('rd@example.com', 'rd-wrong')$$);

-- A redacted value cannot be written, directly or through a cast from text.
SELECT regress.error_of($$SELECT 'rd-secret'::lucia_auth.redacted$$);
SELECT regress.error_of($$SELECT 'rd-secret'::text::lucia_auth.redacted$$);

SELECT lucia_auth.delete_user('rd-user');
DROP FUNCTION regress.plan_of(text), regress.use_key_lookalike(text, text, text), regress.pass_through(text),
  regress.login(text, text);

\i test/sql/include/teardown.sql
