-- The auth tables: created by create_tables(), or the application's own in either published layout,
-- under names given by the superuser-only settings.
\i test/sql/include/setup.sql

-- The one-line way to create the default tables, with the indexes the functions use.
SELECT * FROM lucia_auth.table_names();
SELECT lucia_auth.create_tables();
SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
  WHERE c.relname IN ('auth_user', 'user_key', 'user_session') AND a.attnum > 0
  ORDER BY c.relname, a.attnum;
SELECT indexrelid::regclass AS index, indrelid::regclass AS table
  FROM pg_index WHERE indrelid IN ('auth_user'::regclass, 'user_key'::regclass, 'user_session'::regclass)
  ORDER BY indexrelid::regclass::text;
-- They are the application's tables, not members of the extension (pg_dump keeps them and their data).
SELECT count(*) AS extension_members FROM pg_depend
  WHERE refobjid = (SELECT oid FROM pg_extension WHERE extname = 'lucia_auth')
    AND classid = 'pg_class'::regclass;

-- The settings: defaults, checked syntax, superuser-only. (The default of
-- lucia_auth.max_concurrent_hashes depends on the machine: logins.sql.)
SELECT name, setting, unit, context FROM pg_settings
  WHERE name LIKE 'lucia_auth.%' AND name <> 'lucia_auth.max_concurrent_hashes' ORDER BY name;
SELECT regress.error_of($$SET lucia_auth.user_table = 'a.b.c'$$);
SELECT regress.error_of($$SET lucia_auth.user_table = '"unterminated'$$);
SELECT regress.error_of($$SET lucia_auth.session_table = ''$$);
CREATE ROLE lucia_regress_app;
SET ROLE lucia_regress_app;
SELECT regress.error_of($$SET lucia_auth.session_table = 'public.other'$$);
SELECT regress.error_of($$SET lucia_auth.active_period = '365d'$$);
RESET ROLE;
DROP ROLE lucia_regress_app;

-- Lucia's Drizzle layout (varchar columns) under schema-qualified, quoted names; the setting takes
-- effect at once in the same connection.
CREATE SCHEMA "Auth Zone";
CREATE TABLE "Auth Zone"."People" (
  id varchar(15) PRIMARY KEY,
  username text UNIQUE,
  "Display Name" text,
  age integer,
  tags text[],
  profile jsonb
);
CREATE TABLE "Auth Zone"."Keys" (
  id varchar(255) PRIMARY KEY,
  user_id varchar(15) NOT NULL REFERENCES "Auth Zone"."People" (id),
  hashed_password varchar(255)
);
CREATE TABLE "Auth Zone"."Sessions" (
  id varchar(128) PRIMARY KEY,
  user_id varchar(15) NOT NULL REFERENCES "Auth Zone"."People" (id),
  active_expires bigint NOT NULL,
  idle_expires bigint NOT NULL,
  country text
);
SET lucia_auth.user_table = '"Auth Zone"."People"';
SET lucia_auth.key_table = '"Auth Zone"."Keys"';
SET lucia_auth.session_table = '"Auth Zone"."Sessions"';
SELECT * FROM lucia_auth.table_names();
SELECT * FROM lucia_auth.create_user('drizzle-user', 'email', 'd@example.com', NULL,
  '{"username": "dee", "Display Name": "Dee Dee", "age": "42", "tags": ["a", "b"], "profile": {"x": 1}}');
SELECT * FROM lucia_auth.use_key('email', 'd@example.com', NULL);
SELECT session_id AS drizzle_session FROM lucia_auth.create_session('drizzle-user', '{"country": "NO"}') \gset
SELECT user_id, state, user_attributes, session_attributes FROM lucia_auth.validate_session(:'drizzle_session');
SELECT id, user_id, "Display Name", age, tags FROM "Auth Zone"."People" JOIN "Auth Zone"."Sessions" s USING (id)
  UNION ALL SELECT p.id, s.user_id, p."Display Name", p.age, p.tags
  FROM "Auth Zone"."People" p JOIN "Auth Zone"."Sessions" s ON s.user_id = p.id;
-- varchar lengths are the table's: a user id longer than varchar(15) is refused by PostgreSQL.
SELECT regress.error_of($$SELECT lucia_auth.create_user('a-user-id-longer-than-15')$$);
-- Attribute values are converted to the column types, with the type's own errors.
SELECT regress.error_of($$SELECT lucia_auth.create_user('bad-age', attributes => '{"age": "forty"}')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_user('bad-name', attributes => '{"display name": "x"}')$$);
-- A unique attribute column keeps its constraint.
SELECT regress.error_of($$SELECT lucia_auth.create_user('dup-name', attributes => '{"username": "dee"}')$$);

-- The default tables again, after RESET: the default tables have no row of the Drizzle ones.
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;
RESET lucia_auth.session_table;
SELECT regress.error_of($$SELECT lucia_auth.get_user('drizzle-user')$$);
SELECT regress.error_of($$SELECT lucia_auth.validate_session('$$ || :'drizzle_session' || $$')$$);

-- A table named by a setting that does not exist is a clear error.
SET lucia_auth.session_table = 'public.no_such_sessions';
SELECT regress.error_of($$SELECT lucia_auth.validate_session('x')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session('x', '{"a": 1}')$$);
RESET lucia_auth.session_table;

-- An unqualified name is a table of schema public, whatever the search_path says.
CREATE SCHEMA elsewhere;
CREATE TABLE elsewhere.auth_user (id text PRIMARY KEY);
INSERT INTO elsewhere.auth_user VALUES ('only-elsewhere');
SET search_path = elsewhere, public;
SET lucia_auth.user_table = 'auth_user';
SELECT regress.error_of($$SELECT lucia_auth.get_user('only-elsewhere')$$);
RESET lucia_auth.user_table;
RESET search_path;

-- ALTER TABLE between calls: the prepared statements see the new column.
SELECT * FROM lucia_auth.create_user('alter-user');
SELECT attributes FROM lucia_auth.get_user('alter-user');
ALTER TABLE auth_user ADD COLUMN email text;
SELECT attributes FROM lucia_auth.get_user('alter-user');
SELECT attributes FROM lucia_auth.update_user_attributes('alter-user', '{"email": "alter@example.com"}');
ALTER TABLE auth_user DROP COLUMN email;
SELECT attributes FROM lucia_auth.get_user('alter-user');
SELECT lucia_auth.delete_user('alter-user');

DROP TABLE "Auth Zone"."Sessions", "Auth Zone"."Keys", "Auth Zone"."People", elsewhere.auth_user;
DROP SCHEMA "Auth Zone", elsewhere;
\i test/sql/include/teardown.sql
