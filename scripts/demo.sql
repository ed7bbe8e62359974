-- The demo's steps, run by scripts/demo-in-cluster.sh. Statements that carry a password or a session id
-- go through $DEMO_QUERY (scripts/bind-query.c), which sends them as bind parameters: psql 15 cannot,
-- and a value spliced into the SQL text can reach the server log with it (README, Logging).
\set QUIET on
\pset pager off
\pset footer off
\echo '== lucia_auth demo: a throwaway PostgreSQL 15 with the extension'
CREATE EXTENSION lucia_auth;
-- Milliseconds since the epoch (how Lucia stores expiries), as a time to read.
CREATE FUNCTION demo_time(ms bigint) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT to_char(to_timestamp(ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS" UTC"') $$;
\echo
\echo '== 1. The auth tables, in the layout of Lucia''s PostgreSQL adapter, plus a username column'
SELECT lucia_auth.create_tables() \g /dev/null
ALTER TABLE auth_user ADD COLUMN username text;
SELECT * FROM lucia_auth.table_names();

\echo '== 2. Sign-up: a user and its email key, the password hashed as Lucia v2 does (s2 scrypt)'
\echo '   The password, "correct horse battery staple", is in $DEMO_PASSWORD and travels as a bind'
\echo '   parameter: never in the SQL text, where a failing statement would write it to the server log.'
\! "$DEMO_QUERY" 'SELECT * FROM lucia_auth.create_user(provider_id => $1, provider_user_id => $2, password => $3, attributes => $4)' email ada@example.com @DEMO_PASSWORD '{"username": "ada"}'
SELECT user_id AS uid FROM lucia_auth.get_key('email', 'ada@example.com') \gset
SELECT id AS key_id, left(hashed_password, 40) || '...' AS hashed_password FROM user_key;

\echo '== 3. Login: use_key checks the password; a wrong one is AUTH_INVALID_PASSWORD'
\! "$DEMO_QUERY" 'SELECT * FROM lucia_auth.use_key($1, $2, $3)' email ada@example.com @DEMO_PASSWORD
\! "$DEMO_QUERY" 'SELECT * FROM lucia_auth.use_key($1, $2, $3)' email ada@example.com @DEMO_WRONG_PASSWORD

\echo '== 4. A session for the user (its id, 40 random characters, is a credential: from here on it'
\echo '   travels as a bind parameter, $DEMO_SID), and the cookie to send back'
SELECT session_id AS sid FROM lucia_auth.create_session(:'uid') \gset
\setenv DEMO_SID :sid
\! "$DEMO_QUERY" 'SELECT state, fresh, demo_time(active_expires) AS active_until, demo_time(idle_expires) AS renewable_until FROM lucia_auth.validate_session($1)' @DEMO_SID
\! "$DEMO_QUERY" 'SELECT lucia_auth.create_session_cookie(session_id, idle_expires) AS "Set-Cookie" FROM lucia_auth.get_session($1)' @DEMO_SID

\echo '== 5. The next request: read the cookie and validate the session, in one round trip'
\setenv DEMO_COOKIE 'theme=dark; auth_session=':sid
\! "$DEMO_QUERY" 'SELECT s.state, s.fresh, s.user_attributes FROM lucia_auth.validate_session(lucia_auth.read_session_cookie($1)) AS s' @DEMO_COOKIE

\echo '== 6. A day later the session is idle: validate_session renews it in place (fresh = true)'
UPDATE user_session SET active_expires = active_expires - 86400001, idle_expires = idle_expires - 86400001
  WHERE user_id = :'uid';
\echo '   Before, as stored (a day older):'
SELECT demo_time(active_expires) AS active_until, demo_time(idle_expires) AS renewable_until
  FROM user_session WHERE user_id = :'uid';
\! "$DEMO_QUERY" 'SELECT state, fresh, demo_time(active_expires) AS active_until, demo_time(idle_expires) AS renewable_until FROM lucia_auth.validate_session($1)' @DEMO_SID
\echo '   After, as stored (renewed: a day later again):'
SELECT demo_time(active_expires) AS active_until, demo_time(idle_expires) AS renewable_until
  FROM user_session WHERE user_id = :'uid';
\! "$DEMO_QUERY" 'SELECT state, fresh FROM lucia_auth.validate_session($1)' @DEMO_SID

\echo '== 7. Logout: invalidate the session and clear the cookie; the old session is invalid'
\! "$DEMO_QUERY" 'SELECT lucia_auth.invalidate_session($1)' @DEMO_SID
SELECT lucia_auth.create_session_cookie(NULL, NULL) AS "Set-Cookie";
\! "$DEMO_QUERY" 'SELECT state FROM lucia_auth.validate_session($1)' @DEMO_SID
