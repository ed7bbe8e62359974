-- PostgREST, replayed. PostgREST is not installed here, so this file sends what PostgREST (v12) sends
-- for each request of the notes API of examples/postgrest (schema.sql), on one connection as its
-- authenticator role, as its documentation describes the request's transaction
-- (https://docs.postgrest.org/en/v12/references/transactions.html): BEGIN, READ ONLY for GET and READ
-- WRITE for POST; one statement of set_config(…, true) calls for search_path, role (SET LOCAL ROLE),
-- request.jwt.claims, request.method, request.path, request.headers and request.cookies (JSON objects,
-- header names lower case); the pre-request function (db-pre-request); the request's query, whose
-- response_headers column PostgREST adds to the response (response.headers, a JSON array of single-key
-- objects); COMMIT. The statements are PostgREST's own, prepared as it prepares them.
--
-- lucia_auth.postgrest_pre_request() makes the user of the session cookie (or of a bearer token) the
-- identity of the request; without a valid session the request is anonymous and no error; an idle
-- session is renewed, with its new cookie in response.headers, by a POST, never by a GET, which cannot
-- write.
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
\pset null (null)
\i examples/postgrest/schema.sql
SELECT user_id FROM lucia_auth.create_user('ada', 'email', 'ada@example.com', 'ada password');
SELECT user_id FROM lucia_auth.create_user('bob', 'email', 'bob@example.com', 'bob password');
SELECT session_id FROM lucia_auth.create_session('bob', '{}', 'bob-session');
INSERT INTO notes_api.notes (owner, body) VALUES ('ada', 'ada''s first note'), ('bob', 'bob''s note');

-- PostgREST's statements.
PREPARE pgrst_settings(text, text, text, text, text, text, text) AS
  select set_config('search_path', $1, true), set_config('role', $2, true), set_config('request.jwt.claims', $3, true), set_config('request.method', $4, true), set_config('request.path', $5, true), set_config('request.headers', $6, true), set_config('request.cookies', $7, true);
PREPARE pgrst_pre_request AS
  select "lucia_auth"."postgrest_pre_request"();
-- GET /notes
PREPARE pgrst_get_notes AS
  WITH pgrst_source AS ( SELECT "notes_api"."notes".* FROM "notes_api"."notes"   )  SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status FROM ( SELECT * FROM pgrst_source ) _postgrest_t;
-- POST /notes (Prefer: return=representation), the body's columns as PostgREST reads them.
PREPARE pgrst_post_notes(json) AS
  WITH pgrst_source AS (INSERT INTO "notes_api"."notes"("body") SELECT "pgrst_body"."body" FROM (SELECT $1 AS json_data) pgrst_payload, LATERAL (SELECT "body" FROM json_to_record(pgrst_payload.json_data) AS _("body" text) ) pgrst_body  RETURNING "notes_api"."notes".*) SELECT '' AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, array[]::text[] AS header, coalesce(json_agg(_postgrest_t), '[]') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status FROM (SELECT "notes"."id", "notes"."owner", "notes"."body" FROM "pgrst_source" AS "notes") _postgrest_t;
PREPARE pgrst_post_notes_with_owner(json) AS
  WITH pgrst_source AS (INSERT INTO "notes_api"."notes"("owner", "body") SELECT "pgrst_body"."owner", "pgrst_body"."body" FROM (SELECT $1 AS json_data) pgrst_payload, LATERAL (SELECT "owner", "body" FROM json_to_record(pgrst_payload.json_data) AS _("owner" text, "body" text) ) pgrst_body  RETURNING "notes_api"."notes".*) SELECT '' AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, array[]::text[] AS header, coalesce(json_agg(_postgrest_t), '[]') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status FROM (SELECT "notes"."id", "notes"."owner", "notes"."body" FROM "pgrst_source" AS "notes") _postgrest_t;
-- POST /rpc/sign_in, POST /rpc/sign_out
PREPARE pgrst_sign_in(json) AS
  WITH pgrst_source AS (SELECT "notes_api"."sign_in"("email" := pgrst_args."email", "password" := pgrst_args."password") pgrst_scalar FROM json_to_record($1) AS pgrst_args ("email" text, "password" text)) SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status FROM (SELECT * FROM pgrst_source) _postgrest_t;
PREPARE pgrst_sign_out AS
  WITH pgrst_source AS (SELECT "notes_api"."sign_out"() pgrst_scalar) SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status FROM (SELECT * FROM pgrst_source) _postgrest_t;

-- The identity that the pre-request gives a request with these cookies and headers.
CREATE FUNCTION regress.pre_request(cookies text, headers text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('request.cookies', cookies, true), set_config('request.headers', headers, true);
  PERFORM lucia_auth.postgrest_pre_request();
  RETURN coalesce(lucia_auth.current_user_id(), '(anonymous)');
END $$;
-- A Set-Cookie header with its token and date replaced, for the expected output.
CREATE FUNCTION regress.masked(headers text) RETURNS text LANGUAGE sql AS $$
  SELECT regexp_replace(regexp_replace(headers, '=[a-z0-9]{40};', '=<token>;', 'g'), 'Expires=[^;]+', 'Expires=<date>', 'g')
$$;

-- PostgREST connects as its authenticator role.
SET SESSION AUTHORIZATION notes_authenticator;

-- 1. GET /notes without a session: anonymous, no error, and the policy shows nothing.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'GET', '/notes', '{"accept":"*/*","host":"localhost:3000","user-agent":"curl/7.88.1"}', '{}') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_get_notes;
SELECT current_user, lucia_auth.current_user_id() AS identity;
COMMIT;

-- 2. POST /rpc/sign_in: a new session; its cookie is in response.headers.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'POST', '/rpc/sign_in', '{"content-type":"application/json","host":"localhost:3000"}', '{}') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_sign_in('{"email": "Ada@example.com", "password": "ada password"}') \gset sign_in_
COMMIT;
SELECT :'sign_in_body' AS body, regress.masked(:'sign_in_response_headers') AS response_headers;
SELECT substring(:'sign_in_response_headers' FROM 'auth_session=([a-z0-9]{40});') AS ada_token \gset
\set ada_cookies '{"auth_session":"' :ada_token '"}'
\set ada_headers '{"cookie":"auth_session=' :ada_token '","host":"localhost:3000"}'

-- 3. GET /notes with the cookie: ada's notes only, nothing written.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'GET', '/notes', :'ada_headers', :'ada_cookies') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_get_notes;
SELECT lucia_auth.current_user_id() AS identity, txid_current_if_assigned() AS transaction_id;
COMMIT;

-- 4. POST /notes with the cookie: the note is ada's; a note for bob is refused by the policy.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'POST', '/notes', :'ada_headers', :'ada_cookies') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_post_notes('{"body": "ada''s second note"}');
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'POST', '/notes', :'ada_headers', :'ada_cookies') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_post_notes_with_owner('{"owner": "bob", "body": "a note in bob''s name"}');
ROLLBACK;

-- 5. A bearer token in the Authorization header, no cookie: bob's notes, GET and POST.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'GET', '/notes', '{"authorization":"Bearer bob-session","host":"localhost:3000"}', '{}') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_get_notes;
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'POST', '/notes', '{"authorization":"Bearer bob-session","host":"localhost:3000"}', '{}') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_post_notes('{"body": "bob''s second note"}');
COMMIT;
-- The cookie, when there is one, is the session; an empty cookie is none.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'GET', '/notes', '{"authorization":"Bearer bob-session"}', :'ada_cookies') \g /dev/null
EXECUTE pgrst_pre_request;
SELECT lucia_auth.current_user_id() AS cookie_and_bearer;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'GET', '/notes', '{"authorization":"Bearer bob-session"}', '{"auth_session":""}') \g /dev/null
EXECUTE pgrst_pre_request;
SELECT lucia_auth.current_user_id() AS empty_cookie_and_bearer;
COMMIT;

-- 6. Sessions that are not valid leave the request anonymous, without an error; so do a malformed
-- header and a cookie of another name. A valid cookie, read as Lucia reads the Cookie header
-- (quotes removed, %-escapes decoded), is a session.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'GET', '/notes', '{}', '{}') \g /dev/null
SELECT replace(c, :'ada_token', '<ada''s token>') AS request_cookies, h AS request_headers,
       regress.pre_request(c, h) AS identity
  FROM (VALUES ('{"auth_session":"no-such-session"}', '{}'),
               ('{"auth_session":"' || :'ada_token' || '"}', '{}'),
               ('{}', '{"authorization":"Bearer no-such-session"}'),
               ('{}', '{"authorization":"Basic YWRhOnBhc3N3b3Jk"}'),
               ('{}', '{"authorization":"Bearer"}'),
               ('{"session":"bob-session"}', '{}'),
               ('{"auth_session":"\"bob-session\""}', '{}'),
               ('{"auth_session":"bob%2Dsession"}', '{}'),
               ('{"auth_session":{"nested":"bob-session"}}', '{}'),
               ('', ''),
               ('{"auth_session":"sha256$' || repeat('0', 64) || '"}', '{}')) AS r(c, h);
COMMIT;

-- 7. An idle session: a GET (read-only) accepts it as it is, writes nothing and sends no cookie; the
-- next POST renews it and adds its cookie to the headers already set.
RESET SESSION AUTHORIZATION;
UPDATE user_session SET active_expires = regress.now_ms() - 1000 WHERE id = :'ada_token';
SELECT active_expires AS idle_active_expires FROM user_session WHERE id = :'ada_token' \gset
SET SESSION AUTHORIZATION notes_authenticator;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'GET', '/notes', :'ada_headers', :'ada_cookies') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_get_notes;
SELECT lucia_auth.current_user_id() AS identity, txid_current_if_assigned() AS transaction_id;
COMMIT;
RESET SESSION AUTHORIZATION;
SELECT active_expires = :idle_active_expires AS unchanged_by_get FROM user_session WHERE id = :'ada_token';
SET SESSION AUTHORIZATION notes_authenticator;
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'POST', '/notes', :'ada_headers', :'ada_cookies') \g /dev/null
SELECT set_config('response.headers', '[{"Cache-Control": "no-store"}]', true) AS header_set_before;
EXECUTE pgrst_pre_request;
EXECUTE pgrst_post_notes('{"body": "ada''s third note"}') \gset post_
COMMIT;
SELECT :'post_body'::jsonb ->> 0 IS NOT NULL AS note_created, regress.masked(:'post_response_headers') AS response_headers;
SELECT :'post_response_headers'::jsonb -> 1 ->> 'Set-Cookie' LIKE 'auth_session=' || :'ada_token' || ';%' AS same_token;
RESET SESSION AUTHORIZATION;
SELECT active_expires > regress.now_ms() AS renewed_by_post FROM user_session WHERE id = :'ada_token';
SET SESSION AUTHORIZATION notes_authenticator;
-- Without a previous header, the array holds the cookie alone.
RESET SESSION AUTHORIZATION;
UPDATE user_session SET active_expires = regress.now_ms() - 1000 WHERE id = 'bob-session';
SET SESSION AUTHORIZATION notes_authenticator;
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'POST', '/notes', '{"authorization":"Bearer bob-session"}', '{}') \g /dev/null
EXECUTE pgrst_pre_request;
SELECT regress.masked(current_setting('response.headers')) AS response_headers;
ROLLBACK;

-- 8. POST /rpc/sign_out: the session is gone; the next request with its cookie is anonymous.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'POST', '/rpc/sign_out', :'ada_headers', :'ada_cookies') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_sign_out;
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'GET', '/notes', :'ada_headers', :'ada_cookies') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_get_notes;
SELECT lucia_auth.current_user_id() AS identity_after_sign_out;
COMMIT;
-- A wrong password is an error the client sees (PostgREST answers it with a 4xx status).
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
EXECUTE pgrst_settings('"notes_api"', 'notes_web', '{"role":"notes_web"}', 'POST', '/rpc/sign_in', '{}', '{}') \g /dev/null
EXECUTE pgrst_pre_request;
EXECUTE pgrst_sign_in('{"email": "ada@example.com", "password": "wrong"}');
ROLLBACK;
RESET SESSION AUTHORIZATION;

-- 9. lucia_auth.cookie_name names the cookie that is read and renewed.
SET lucia_auth.cookie_name = 'sid';
BEGIN;
SELECT regress.pre_request('{"auth_session":"bob-session"}', '{}') AS cookie_of_another_name,
       regress.pre_request('{"sid":"bob-session"}', '{}') AS cookie_sid;
SELECT regress.masked(current_setting('response.headers')) AS renewed_as_sid;
COMMIT;
RESET lucia_auth.cookie_name;
-- With hashed session ids (lucia_auth.session_id_storage = sha256) the renewed cookie holds the token,
-- never the stored digest.
SET lucia_auth.session_id_storage = sha256;
SELECT session_id FROM lucia_auth.create_session('bob', '{}', 'bob-hashed-session');
UPDATE user_session SET active_expires = regress.now_ms() - 1000 WHERE user_id = 'bob' AND id LIKE 'sha256$%';
BEGIN;
SELECT regress.pre_request('{"auth_session":"bob-hashed-session"}', '{}') AS hashed_session;
SELECT regress.masked(current_setting('response.headers')) AS renewed;
COMMIT;
RESET lucia_auth.session_id_storage;

-- 10. What PostgREST never sends is an error, which names the setting and shows none of its value.
BEGIN;
SELECT set_config('request.cookies', '{"auth_session": "bob-session"', true) IS NOT NULL AS cut_short;
SELECT regress.error_of('SELECT lucia_auth.postgrest_pre_request()') AS error;
SELECT set_config('request.cookies', '["bob-session"]', true) IS NOT NULL AS array;
SELECT regress.error_of('SELECT lucia_auth.postgrest_pre_request()') AS error;
SELECT set_config('request.cookies', '{}', true) IS NOT NULL AS no_cookie,
       set_config('request.headers', 'Bearer bob-session', true) IS NOT NULL AS not_json;
SELECT regress.error_of('SELECT lucia_auth.postgrest_pre_request()') AS error;
SELECT set_config('request.headers', '{}', true) IS NOT NULL AS no_header,
       set_config('request.cookies', '{"auth_session":"bob-session"}', true) IS NOT NULL AS bob;
UPDATE user_session SET active_expires = regress.now_ms() - 1000 WHERE id = 'bob-session';
SELECT set_config('response.headers', '{"Cache-Control": "no-store"}', true) IS NOT NULL AS headers_not_an_array;
SELECT regress.error_of('SELECT lucia_auth.postgrest_pre_request()') AS error;
COMMIT;

RESET SESSION AUTHORIZATION;
DEALLOCATE ALL;
DROP SCHEMA notes_api CASCADE;
DROP OWNED BY notes_web, notes_auth, notes_authenticator;
DROP ROLE notes_web, notes_auth, notes_authenticator;
\i test/sql/include/teardown.sql
