\set ECHO none
-- The functions that do not touch the tables, each called once: security.sql runs them in every role and
-- search_path it tries (through whole_flow.sql, and as a role granted only USAGE on the schema).
\set ECHO all
SELECT lucia_auth.verify_password('pw', lucia_auth.hash_password('pw')) AS hash_and_verify,
       lucia_auth.password_needs_rehash('x') AS needs_rehash,
       lucia_auth.generate_random_string(4, 'z') AS random_string,
       lucia_auth.read_session_cookie('auth_session=abc') AS cookie,
       lucia_auth.read_bearer_token('Bearer abc') AS bearer,
       lucia_auth.create_session_cookie('abc', 0) AS set_cookie;
SELECT * FROM lucia_auth.table_names();
