-- Bad input to every function: NULL in each argument, empty strings, 1 MiB strings, attributes of the
-- wrong JSON type or over 1 MiB, extreme lengths and expiries, unusual characters, ':' in provider
-- ids. Every outcome is a normal result or an error with a specific SQLSTATE whose message names the
-- problem: never XX000, never a crash.
--
-- In the calls below, <1MiB> stands for repeat('x', 1048576), <1MiB json> for an attributes object
-- holding such a string, and <31 marks> for 'a' followed by 31 combining acute accents (U+0301).
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
ALTER TABLE auth_user ADD COLUMN nickname text, ADD COLUMN karma integer;
ALTER TABLE user_session ADD COLUMN device text;
SELECT user_id FROM lucia_auth.create_user('bi-user', 'email', 'bi@example.com', 'bi secret', '{"nickname": "bi"}');
SELECT user_id FROM lucia_auth.create_key('bi-user', 'github', 'bi', NULL);
SELECT session_id FROM lucia_auth.create_session('bi-user', '{}', 'bi-session');

-- Evaluates a call and returns 'ok: <its value as text>' (s2 hashes masked, long values cut) or
-- '<SQLSTATE>: <message>'. Whatever the call wrote is undone, so every row starts from the same tables.
CREATE FUNCTION pg_temp.outcome(call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  expression text := replace(replace(replace(call,
    '<1MiB json>', $j$jsonb_build_object('nickname', repeat('x', 1048576), 'device', repeat('x', 1048576))$j$),
    '<1MiB>', $r$repeat('x', 1048576)$r$),
    '<31 marks>', $m$('a' || repeat(U&'\0301', 31))$m$);
  result text;
BEGIN
  EXECUTE 'SELECT (' || expression || ')::text' INTO result;
  result := CASE WHEN result IS NULL THEN 'NULL' WHEN result = '' THEN '(empty)'
                 ELSE regexp_replace(result, 's2:[a-z0-9]{16}:[0-9a-f]{128}', '<s2 hash>', 'g') END;
  IF length(result) > 60 THEN
    result := left(result, 40) || '… (' || length(result) || ' characters)';
  END IF;
  RAISE SQLSTATE 'LUOK0' USING MESSAGE = result;
EXCEPTION
  WHEN SQLSTATE 'LUOK0' THEN RETURN 'ok: ' || SQLERRM;
  WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE TEMPORARY TABLE bad_call (n serial, call text);
INSERT INTO bad_call (call) VALUES
  -- hash_password(password)
  ($$lucia_auth.hash_password(NULL)$$),
  ($$lucia_auth.hash_password('')$$),
  ($$lucia_auth.hash_password(<1MiB>)$$),
  ($$lucia_auth.hash_password(repeat('x', 65536))$$),
  ($$lucia_auth.hash_password(repeat('x', 65537))$$),
  ($$lucia_auth.hash_password(repeat('é', 32769))$$),
  ($$lucia_auth.hash_password(U&'\FFFF\+10FFFF\FEFF\200B')$$),
  ($$lucia_auth.hash_password('a' || repeat(U&'\0301', 30))$$),
  ($$lucia_auth.hash_password(<31 marks>)$$),
  ($$lucia_auth.hash_password(repeat(U&'\0301\0316', 16384))$$),
  ($$lucia_auth.hash_password(repeat(U&'\FDFA', 21845))$$),
  -- verify_password(password, hash)
  ($$lucia_auth.verify_password(NULL, lucia_auth.hash_password('x'))$$),
  ($$lucia_auth.verify_password('x', NULL)$$),
  ($$lucia_auth.verify_password('', '')$$),
  ($$lucia_auth.verify_password(<1MiB>, 's2:a:b')$$),
  ($$lucia_auth.verify_password(<31 marks>, 's2:a:b')$$),
  ($$lucia_auth.verify_password('x', <1MiB>)$$),
  ($$lucia_auth.verify_password('x', 's2:' || <1MiB> || ':00')$$),
  ($$lucia_auth.verify_password('x', repeat(':', 1048576))$$),
  ($$lucia_auth.verify_password('x', '$2a$10$')$$),
  ($$lucia_auth.verify_password('x', '$argon2id$v=19$m=4194304,t=2,p=1$c2FsdA$aGFzaA')$$),
  ($$lucia_auth.verify_password('x', '$argon2id$v=19$m=64,t=1,p=1$' || <1MiB> || '$aGFzaA')$$),
  ($$lucia_auth.verify_password(U&'\FFFF', lucia_auth.hash_password(U&'\FFFF'))$$),
  -- password_needs_rehash(hash)
  ($$lucia_auth.password_needs_rehash(NULL)$$),
  ($$lucia_auth.password_needs_rehash('')$$),
  ($$lucia_auth.password_needs_rehash(<1MiB>)$$),
  ($$lucia_auth.password_needs_rehash('s2:' || repeat('a', 16) || ':' || repeat('A', 128))$$),
  -- generate_random_string(length, alphabet)
  ($$lucia_auth.generate_random_string(NULL)$$),
  ($$lucia_auth.generate_random_string(5, NULL)$$),
  ($$lucia_auth.generate_random_string(-1)$$),
  ($$lucia_auth.generate_random_string(-2147483648)$$),
  ($$lucia_auth.generate_random_string(2147483647)$$),
  ($$lucia_auth.generate_random_string(1048577)$$),
  ($$length(lucia_auth.generate_random_string(1048576))$$),
  ($$lucia_auth.generate_random_string(0)$$),
  ($$lucia_auth.generate_random_string(0, '')$$),
  ($$lucia_auth.generate_random_string(5, '')$$),
  ($$lucia_auth.generate_random_string(5, 'a')$$),
  ($$length(lucia_auth.generate_random_string(1048576, <1MiB>))$$),
  ($$lucia_auth.generate_random_string(3, U&'\FFFF') = repeat(U&'\FFFF', 3)$$),
  ($$lucia_auth.generate_random_string(3, U&'\+10FFFF') = repeat(U&'\+10FFFF', 3)$$),
  -- create_user(user_id, provider_id, provider_user_id, password, attributes)
  ($$length((lucia_auth.create_user(NULL, NULL, NULL, NULL, NULL)).user_id)$$),
  ($$lucia_auth.create_user('')$$),
  ($$lucia_auth.create_user(<1MiB>)$$),
  ($$(lucia_auth.create_user(U&'\FFFF')).user_id = U&'\FFFF'$$),
  ($$lucia_auth.create_user('bi-user')$$),
  ($$lucia_auth.create_user('bi-new', NULL, 'x')$$),
  ($$lucia_auth.create_user('bi-new', NULL, NULL, 'pw')$$),
  ($$lucia_auth.create_user('bi-new', 'email', NULL, 'pw')$$),
  ($$lucia_auth.create_user('bi-new', 'email', 'new@example.com', NULL)$$),
  ($$lucia_auth.create_user('bi-new', '', '', '')$$),
  ($$lucia_auth.create_user('bi-new', <1MiB>, 'x')$$),
  ($$lucia_auth.create_user('bi-new', 'email', <1MiB>)$$),
  ($$lucia_auth.create_user('bi-new', 'e:mail', 'x')$$),
  ($$lucia_auth.create_user('bi-new', 'email', 'a:b:c', 'pw')$$),
  ($$lucia_auth.create_user('bi-new', 'email', 'bi@example.com', 'pw')$$),
  ($$lucia_auth.create_user('bi-new', 'email', 'x', <1MiB>)$$),
  ($$lucia_auth.create_user('bi-new', 'email', 'x', <31 marks>)$$),
  ($$lucia_auth.create_user('bi-new', attributes => '[]')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '[{"nickname": "x"}]')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '42')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '"nickname"')$$),
  ($$lucia_auth.create_user('bi-new', attributes => 'null')$$),
  ($$lucia_auth.create_user('bi-new', attributes => 'true')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '{"nickname": {"a": [1, {"b": null}]}}')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '{"nickname": null, "karma": null}')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '{"karma": {"a": 1}}')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '{"karma": 1e20}')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '{"id": "other"}')$$),
  ($$lucia_auth.create_user('bi-new', attributes => '{"": 1}')$$),
  ($$lucia_auth.create_user('bi-new', attributes => jsonb_build_object(repeat('k', 100), 1))$$),
  ($$lucia_auth.create_user('bi-new', attributes => <1MiB json>)$$),
  -- get_user(user_id)
  ($$lucia_auth.get_user(NULL)$$),
  ($$lucia_auth.get_user('')$$),
  ($$lucia_auth.get_user(<1MiB>)$$),
  ($$lucia_auth.get_user(U&'\FFFF')$$),
  -- update_user_attributes(user_id, attributes)
  ($$lucia_auth.update_user_attributes(NULL, '{}')$$),
  ($$lucia_auth.update_user_attributes('', '{}')$$),
  ($$lucia_auth.update_user_attributes(<1MiB>, '{"nickname": "x"}')$$),
  ($$lucia_auth.update_user_attributes('bi-user', NULL)$$),
  ($$lucia_auth.update_user_attributes('bi-user', '[]')$$),
  ($$lucia_auth.update_user_attributes('bi-user', '7')$$),
  ($$lucia_auth.update_user_attributes('bi-user', '"s"')$$),
  ($$lucia_auth.update_user_attributes('bi-user', 'null')$$),
  ($$lucia_auth.update_user_attributes('bi-user', '{"karma": "many"}')$$),
  ($$lucia_auth.update_user_attributes('bi-user', '{"id": "other"}')$$),
  ($$lucia_auth.update_user_attributes('bi-user', <1MiB json>)$$),
  ($$lucia_auth.update_user_attributes('nobody', '{"nickname": "x"}')$$),
  -- delete_user(user_id)
  ($$lucia_auth.delete_user(NULL)$$),
  ($$lucia_auth.delete_user('')$$),
  ($$lucia_auth.delete_user(<1MiB>)$$),
  -- create_key(user_id, provider_id, provider_user_id, password)
  ($$lucia_auth.create_key(NULL, 'email', 'k@example.com', 'pw')$$),
  ($$lucia_auth.create_key('bi-user', NULL, 'k@example.com', 'pw')$$),
  ($$lucia_auth.create_key('bi-user', 'email', NULL, 'pw')$$),
  ($$lucia_auth.create_key('bi-user', 'email', 'k@example.com', NULL)$$),
  ($$lucia_auth.create_key('', 'email', 'k@example.com', 'pw')$$),
  ($$lucia_auth.create_key('bi-user', '', '', '')$$),
  ($$lucia_auth.create_key(<1MiB>, 'email', 'k@example.com', 'pw')$$),
  ($$lucia_auth.create_key('bi-user', <1MiB>, 'k', NULL)$$),
  ($$lucia_auth.create_key('bi-user', 'email', <1MiB>, NULL)$$),
  ($$lucia_auth.create_key('bi-user', 'email', 'k@example.com', <1MiB>)$$),
  ($$lucia_auth.create_key('bi-user', 'email', 'k@example.com', <31 marks>)$$),
  ($$lucia_auth.create_key('bi-user', 'e:mail', 'k@example.com', 'pw')$$),
  ($$lucia_auth.create_key('bi-user', 'email', 'bi@example.com', 'pw')$$),
  ($$lucia_auth.create_key('nobody', 'email', 'k@example.com', 'pw')$$),
  -- use_key(provider_id, provider_user_id, password)
  ($$lucia_auth.use_key(NULL, 'bi@example.com', 'bi secret')$$),
  ($$lucia_auth.use_key('email', NULL, 'bi secret')$$),
  ($$lucia_auth.use_key('email', 'bi@example.com', NULL)$$),
  ($$lucia_auth.use_key('email', 'bi@example.com', '')$$),
  ($$lucia_auth.use_key('', '', '')$$),
  ($$lucia_auth.use_key(<1MiB>, 'x', 'pw')$$),
  ($$lucia_auth.use_key('email', <1MiB>, 'pw')$$),
  ($$lucia_auth.use_key('email', 'bi@example.com', <1MiB>)$$),
  ($$lucia_auth.use_key('email', 'nobody@example.com', <1MiB>)$$),
  ($$lucia_auth.use_key('email', 'bi@example.com', <31 marks>)$$),
  ($$lucia_auth.use_key('email', 'bi@example.com', U&'\FFFF')$$),
  ($$lucia_auth.use_key('e:mail', 'bi@example.com', 'bi secret')$$),
  ($$lucia_auth.use_key('github', 'bi', '')$$),
  ($$lucia_auth.use_key('github', 'bi', 'pw')$$),
  -- get_key(provider_id, provider_user_id)
  ($$lucia_auth.get_key(NULL, 'bi')$$),
  ($$lucia_auth.get_key('github', NULL)$$),
  ($$lucia_auth.get_key('', '')$$),
  ($$lucia_auth.get_key(<1MiB>, <1MiB>)$$),
  ($$lucia_auth.get_key('git:hub', 'bi')$$),
  ($$lucia_auth.get_key('email:bi@example.com', '')$$),
  -- get_all_user_keys(user_id)
  ($$(SELECT count(*) FROM lucia_auth.get_all_user_keys(NULL))$$),
  ($$(SELECT count(*) FROM lucia_auth.get_all_user_keys(''))$$),
  ($$(SELECT count(*) FROM lucia_auth.get_all_user_keys(<1MiB>))$$),
  -- update_key_password(provider_id, provider_user_id, password)
  ($$lucia_auth.update_key_password(NULL, 'bi@example.com', 'pw')$$),
  ($$lucia_auth.update_key_password('email', NULL, 'pw')$$),
  ($$lucia_auth.update_key_password('email', 'bi@example.com', NULL)$$),
  ($$lucia_auth.update_key_password('email', 'bi@example.com', '')$$),
  ($$lucia_auth.update_key_password('email', 'bi@example.com', <1MiB>)$$),
  ($$lucia_auth.update_key_password('email', 'bi@example.com', <31 marks>)$$),
  ($$lucia_auth.update_key_password('', '', 'pw')$$),
  ($$lucia_auth.update_key_password(<1MiB>, 'x', 'pw')$$),
  ($$lucia_auth.update_key_password('e:mail', 'x', 'pw')$$),
  -- delete_key(provider_id, provider_user_id)
  ($$lucia_auth.delete_key(NULL, 'bi')$$),
  ($$lucia_auth.delete_key('github', NULL)$$),
  ($$lucia_auth.delete_key('', '')$$),
  ($$lucia_auth.delete_key(<1MiB>, <1MiB>)$$),
  ($$lucia_auth.delete_key('git:hub', 'bi')$$),
  -- create_session(user_id, attributes, session_id)
  ($$lucia_auth.create_session(NULL)$$),
  ($$lucia_auth.create_session('')$$),
  ($$lucia_auth.create_session(<1MiB>)$$),
  ($$(lucia_auth.create_session('bi-user', NULL)).state$$),
  ($$(lucia_auth.create_session('bi-user', NULL, NULL)).state$$),
  ($$lucia_auth.create_session('bi-user', session_id => '')$$),
  ($$lucia_auth.create_session('bi-user', session_id => <1MiB>)$$),
  ($$(lucia_auth.create_session('bi-user', session_id => U&'\FFFF')).state$$),
  ($$lucia_auth.create_session('bi-user', session_id => 'bi-session')$$),
  ($$lucia_auth.create_session('bi-user', '[]')$$),
  ($$lucia_auth.create_session('bi-user', '1')$$),
  ($$lucia_auth.create_session('bi-user', '"device"')$$),
  ($$lucia_auth.create_session('bi-user', 'null')$$),
  ($$(lucia_auth.create_session('bi-user', '{"device": {"a": [1]}}')).session_attributes$$),
  ($$lucia_auth.create_session('bi-user', '{"user_id": "other"}')$$),
  ($$lucia_auth.create_session('bi-user', '{"idle_expires": 0}')$$),
  ($$lucia_auth.create_session('bi-user', '{"nope": 1}')$$),
  ($$lucia_auth.create_session('bi-user', <1MiB json>)$$),
  ($$lucia_auth.create_session('nobody', '{"device": "x"}')$$),
  -- validate_session(session_id)
  ($$lucia_auth.validate_session(NULL)$$),
  ($$lucia_auth.validate_session('')$$),
  ($$lucia_auth.validate_session(<1MiB>)$$),
  ($$lucia_auth.validate_session(U&'\FFFF')$$),
  -- get_session(session_id)
  ($$lucia_auth.get_session(NULL)$$),
  ($$lucia_auth.get_session('')$$),
  ($$lucia_auth.get_session(<1MiB>)$$),
  -- get_all_user_sessions(user_id)
  ($$(SELECT count(*) FROM lucia_auth.get_all_user_sessions(NULL))$$),
  ($$(SELECT count(*) FROM lucia_auth.get_all_user_sessions(''))$$),
  ($$(SELECT count(*) FROM lucia_auth.get_all_user_sessions(<1MiB>))$$),
  -- update_session_attributes(session_id, attributes)
  ($$lucia_auth.update_session_attributes(NULL, '{}')$$),
  ($$lucia_auth.update_session_attributes('', '{}')$$),
  ($$lucia_auth.update_session_attributes(<1MiB>, '{"device": "x"}')$$),
  ($$(lucia_auth.update_session_attributes('bi-session', NULL)).session_attributes$$),
  ($$lucia_auth.update_session_attributes('bi-session', '[]')$$),
  ($$lucia_auth.update_session_attributes('bi-session', '1.5')$$),
  ($$lucia_auth.update_session_attributes('bi-session', '"s"')$$),
  ($$lucia_auth.update_session_attributes('bi-session', 'null')$$),
  ($$lucia_auth.update_session_attributes('bi-session', '{"active_expires": 0}')$$),
  ($$lucia_auth.update_session_attributes('bi-session', <1MiB json>)$$),
  ($$lucia_auth.update_session_attributes('nope', '{"device": "x"}')$$),
  -- invalidate_session(session_id)
  ($$lucia_auth.invalidate_session(NULL)$$),
  ($$lucia_auth.invalidate_session('')$$),
  ($$lucia_auth.invalidate_session(<1MiB>)$$),
  -- invalidate_all_user_sessions(user_id)
  ($$lucia_auth.invalidate_all_user_sessions(NULL)$$),
  ($$lucia_auth.invalidate_all_user_sessions('')$$),
  ($$lucia_auth.invalidate_all_user_sessions(<1MiB>)$$),
  -- delete_dead_user_sessions(user_id)
  ($$lucia_auth.delete_dead_user_sessions(NULL)$$),
  ($$lucia_auth.delete_dead_user_sessions('')$$),
  ($$lucia_auth.delete_dead_user_sessions(<1MiB>)$$),
  -- read_session_cookie(cookie_header, cookie_name)
  ($$lucia_auth.read_session_cookie(NULL)$$),
  ($$lucia_auth.read_session_cookie('auth_session=a', NULL)$$),
  ($$lucia_auth.read_session_cookie(NULL, NULL)$$),
  ($$lucia_auth.read_session_cookie('')$$),
  ($$lucia_auth.read_session_cookie('=a', '')$$),
  ($$lucia_auth.read_session_cookie(<1MiB>)$$),
  ($$length(lucia_auth.read_session_cookie('auth_session=' || <1MiB>))$$),
  ($$lucia_auth.read_session_cookie(<1MiB> || '=a', <1MiB>)$$),
  ($$lucia_auth.read_session_cookie(repeat('a;', 524288) || 'auth_session=z')$$),
  ($$lucia_auth.read_session_cookie(repeat('a=', 524288))$$),
  ($$lucia_auth.read_session_cookie(repeat(';', 1048576))$$),
  ($$lucia_auth.read_session_cookie('auth_session=%FF%FE')$$),
  ($$lucia_auth.read_session_cookie('auth_session=%EF%BF%BF') = U&'\FFFF'$$),
  ($$lucia_auth.read_session_cookie('auth_session=%ED%A0%80')$$),
  -- read_bearer_token(authorization_header)
  ($$lucia_auth.read_bearer_token(NULL)$$),
  ($$lucia_auth.read_bearer_token('')$$),
  ($$lucia_auth.read_bearer_token(<1MiB>)$$),
  ($$length(lucia_auth.read_bearer_token('Bearer ' || <1MiB>))$$),
  ($$lucia_auth.read_bearer_token(repeat(' ', 1048576))$$),
  ($$lucia_auth.read_bearer_token('Bearer ' || U&'\FFFF') = U&'\FFFF'$$),
  -- create_session_cookie(session_id, idle_expires, secure, cookie_name)
  ($$lucia_auth.create_session_cookie(NULL, NULL)$$),
  ($$lucia_auth.create_session_cookie('x', NULL)$$),
  ($$lucia_auth.create_session_cookie('x', 0, NULL)$$),
  ($$lucia_auth.create_session_cookie('x', 0, true, NULL)$$),
  ($$lucia_auth.create_session_cookie(NULL, NULL, NULL, NULL)$$),
  ($$lucia_auth.create_session_cookie('x', -9223372036854775808)$$),
  ($$lucia_auth.create_session_cookie('x', 9223372036854775807)$$),
  ($$lucia_auth.create_session_cookie('x', 8640000000000001)$$),
  ($$lucia_auth.create_session_cookie('x', -8640000000000001)$$),
  ($$lucia_auth.create_session_cookie('x', -8640000000000000)$$),
  ($$lucia_auth.create_session_cookie('', 0)$$),
  ($$lucia_auth.create_session_cookie(<1MiB>, 0)$$),
  ($$lucia_auth.create_session_cookie('x', 0, true, '')$$),
  ($$lucia_auth.create_session_cookie('x', 0, true, <1MiB>)$$),
  ($$lucia_auth.create_session_cookie(U&'\FFFF', 0)$$),
  -- table_names(), create_tables()
  ($$lucia_auth.table_names()$$),
  ($$lucia_auth.create_tables()$$);

CREATE TEMPORARY TABLE bad_outcome AS SELECT n, call, pg_temp.outcome(call) AS outcome FROM bad_call;
SELECT call, outcome FROM bad_outcome ORDER BY n;

-- The tally: functions called, calls, normal results, errors, and internal errors (there must be none).
SELECT count(DISTINCT substring(call FROM 'lucia_auth\.([a-z_]+)\(')) AS functions, count(*) AS calls,
       count(*) FILTER (WHERE outcome LIKE 'ok: %') AS results,
       count(*) FILTER (WHERE outcome NOT LIKE 'ok: %') AS errors,
       count(*) FILTER (WHERE outcome LIKE 'XX%') AS internal_errors
  FROM bad_outcome;

-- create_tables() where the settings name tables it cannot make.
SET lucia_auth.user_table = 'no_such_schema.people';
SELECT pg_temp.outcome('lucia_auth.create_tables()') AS missing_schema;
SET lucia_auth.user_table = 'public.bi_twice';
SET lucia_auth.key_table = 'public.bi_twice';
SELECT pg_temp.outcome('lucia_auth.create_tables()') AS same_table_twice;
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;

-- A constraint violation on the key table names the constraint, not the row: its detail would show the
-- new hash ("Failing row contains (…)").
\set SHOW_CONTEXT never
ALTER TABLE user_key ADD CONSTRAINT short_hash CHECK (octet_length(hashed_password) < 20) NOT VALID;
SELECT lucia_auth.create_key('bi-user', 'phone', '555', 'a long enough password');
SELECT lucia_auth.update_key_password('email', 'bi@example.com', 'a long enough password');
SELECT lucia_auth.create_user('bi-other', 'phone', '555', 'a long enough password');
ALTER TABLE user_key DROP CONSTRAINT short_hash;
ALTER TABLE user_key ADD COLUMN note text NOT NULL DEFAULT 'n';
ALTER TABLE user_key ALTER COLUMN note DROP DEFAULT;
SELECT lucia_auth.create_key('bi-user', 'phone', '555', 'a long enough password');
ALTER TABLE user_key DROP COLUMN note;
-- The same violation on the user table keeps its detail: the row holds no secret.
ALTER TABLE auth_user ADD CONSTRAINT karma_positive CHECK (karma > 0) NOT VALID;
SELECT lucia_auth.update_user_attributes('bi-user', '{"karma": -1}');
ALTER TABLE auth_user DROP CONSTRAINT karma_positive;
\set SHOW_CONTEXT errors

-- A trigger that skips the insert of the user is reported, not read past.
CREATE FUNCTION pg_temp.skip_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER skip_row BEFORE INSERT ON auth_user FOR EACH ROW EXECUTE FUNCTION pg_temp.skip_row();
SELECT regress.error_of($$SELECT lucia_auth.create_user('bi-skipped')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_user('bi-skipped', attributes => '{"karma": 1}')$$);
DROP TRIGGER skip_row ON auth_user;

-- A key table that allows a NULL user_id: such a key reads as a key whose user_id is NULL.
ALTER TABLE user_key ALTER COLUMN user_id DROP NOT NULL;
INSERT INTO user_key VALUES ('orphan:1', NULL, NULL);
\pset null (null)
SELECT * FROM lucia_auth.get_key('orphan', '1');
SELECT * FROM lucia_auth.use_key('orphan', '1', NULL);
SELECT * FROM lucia_auth.update_key_password('orphan', '1', 'pw');
SELECT * FROM lucia_auth.use_key('orphan', '1', 'pw');
\pset null ''
DELETE FROM user_key WHERE id = 'orphan:1';
ALTER TABLE user_key ALTER COLUMN user_id SET NOT NULL;

-- In a database whose encoding is not UTF-8, a password character without a UTF-8 equivalent is an
-- error that does not show the character; a convertible one hashes as in UTF-8.
SELECT current_database() AS regress_database \gset
SELECT lucia_auth.hash_password('あ') AS utf8_hash \gset
CREATE DATABASE lucia_regress_euc_jp ENCODING 'EUC_JP' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c lucia_regress_euc_jp
CREATE EXTENSION lucia_auth;
SELECT lucia_auth.hash_password('pw' || convert_from('\xa9a1', 'EUC_JP'));
SELECT lucia_auth.verify_password(convert_from('\xa4a2', 'EUC_JP'), :'utf8_hash') AS same_hash;
\c :regress_database
DROP DATABASE lucia_regress_euc_jp;

SELECT lucia_auth.delete_user('bi-user');

\i test/sql/include/teardown.sql
