-- The direct path (validate_session and get_session reading the session and its user by probes of
-- their primary-key indexes, without the executor) gives the answer the SQL statement gives, in every
-- case, or is not taken. Each case below is run on the direct path and, where it differs, on the SQL
-- path (row-level security on the session table sends the reads there), with the same results.
\i test/sql/include/setup.sql
\pset null (null)
CREATE EXTENSION IF NOT EXISTS citext;
CREATE SCHEMA fp;
SET lucia_auth.user_table = 'fp.auth_user';
SET lucia_auth.key_table = 'fp.user_key';
SET lucia_auth.session_table = 'fp.user_session';
SELECT lucia_auth.create_tables();
ALTER TABLE fp.auth_user ADD COLUMN name text;
-- Sequential scans of a table, and scans of its indexes, counted by this backend and not yet reported
-- (compared before and after a call, within one transaction).
CREATE FUNCTION fp.scans(t regclass, OUT seq bigint, OUT idx bigint) LANGUAGE sql AS $$
  SELECT pg_stat_get_xact_numscans(t), coalesce(sum(pg_stat_get_xact_numscans(i.indexrelid)), 0)
  FROM pg_index i WHERE i.indrelid = t $$;

-- 1. One statement sees what its earlier calls wrote, as any VOLATILE function does.
SELECT user_id FROM lucia_auth.create_user('fp-user', attributes => '{"name": "Flo"}');
-- A session created and validated in one statement.
SELECT (s).state, (s).user_attributes
  FROM (SELECT lucia_auth.validate_session((SELECT session_id FROM lucia_auth.create_session('fp-user'))) s) x;
-- A user created, then a session for it, in one statement (the user table has a column of its own).
SELECT (lucia_auth.create_session((SELECT user_id FROM lucia_auth.create_user('fp-new', attributes => '{"name": "N"}')))).user_attributes;
-- A session invalidated, then validated, in one statement: it is gone.
SELECT session_id FROM lucia_auth.create_session('fp-user', '{}', 'fp-gone');
SELECT regress.error_of($$SELECT lucia_auth.validate_session(s)
  FROM (SELECT 'fp-gone' AS s, lucia_auth.invalidate_session('fp-gone') OFFSET 0) x$$);
-- An attribute changed, then read, in one statement.
ALTER TABLE fp.user_session ADD COLUMN device text;
SELECT session_id FROM lucia_auth.create_session('fp-user', '{"device": "old"}', 'fp-device');
SELECT (lucia_auth.get_session(s)).session_attributes
  FROM (SELECT 'fp-device' AS s, lucia_auth.update_session_attributes('fp-device', '{"device": "new"}') OFFSET 0) x;
-- A session that turned idle renews, and the renewal is seen by the next call of the same statement.
SELECT session_id FROM lucia_auth.create_session('fp-user', '{}', 'fp-idle');
UPDATE fp.user_session SET active_expires = 0 WHERE id = 'fp-idle';
SELECT g, (lucia_auth.validate_session('fp-idle')).fresh FROM generate_series(1, 2) g;

-- 2. Ids compare as their column's type compares, with the index used: citext.
DROP TABLE fp.user_session, fp.user_key, fp.auth_user;
CREATE TABLE fp.auth_user (id citext PRIMARY KEY);
CREATE TABLE fp.user_key (id citext PRIMARY KEY, user_id citext NOT NULL REFERENCES fp.auth_user (id),
                          hashed_password text);
CREATE TABLE fp.user_session (id citext PRIMARY KEY, user_id citext NOT NULL REFERENCES fp.auth_user (id),
                              active_expires bigint NOT NULL, idle_expires bigint NOT NULL);
CREATE INDEX ON fp.user_session (user_id);
SELECT user_id FROM lucia_auth.create_user('Ada', 'email', 'Ada@Example.com', 'pw');
SELECT session_id FROM lucia_auth.create_session('ADA', '{}', 'MixedCase');
SELECT provider_id, provider_user_id, user_id FROM lucia_auth.use_key('email', 'ada@example.COM', 'pw');
BEGIN;
SELECT seq AS seq_before, idx AS idx_before FROM fp.scans('fp.user_session') \gset
SELECT session_id, user_id, state FROM lucia_auth.validate_session('mixedcase');
SELECT session_id, user_id, state FROM lucia_auth.get_session('MIXEDCASE');
SELECT seq - :seq_before AS sequential_scans, idx > :idx_before AS index_used FROM fp.scans('fp.user_session');
COMMIT;
-- The same on the SQL path.
ALTER TABLE fp.user_session ENABLE ROW LEVEL SECURITY;
BEGIN;
SELECT seq AS seq_before, idx AS idx_before FROM fp.scans('fp.user_session') \gset
SELECT session_id, user_id, state FROM lucia_auth.validate_session('mixedcase');
SELECT seq - :seq_before AS sequential_scans, idx > :idx_before AS index_used FROM fp.scans('fp.user_session');
COMMIT;
ALTER TABLE fp.user_session DISABLE ROW LEVEL SECURITY;
SELECT count(*) AS sessions FROM lucia_auth.get_all_user_sessions('ada');
SELECT lucia_auth.invalidate_session('MIXEDCASE');
SELECT regress.error_of($$SELECT lucia_auth.validate_session('MixedCase')$$);

-- A domain over text, and a column of another (case-insensitive) collation.
DROP TABLE fp.user_session, fp.user_key, fp.auth_user;
CREATE DOMAIN fp.session_id AS text CHECK (length(VALUE) <= 40);
CREATE COLLATION fp.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE fp.auth_user (id text COLLATE fp.ci PRIMARY KEY);
CREATE TABLE fp.user_key (id text PRIMARY KEY, user_id text NOT NULL, hashed_password text);
CREATE TABLE fp.user_session (id fp.session_id PRIMARY KEY, user_id text COLLATE fp.ci NOT NULL,
                              active_expires bigint NOT NULL, idle_expires bigint NOT NULL);
SELECT user_id FROM lucia_auth.create_user('Bea');
SELECT session_id FROM lucia_auth.create_session('BEA', '{}', 'domain-session');
SELECT user_id FROM lucia_auth.create_session('bea');
-- A value the domain would refuse is no session, not an error.
SELECT regress.error_of($$SELECT lucia_auth.validate_session(repeat('x', 50))$$);
BEGIN;
SELECT seq AS seq_before, idx AS idx_before FROM fp.scans('fp.user_session') \gset
SELECT session_id, user_id, state FROM lucia_auth.validate_session('domain-session');
SELECT seq - :seq_before AS sequential_scans, idx > :idx_before AS index_used FROM fp.scans('fp.user_session');
COMMIT;
ALTER TABLE fp.user_session ENABLE ROW LEVEL SECURITY;
SELECT session_id, user_id, state FROM lucia_auth.validate_session('domain-session');
ALTER TABLE fp.user_session DISABLE ROW LEVEL SECURITY;

-- 3. A privilege revoked from the tables' owner takes effect at the next call, as it would for a
-- statement. The owner here is a role of its own, whose privileges the superuser has.
CREATE ROLE fp_owner;
ALTER TABLE fp.auth_user OWNER TO fp_owner;
ALTER TABLE fp.user_key OWNER TO fp_owner;
ALTER TABLE fp.user_session OWNER TO fp_owner;
GRANT USAGE ON SCHEMA fp TO fp_owner;
SELECT state FROM lucia_auth.validate_session('domain-session');
REVOKE SELECT ON fp.user_session FROM fp_owner;
SELECT regress.error_of($$SELECT lucia_auth.validate_session('domain-session')$$);
GRANT SELECT ON fp.user_session TO fp_owner;
SELECT state FROM lucia_auth.validate_session('domain-session');
-- The functions' owner must have the tables' owner's privileges, checked at every call.
CREATE ROLE fp_functions;
GRANT fp_owner TO fp_functions;
GRANT USAGE ON SCHEMA lucia_auth TO fp_functions;
ALTER FUNCTION lucia_auth.validate_session(text) OWNER TO fp_functions;
SELECT state FROM lucia_auth.validate_session('domain-session');
REVOKE fp_owner FROM fp_functions;
SELECT regress.error_of($$SELECT lucia_auth.validate_session('domain-session')$$);
ALTER FUNCTION lucia_auth.validate_session(text) OWNER TO CURRENT_USER;

-- 4. Tables whose rows are not all in their own heap: child tables.
DROP TABLE fp.user_session, fp.user_key, fp.auth_user;
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;
RESET lucia_auth.session_table;
SET lucia_auth.user_table = 'fp.auth_user';
SET lucia_auth.key_table = 'fp.user_key';
SET lucia_auth.session_table = 'fp.user_session';
SELECT lucia_auth.create_tables();
SELECT user_id FROM lucia_auth.create_user('fp-child');
CREATE TABLE fp.archived_session () INHERITS (fp.user_session);
INSERT INTO fp.archived_session VALUES ('in-child', 'fp-child', 9e15, 9e15);
SELECT session_id, state FROM lucia_auth.validate_session('in-child');

-- 5. A session stored as a digest is found by the digest of its token only, byte for byte, even where
-- the id column compares otherwise: with citext, the stored value spelt in capitals is no token.
DROP TABLE fp.archived_session, fp.user_session, fp.user_key, fp.auth_user;
CREATE TABLE fp.auth_user (id citext PRIMARY KEY);
CREATE TABLE fp.user_key (id citext PRIMARY KEY, user_id citext NOT NULL, hashed_password text);
CREATE TABLE fp.user_session (id citext PRIMARY KEY, user_id citext NOT NULL REFERENCES fp.auth_user (id),
                              active_expires bigint NOT NULL, idle_expires bigint NOT NULL);
SET lucia_auth.session_id_storage = sha256;
SELECT user_id FROM lucia_auth.create_user('victim');
SELECT session_id FROM lucia_auth.create_session('victim', '{}', 'victim-token');
SELECT id AS stored FROM fp.user_session \gset
SELECT left(:'stored', 7) AS stored_prefix;
SELECT session_id, user_id, state FROM lucia_auth.validate_session('victim-token');
-- Its digest is another: a token of the same letters in capitals is not this session's.
SELECT regress.error_of($$SELECT lucia_auth.validate_session('VICTIM-TOKEN')$$);
SELECT regress.error_of(format('SELECT lucia_auth.validate_session(%L)', :'stored'));
SELECT regress.error_of(format('SELECT lucia_auth.validate_session(%L)', upper(:'stored')));
SELECT regress.error_of(format('SELECT lucia_auth.get_session(%L)', 'SHA256$' || substr(:'stored', 8)));
SELECT regress.error_of(format('SELECT lucia_auth.authenticate(%L)', 'Sha256$' || substr(:'stored', 8)));
-- The same on the SQL path.
ALTER TABLE fp.user_session ENABLE ROW LEVEL SECURITY;
SELECT session_id, user_id, state FROM lucia_auth.validate_session('victim-token');
SELECT regress.error_of(format('SELECT lucia_auth.validate_session(%L)', upper(:'stored')));
SELECT regress.error_of(format('SELECT lucia_auth.get_session(%L)', 'SHA256$' || substr(:'stored', 8)));
RESET lucia_auth.session_id_storage;

-- 6. character(n) ids: a statement compares them blank-padded and returns them trimmed, whatever n;
-- the direct path, which would read them padded, is not taken.
DROP TABLE fp.user_session, fp.user_key, fp.auth_user;
CREATE TABLE fp.auth_user (id char(20) PRIMARY KEY, name text);
CREATE TABLE fp.user_key (id text PRIMARY KEY, user_id char(20) NOT NULL REFERENCES fp.auth_user (id),
                          hashed_password text);
CREATE TABLE fp.user_session (id char(45) PRIMARY KEY, user_id char(20) NOT NULL REFERENCES fp.auth_user (id),
                              active_expires bigint NOT NULL, idle_expires bigint NOT NULL);
INSERT INTO fp.auth_user VALUES ('t', 'tee');
SELECT '[' || user_id || ']' AS user_id FROM lucia_auth.create_user('tiger', 'email', 'tiger@example.com', 'pw', '{"name": "Tiger"}');
SELECT '[' || user_id || ']' AS user_id, attributes FROM lucia_auth.get_user('tiger');
SELECT regress.error_of($$SELECT lucia_auth.get_user('tz')$$);
SELECT length(user_id) AS generated_user_id_length FROM lucia_auth.create_user();
SELECT '[' || session_id || ']' AS session_id FROM lucia_auth.create_session('tiger', '{}', 'tiger-session');
SELECT '[' || session_id || ']' AS session_id, '[' || user_id || ']' AS user_id, state, user_attributes
  FROM lucia_auth.validate_session('tiger-session');
SELECT regress.error_of($$SELECT lucia_auth.validate_session('tiger-sessionx')$$);
SELECT regress.error_of($$SELECT lucia_auth.validate_session('t')$$);
BEGIN;
SELECT (lucia_auth.authenticate('tiger-session')).state;
SELECT '[' || lucia_auth.current_user_id() || ']' AS identity;
COMMIT;
-- An idle session is renewed.
UPDATE fp.user_session SET active_expires = regress.now_ms() - 1000 WHERE id = 'tiger-session';
SELECT state, fresh FROM lucia_auth.validate_session('tiger-session');
SELECT state, fresh FROM lucia_auth.validate_session('tiger-session');
SELECT length(session_id) AS generated_session_id_length FROM lucia_auth.create_session('tiger');
SELECT count(*) AS sessions FROM lucia_auth.get_all_user_sessions('tiger');

-- 7. The user's id and the session's user_id of different collations: the session is joined with its
-- user as the user's id compares, on both paths.
DROP TABLE fp.user_session, fp.user_key, fp.auth_user;
CREATE TABLE fp.auth_user (id text COLLATE fp.ci PRIMARY KEY);
CREATE TABLE fp.user_key (id text PRIMARY KEY, user_id text NOT NULL, hashed_password text);
CREATE TABLE fp.user_session (id text PRIMARY KEY, user_id text COLLATE "C" NOT NULL,
                              active_expires bigint NOT NULL, idle_expires bigint NOT NULL);
INSERT INTO fp.auth_user VALUES ('Ann');
INSERT INTO fp.user_session VALUES ('ann-session', 'ANN', 9e15, 9e15);
SELECT session_id, user_id, state FROM lucia_auth.validate_session('ann-session');
ALTER TABLE fp.user_session ENABLE ROW LEVEL SECURITY;
SELECT session_id, user_id, state FROM lucia_auth.validate_session('ann-session');

DROP SCHEMA fp CASCADE;
REVOKE USAGE ON SCHEMA lucia_auth FROM fp_functions;
DROP ROLE fp_owner, fp_functions;
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;
RESET lucia_auth.session_table;
DROP EXTENSION citext;

\i test/sql/include/teardown.sql
