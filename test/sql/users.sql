-- Users: create_user, get_user, update_user_attributes, delete_user (Lucia's createUser, getUser,
-- updateUserAttributes, deleteUser) on the default tables made by create_tables().
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
ALTER TABLE auth_user ADD COLUMN username text, ADD COLUMN karma integer DEFAULT 7;

-- A generated id is 15 characters of a-z0-9; attributes are every column but id, defaults included.
SELECT user_id ~ '^[a-z0-9]{15}$' AS generated_id, attributes FROM lucia_auth.create_user();
SELECT * FROM lucia_auth.create_user('u-plain', attributes => '{"username": "plain"}');

-- With a key: the user and its key, the password hashed as Lucia v2 does.
SELECT * FROM lucia_auth.create_user('u-alice', 'email', 'alice@example.com', 'alice password',
                                     '{"username": "alice", "karma": 1}');
SELECT id, user_id, hashed_password ~ '^s2:[a-z0-9]{16}:[0-9a-f]{128}$' AS s2_hash,
       lucia_auth.verify_password('alice password', hashed_password) AS verifies
  FROM user_key WHERE user_id = 'u-alice';
-- A key without a password (an OAuth account, say).
SELECT * FROM lucia_auth.create_user('u-bob', 'github', '12345', NULL, '{"username": "bob"}');
SELECT id, hashed_password IS NULL AS no_hash FROM user_key WHERE user_id = 'u-bob';

-- A duplicate key is AUTH_DUPLICATE_KEY_ID and leaves no user behind.
SELECT regress.error_of($$SELECT lucia_auth.create_user('u-dup', 'email', 'alice@example.com', 'x')$$);
SELECT count(*) AS dup_users FROM auth_user WHERE id = 'u-dup';
-- A duplicate user id is PostgreSQL's own unique violation.
SELECT regress.error_of($$SELECT lucia_auth.create_user('u-alice')$$);

-- Arguments that cannot make a user.
SELECT regress.error_of($$SELECT lucia_auth.create_user('')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_user('u-x', 'mail:box', 'a', 'pw')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_user('u-x', 'email', NULL, 'pw')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_user('u-x', NULL, 'a', NULL)$$);
SELECT regress.error_of($$SELECT lucia_auth.create_user('u-x', NULL, NULL, 'pw')$$);
SELECT count(*) AS no_u_x FROM auth_user WHERE id = 'u-x';

-- Attributes must be a JSON object of the table's own columns.
SELECT attributes FROM lucia_auth.create_user('u-null-attrs', attributes => NULL);
SELECT attributes FROM lucia_auth.create_user('u-empty-attrs', attributes => '{}');
SELECT a, regress.error_of(pg_catalog.format($$SELECT lucia_auth.create_user('u-y', attributes => %L)$$, a))
  FROM (VALUES ('[]'), ('[{"username": "y"}]'), ('42'), ('"text"'), ('null'), ('true'),
               ('{"nickname": "y"}'), ('{"id": "other"}'), ('{"username": "y", "nope": 1}'),
               ('{"karma": "many"}'), ('{"karma": 1e100}'), ('{"ctid": "(0,1)"}')) AS t(a);
SELECT count(*) AS no_u_y FROM auth_user WHERE id = 'u-y';
-- JSON null sets SQL NULL; a JSON number goes into a text column as its text.
SELECT attributes FROM lucia_auth.create_user('u-typed', attributes => '{"username": 12.50, "karma": null}');

-- get_user
SELECT * FROM lucia_auth.get_user('u-alice');
SELECT regress.error_of($$SELECT lucia_auth.get_user('nobody')$$);
SELECT regress.error_of($$SELECT lucia_auth.get_user(NULL)$$);
SELECT regress.error_of($$SELECT lucia_auth.get_user('')$$);

-- update_user_attributes sets only the given columns and returns the user.
SELECT * FROM lucia_auth.update_user_attributes('u-alice', '{"karma": 99}');
SELECT * FROM lucia_auth.update_user_attributes('u-alice', '{"username": null}');
SELECT * FROM lucia_auth.update_user_attributes('u-alice', '{}');
SELECT * FROM lucia_auth.update_user_attributes('u-alice', NULL);
SELECT regress.error_of($$SELECT lucia_auth.update_user_attributes('nobody', '{"karma": 1}')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_user_attributes('nobody', '{}')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_user_attributes(NULL, '{"karma": 1}')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_user_attributes('u-alice', '{"id": "u-eve"}')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_user_attributes('u-alice', '["karma"]')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_user_attributes('u-alice', '{"karma": "x"}')$$);

-- delete_user removes the user's sessions and keys, then the user; a missing user is no error.
SELECT session_id IS NOT NULL AS has_session FROM lucia_auth.create_session('u-alice');
SELECT lucia_auth.delete_user('u-alice');
SELECT (SELECT count(*) FROM auth_user WHERE id = 'u-alice') AS users,
       (SELECT count(*) FROM user_key WHERE user_id = 'u-alice') AS keys,
       (SELECT count(*) FROM user_session WHERE user_id = 'u-alice') AS sessions;
SELECT lucia_auth.delete_user('u-alice');
SELECT lucia_auth.delete_user(NULL);

\i test/sql/include/teardown.sql
