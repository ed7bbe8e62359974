-- Hashed session ids (lucia_auth.session_id_storage = sha256): the session table holds "sha256$" and the
-- hex SHA-256 of the token; the token is what the client holds and what every function takes. A value
-- read from the table never validates. Sessions stored plain keep validating after the switch, and
-- hash_session_ids converts them in batches without changing any token.
\i test/sql/include/setup.sql
\pset null (null)
CREATE SCHEMA hs;
SET lucia_auth.user_table = 'hs.auth_user';
SET lucia_auth.key_table = 'hs.user_key';
SET lucia_auth.session_table = 'hs.user_session';
SELECT lucia_auth.create_tables();
ALTER TABLE hs.user_session ADD COLUMN device text;
SELECT user_id FROM lucia_auth.create_user('hs-user');
SELECT user_id FROM lucia_auth.create_user('hs-other');

-- The default is Lucia v2's: the token is stored as it is.
SHOW lucia_auth.session_id_storage;
SELECT session_id AS plain_token FROM lucia_auth.create_session('hs-user', '{"device": "phone"}') \gset
SELECT id = :'plain_token' AS stored_as_is FROM hs.user_session;

-- Switched to sha256: a new session's row holds the digest; the caller gets the token.
SET lucia_auth.session_id_storage = sha256;
SELECT session_id AS hashed_token, session_id ~ '^[a-z0-9]{40}$' AS token_shape, session_attributes
  FROM lucia_auth.create_session('hs-user', '{"device": "laptop"}') \gset
SELECT :'hashed_token' ~ '^[a-z0-9]{40}$' AS token_shape;
SELECT id ~ '^sha256\$[0-9a-f]{64}$' AS digest_shape,
       id = 'sha256$' || encode(sha256(convert_to(:'hashed_token', 'UTF8')), 'hex') AS is_sha256_of_token,
       device
  FROM hs.user_session WHERE id <> :'plain_token';
-- Every function takes the token; the session comes back with it.
SELECT session_id = :'hashed_token' AS returns_token, state, session_attributes
  FROM lucia_auth.validate_session(:'hashed_token');
SELECT session_id = :'hashed_token' AS returns_token, state FROM lucia_auth.get_session(:'hashed_token');
SELECT session_id = :'hashed_token' AS returns_token, session_attributes
  FROM lucia_auth.update_session_attributes(:'hashed_token', '{"device": "desktop"}');
-- An idle hashed session is renewed, by its digest.
UPDATE hs.user_session SET active_expires = 0 WHERE device = 'desktop';
SELECT session_id = :'hashed_token' AS returns_token, state, fresh FROM lucia_auth.validate_session(:'hashed_token');
SELECT active_expires > 0 AS renewed FROM hs.user_session WHERE device = 'desktop';
-- The session stored plain before the switch keeps validating, with its token.
SELECT session_id = :'plain_token' AS returns_token, state FROM lucia_auth.validate_session(:'plain_token');

-- A custom session id of the stored form is refused, in either mode.
SELECT regress.error_of($$SELECT lucia_auth.create_session('hs-user', '{}', 'sha256$0123')$$);

-- hash_session_ids converts the plain-stored sessions; their tokens keep validating.
SELECT session_id AS plain_2 FROM lucia_auth.create_session('hs-other', '{}', 'other-plain-2') \gset
UPDATE hs.user_session SET id = 'other-plain-2' WHERE id LIKE 'sha256$%' AND user_id = 'hs-other';
SELECT session_id AS plain_3 FROM lucia_auth.create_session('hs-other', '{}', 'other-plain-3') \gset
UPDATE hs.user_session SET id = 'other-plain-3' WHERE id LIKE 'sha256$%' AND user_id = 'hs-other';
SELECT count(*) FILTER (WHERE id NOT LIKE 'sha256$%') AS plain_rows, count(*) AS all_rows FROM hs.user_session;
SELECT lucia_auth.hash_session_ids(2) AS converted;
SELECT lucia_auth.hash_session_ids(2) AS converted;
SELECT lucia_auth.hash_session_ids() AS converted_when_none_is_left;
SELECT count(*) FILTER (WHERE id NOT LIKE 'sha256$%') AS plain_rows, count(*) AS all_rows FROM hs.user_session;
SELECT n AS token, v.state, v.session_id = t AS returns_token
  FROM unnest(ARRAY[:'plain_token', :'plain_2', :'plain_3', :'hashed_token'],
              ARRAY['plain (phone)', 'plain 2', 'plain 3', 'hashed (desktop)']) AS x(t, n),
       LATERAL lucia_auth.validate_session(t) AS v ORDER BY 1;

-- No value read from the table validates, whatever takes it.
SELECT f, count(*) AS stored_values, count(*) FILTER (WHERE e = '28000: AUTH_INVALID_SESSION_ID') AS refused
  FROM hs.user_session AS s,
       unnest(ARRAY['validate_session', 'get_session', 'update_session_attributes',
                    'invalidate_other_sessions']) AS f,
       LATERAL regress.error_of(CASE f
         WHEN 'update_session_attributes' THEN format('SELECT lucia_auth.%s(%L, ''{}'')', f, s.id)
         ELSE format('SELECT lucia_auth.%s(%L)', f, s.id) END) AS e
  GROUP BY f ORDER BY f;
-- Nor in plain mode, where the stored value would otherwise match its row as it is.
SET lucia_auth.session_id_storage = plain;
SELECT count(*) AS stored_values,
       count(*) FILTER (WHERE regress.error_of(format('SELECT lucia_auth.validate_session(%L)', id))
                              = '28000: AUTH_INVALID_SESSION_ID') AS refused
  FROM hs.user_session;
-- Sessions stored hashed keep validating after a switch back to plain.
SELECT state FROM lucia_auth.validate_session(:'hashed_token');
SET lucia_auth.session_id_storage = sha256;

-- get_all_user_sessions lists a hashed session by its stored id (which never validates); that id signs
-- the one session out.
SELECT session_id ~ '^sha256\$' AS stored_id, state, session_attributes
  FROM lucia_auth.get_all_user_sessions('hs-user') ORDER BY session_attributes ->> 'device';
SELECT session_id AS listed FROM lucia_auth.get_all_user_sessions('hs-user')
  WHERE session_attributes ->> 'device' = 'desktop' \gset
SELECT lucia_auth.invalidate_session(:'listed');
SELECT regress.error_of(format('SELECT lucia_auth.validate_session(%L)', :'hashed_token'));
-- invalidate_session with the token deletes a session in either form.
SELECT lucia_auth.invalidate_session(:'plain_2');
SELECT regress.error_of(format('SELECT lucia_auth.validate_session(%L)', :'plain_2'));
SELECT count(*) AS sessions_left FROM hs.user_session;

-- Bad input: a batch size must be between 1 and 1000000.
SELECT b, regress.error_of(format('SELECT lucia_auth.hash_session_ids(%s)', b))
  FROM unnest(ARRAY[0, -1, 1000001, 2147483647]) AS b;
SELECT lucia_auth.hash_session_ids(NULL) AS null_batch;
SELECT regress.error_of($$SET lucia_auth.session_id_storage = md5$$);
-- The setting is superuser-only.
CREATE ROLE hs_app;
SET ROLE hs_app;
SELECT regress.error_of($$SET lucia_auth.session_id_storage = plain$$);
RESET ROLE;
DROP ROLE hs_app;

DROP SCHEMA hs CASCADE;
RESET lucia_auth.session_id_storage;
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;
RESET lucia_auth.session_table;

\i test/sql/include/teardown.sql
