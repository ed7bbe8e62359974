-- A small notes API for PostgREST, on lucia_auth's cookie sessions. Run it as a superuser in the API's
-- database, after CREATE EXTENSION lucia_auth and SELECT lucia_auth.create_tables(); then start
-- PostgREST with postgrest.conf (beside this file). Each request runs as notes_web; its pre-request,
-- lucia_auth.postgrest_pre_request(), makes the user of the request's session cookie the identity of
-- the request's transaction, and the policies below show each user their own notes only.

-- Roles (https://docs.postgrest.org/en/v12/references/auth.html). PostgREST logs in as
-- notes_authenticator and runs every request as notes_web (db-anon-role: there is no JWT). notes_auth
-- owns the sign-in functions.
CREATE ROLE notes_authenticator LOGIN NOINHERIT;
CREATE ROLE notes_web NOLOGIN;
CREATE ROLE notes_auth NOLOGIN;
GRANT notes_web TO notes_authenticator;

-- The pre-request needs USAGE on schema lucia_auth and EXECUTE on itself. The policies need nothing:
-- PUBLIC may execute lucia_auth.current_user_id(), and schema USAGE is checked when CREATE POLICY
-- looks the name up, not when a policy runs.
GRANT USAGE ON SCHEMA lucia_auth TO notes_web, notes_auth;
GRANT EXECUTE ON FUNCTION lucia_auth.postgrest_pre_request() TO notes_web;
GRANT EXECUTE ON FUNCTION lucia_auth.use_key(text, text, text), lucia_auth.create_session(text, jsonb, text),
  lucia_auth.invalidate_session(text) TO notes_auth;

CREATE SCHEMA notes_api;
GRANT USAGE ON SCHEMA notes_api TO notes_web, notes_auth;

-- Each note belongs to the user who wrote it; the owner column defaults to the signed-in user. The
-- index on owner lets the planner read only that user's notes: it evaluates current_user_id() once,
-- as the key of the index scan.
CREATE TABLE notes_api.notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner text NOT NULL DEFAULT lucia_auth.current_user_id(),
  body text NOT NULL
);
CREATE INDEX notes_owner ON notes_api.notes (owner);
ALTER TABLE notes_api.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_of_the_signed_in_user ON notes_api.notes TO notes_web
  USING (owner = lucia_auth.current_user_id())
  WITH CHECK (owner = lucia_auth.current_user_id());
GRANT SELECT, INSERT, UPDATE (body), DELETE ON notes_api.notes TO notes_web;

-- Response headers are a JSON array of single-key objects; the pre-request may have put one there.
CREATE FUNCTION notes_api.add_response_header(name text, value text) RETURNS void
  LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  SELECT set_config('response.headers',
    (coalesce(nullif(current_setting('response.headers', true), ''), '[]')::jsonb
      || jsonb_build_array(jsonb_build_object(name, value)))::text, true)
$$;

-- POST /rpc/sign_in {"email": …, "password": …}: a new session, sent as the session cookie.
-- AUTH_INVALID_KEY_ID and AUTH_INVALID_PASSWORD (SQLSTATE 28000, 28P01) reach the client as errors.
CREATE FUNCTION notes_api.sign_in(email text, password text) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  session lucia_auth.session_record;
BEGIN
  SELECT s.* INTO session
    FROM lucia_auth.use_key('email', lower(email), password) AS k, lucia_auth.create_session(k.user_id) AS s;
  PERFORM notes_api.add_response_header('Set-Cookie',
    lucia_auth.create_session_cookie(session.session_id, session.idle_expires));
END $$;

-- POST /rpc/sign_out: ends the request's session and sends the blank cookie.
CREATE FUNCTION notes_api.sign_out() RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  token text := nullif(current_setting('request.cookies', true), '')::json ->> 'auth_session';
BEGIN
  IF token IS NOT NULL AND token <> '' THEN
    PERFORM lucia_auth.invalidate_session(token);
  END IF;
  PERFORM notes_api.add_response_header('Set-Cookie', lucia_auth.create_session_cookie(NULL, NULL));
END $$;

ALTER FUNCTION notes_api.sign_in(text, text) OWNER TO notes_auth;
ALTER FUNCTION notes_api.sign_out() OWNER TO notes_auth;
REVOKE EXECUTE ON FUNCTION notes_api.add_response_header(text, text), notes_api.sign_in(text, text),
  notes_api.sign_out() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notes_api.sign_in(text, text), notes_api.sign_out() TO notes_web;
GRANT EXECUTE ON FUNCTION notes_api.add_response_header(text, text) TO notes_auth;
