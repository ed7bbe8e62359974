-- Keys: create_key, use_key, get_key, get_all_user_keys, update_key_password, delete_key
-- (Lucia's createKey, useKey, getKey, getAllUserKeys, updateKeyPassword, deleteKey).
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
SELECT user_id FROM lucia_auth.create_user('k-user', 'email', 'k@example.com', 'first password');
SELECT user_id FROM lucia_auth.create_user('k-other');

-- use_key: the right password gives the key; every other case is Lucia's error.
SELECT * FROM lucia_auth.use_key('email', 'k@example.com', 'first password');
SELECT c, regress.error_of(pg_catalog.format('SELECT lucia_auth.use_key(%L, %L, %L)', p, u, pw))
  FROM (VALUES ('wrong password', 'email', 'k@example.com', 'first passworD'),
               ('empty password', 'email', 'k@example.com', ''),
               ('no password', 'email', 'k@example.com', NULL),
               ('unknown key', 'email', 'nobody@example.com', 'first password'),
               ('unknown provider', 'phone', 'k@example.com', 'first password'),
               ('colon in provider', 'em:ail', 'k@example.com', 'first password'),
               ('NULL provider', NULL, 'k@example.com', 'x'),
               ('NULL provider user', 'email', NULL, 'x')) AS t(c, p, u, pw);
-- Lucia splits the key id at the first ':', so a provider user id may contain ':'.
SELECT * FROM lucia_auth.create_key('k-user', 'url', 'https://example.com/me', 'url password');
SELECT * FROM lucia_auth.use_key('url', 'https://example.com/me', 'url password');

-- Keys without a password: only a NULL password uses them, as in Lucia.
SELECT * FROM lucia_auth.create_key('k-user', 'github', '777', NULL);
SELECT * FROM lucia_auth.use_key('github', '777', NULL);
SELECT regress.error_of($$SELECT lucia_auth.use_key('github', '777', '')$$);
SELECT regress.error_of($$SELECT lucia_auth.use_key('github', '777', 'anything')$$);

-- create_key: the user must exist, the key must be new; nothing is left by a failed call.
SELECT regress.error_of($$SELECT lucia_auth.create_key('nobody', 'email', 'n@example.com', 'pw')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_key(NULL, 'email', 'n@example.com', 'pw')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_key('k-other', 'email', 'k@example.com', 'pw')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_key('k-other', 'a:b', 'c', 'pw')$$);
SELECT count(*) AS other_keys FROM user_key WHERE user_id = 'k-other';
-- Lucia's createKey reports an empty password as no password, although it stores its hash.
SELECT * FROM lucia_auth.create_key('k-other', 'pin', '1', '');
SELECT * FROM lucia_auth.get_key('pin', '1');
SELECT regress.error_of($$SELECT lucia_auth.use_key('pin', '1', NULL)$$);
SELECT regress.error_of($$SELECT lucia_auth.use_key('pin', '1', '')$$);

-- get_key and get_all_user_keys
SELECT * FROM lucia_auth.get_key('email', 'k@example.com');
SELECT regress.error_of($$SELECT lucia_auth.get_key('email', 'nobody@example.com')$$);
SELECT * FROM lucia_auth.get_all_user_keys('k-user');
SELECT * FROM lucia_auth.get_all_user_keys('k-other');
SELECT user_id FROM lucia_auth.create_user('k-keyless');
SELECT count(*) AS keyless FROM lucia_auth.get_all_user_keys('k-keyless');
SELECT regress.error_of($$SELECT * FROM lucia_auth.get_all_user_keys('nobody')$$);
SELECT regress.error_of($$SELECT * FROM lucia_auth.get_all_user_keys(NULL)$$);

-- update_key_password: a new hash; NULL removes the password.
SELECT * FROM lucia_auth.update_key_password('email', 'k@example.com', 'second password');
SELECT regress.error_of($$SELECT lucia_auth.use_key('email', 'k@example.com', 'first password')$$);
SELECT * FROM lucia_auth.use_key('email', 'k@example.com', 'second password');
SELECT * FROM lucia_auth.update_key_password('email', 'k@example.com', NULL);
SELECT * FROM lucia_auth.use_key('email', 'k@example.com', NULL);
SELECT regress.error_of($$SELECT lucia_auth.update_key_password('email', 'nobody@example.com', 'x')$$);

-- Hashes written by Lucia: v2 s2, Lucia v1, and the bcrypt of Lucia's beta.
INSERT INTO user_key VALUES
  ('lucia:s2', 'k-other', 's2:abcdefghijklmnop:455b0f28f986a1233efaff862aa7f3fe861fbdbe9b805467894c774b482274b4d35f186ac30846601fbfd35eea4aa9487516d683e7cc40f27c1a1b046a034409'),
  ('lucia:v1', 'k-other', 'somesalt:9548a14bab533196bade68cd442d6a777378b00662ef1aa8d0e2acd887c4c09359823d67b75b64a85043f0523033cdd8115f4d8301c99bc03bc9af510fa5009b'),
  ('lucia:bcrypt', 'k-other', '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'),
  ('lucia:garbage', 'k-other', 'not a hash');
SELECT * FROM lucia_auth.use_key('lucia', 's2', 'hello');
SELECT * FROM lucia_auth.use_key('lucia', 'v1', 'pw');
SELECT regress.error_of($$SELECT lucia_auth.use_key('lucia', 'bcrypt', 'pw')$$);
SELECT regress.error_of($$SELECT lucia_auth.use_key('lucia', 'garbage', 'pw')$$);

-- delete_key; a missing key is no error.
SELECT lucia_auth.delete_key('email', 'k@example.com');
SELECT lucia_auth.delete_key('email', 'k@example.com');
SELECT regress.error_of($$SELECT lucia_auth.get_key('email', 'k@example.com')$$);
SELECT regress.error_of($$SELECT lucia_auth.delete_key('e:mail', 'k@example.com')$$);

\i test/sql/include/teardown.sql
