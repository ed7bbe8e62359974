-- What a stored hash may ask of verify_password and use_key. Any role that can call verify_password
-- chooses the hash it verifies, so a hash is refused as malformed (false, without deriving a key) when
-- it is longer than 256 characters, has a salt longer than 64, or asks for more Argon2id memory or passes,
-- or a higher bcrypt cost, than the superuser-only bounds allow; a hash made with the current
-- Argon2id settings is always verified. Each bound is shown at its edge with the right password, so that
-- a refusal cannot be mistaken for a wrong password.
\i test/sql/include/setup.sql
CALL regress.fresh_tables();

-- The bounds and their defaults.
LOAD 'lucia_auth';
SELECT name, setting, unit, context, min_val, max_val FROM pg_settings
  WHERE name IN ('lucia_auth.argon2id_max_memory', 'lucia_auth.argon2id_max_iterations',
                 'lucia_auth.verify_bcrypt', 'lucia_auth.bcrypt_max_cost')
  ORDER BY name;

-- 1. Argon2id ------------------------------------------------------------------------------------------

-- Hashes of 'pw' at the edges of the default bound (64 MiB, 8 passes) and just beyond, made with the
-- settings of new hashes; then back to the defaults (19456 kB, 2 passes) to verify them.
SET lucia_auth.password_hash = argon2id;
SET lucia_auth.argon2id_memory = '64MB';
SET lucia_auth.argon2id_iterations = 1;
SELECT lucia_auth.hash_password('pw') AS m_edge \gset
SET lucia_auth.argon2id_memory = '65537kB';
SELECT lucia_auth.hash_password('pw') AS m_beyond \gset
SET lucia_auth.argon2id_memory = '8kB';
SET lucia_auth.argon2id_iterations = 8;
SELECT lucia_auth.hash_password('pw') AS t_edge \gset
SET lucia_auth.argon2id_iterations = 9;
SELECT lucia_auth.hash_password('pw') AS t_beyond \gset
RESET lucia_auth.argon2id_memory;
RESET lucia_auth.argon2id_iterations;
SELECT substr(:'m_edge', 1, 30) AS m_edge, lucia_auth.verify_password('pw', :'m_edge') AS verifies,
       lucia_auth.verify_password('pw!', :'m_edge') AS other_password;
SELECT substr(:'m_beyond', 1, 30) AS m_beyond, lucia_auth.verify_password('pw', :'m_beyond') AS verifies;
SELECT substr(:'t_edge', 1, 26) AS t_edge, lucia_auth.verify_password('pw', :'t_edge') AS verifies,
       lucia_auth.verify_password('pw!', :'t_edge') AS other_password;
SELECT substr(:'t_beyond', 1, 26) AS t_beyond, lucia_auth.verify_password('pw', :'t_beyond') AS verifies;

-- A superuser raises the bound, and the same hashes verify.
SET lucia_auth.argon2id_max_memory = '65537kB';
SET lucia_auth.argon2id_max_iterations = 9;
SELECT lucia_auth.verify_password('pw', :'m_beyond') AS m_beyond, lucia_auth.verify_password('pw', :'t_beyond') AS t_beyond;
-- ... or lowers it below them.
SET lucia_auth.argon2id_max_memory = '65535kB';
SET lucia_auth.argon2id_max_iterations = 7;
SELECT lucia_auth.verify_password('pw', :'m_edge') AS m_edge, lucia_auth.verify_password('pw', :'t_edge') AS t_edge;

-- A hash made with the current settings is verified whatever the bound: here both settings exceed it.
SET lucia_auth.argon2id_max_memory = '8kB';
SET lucia_auth.argon2id_max_iterations = 1;
SET lucia_auth.argon2id_memory = '65537kB';
SET lucia_auth.argon2id_iterations = 1;
SELECT lucia_auth.verify_password('pw', :'m_beyond') AS current_settings,
       lucia_auth.password_needs_rehash(:'m_beyond') AS needs_rehash;
-- So is one asking no more than the settings in each of memory and passes ...
SELECT lucia_auth.verify_password('pw', :'m_edge') AS below_current_settings;
-- ... but not one asking more passes than both the settings and the bound.
SELECT lucia_auth.verify_password('pw', :'t_edge') AS more_passes;
RESET lucia_auth.argon2id_memory;
RESET lucia_auth.argon2id_iterations;
RESET lucia_auth.argon2id_max_memory;
RESET lucia_auth.argon2id_max_iterations;
RESET lucia_auth.password_hash;

-- Far beyond any bound (the 1 GiB and 64 passes of a hostile hash, and more) is false at once.
SELECT hash, lucia_auth.verify_password('pw', hash) AS verifies
  FROM (VALUES ('$argon2id$v=19$m=1048576,t=64,p=1$c2FsdHNhbHRzYWx0c2FsdA$' || repeat('A', 43)),
               ('$argon2id$v=19$m=4294967295,t=4294967295,p=1$c2FsdHNhbHRzYWx0c2FsdA$' || repeat('A', 43)),
               ('$argon2id$v=19$m=64,t=1,p=4$c2FsdHNhbHRzYWx0c2FsdA$' || repeat('A', 43))) AS t(hash)
  ORDER BY hash;

-- 2. Lengths of hashes and salts --------------------------------------------------------------------------

-- s2 and Lucia v1 hashes of 'pw' with a 64-character salt (the longest read) and a 65-character one,
-- computed by Node's crypto.scryptSync.
\set s2_salt64 's2:abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01:ddae93713faf549099743dd12e8386eb1256e0023056095bd81555da2a2a89fe5dff3d9ca4945f82a0941398c9371fc76de63e482b4fbd0c33ace3903019bc36'
\set s2_salt65 's2:abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz012:9cce9d918a6a8223b403c191fb1edfad4338862c71ca23182623af88289031ab13bbfad0dcbe9df49b19e064b06877233d30b56b866f7bf36bf870dfec885cfe'
\set v1_salt64 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01:196af891d19b72397edc68d12d785a11678ff6ff43a03527050aa01d518e160c7edc05429e4c04cc1509b4fc3cee41b3e2ee4b91614fd217a4b250ec63bbe651'
\set v1_salt65 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz012:d1e0a813409e63829f200e24cac21c8a5ed0d8096ea8c9d0b475dc7e7af1cd27ef970272de9bbd0f2e3f687af41192e23b87184efb52720ba4fb94057fa94fc3'
SELECT lucia_auth.verify_password('pw', :'s2_salt64') AS s2_salt64, lucia_auth.verify_password('pw', :'s2_salt65') AS s2_salt65,
       lucia_auth.verify_password('pw', :'v1_salt64') AS v1_salt64, lucia_auth.verify_password('pw', :'v1_salt65') AS v1_salt65;
-- Longer than 256 characters is false whatever it holds, a 10 MB salt included (no hash that verifies
-- is that long: the longest, s2 with a 64-character salt, has 196).
SELECT length(h) AS length, lucia_auth.verify_password('pw', h) AS verifies
  FROM (VALUES (:'s2_salt64' || repeat('0', 257 - 196)),
               ('s2:' || repeat('s', 10000000) || ':' || repeat('0', 128))) AS t(h)
  ORDER BY 1;
SELECT lucia_auth.password_needs_rehash(:'s2_salt64') AS salt64_needs_rehash,
       lucia_auth.password_needs_rehash(:'s2_salt65') AS salt65_needs_rehash;

-- 3. bcrypt -------------------------------------------------------------------------------------------

-- crypt_blowfish's test vectors (cost 5). Off, "$2a" is Lucia's error; "$2b$" and "$2y$" are false.
\set bcrypt_tail '05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'
SELECT v, regress.error_of(pg_catalog.format('SELECT lucia_auth.verify_password(%L, %L)', 'U*U', '$' || v || '$' || :'bcrypt_tail'))
  FROM unnest(ARRAY['2a', '2b', '2y']) AS v ORDER BY v;
SELECT v, lucia_auth.verify_password('U*U', '$' || v || '$' || :'bcrypt_tail') AS verifies
  FROM unnest(ARRAY['2b', '2y']) AS v ORDER BY v;
-- On: each variant verifies; a wrong password, a changed hash or a malformed one is false.
SET lucia_auth.verify_bcrypt = on;
SELECT v, lucia_auth.verify_password('U*U', '$' || v || '$' || :'bcrypt_tail') AS verifies,
       lucia_auth.verify_password('U*V', '$' || v || '$' || :'bcrypt_tail') AS other_password
  FROM unnest(ARRAY['2a', '2b', '2y']) AS v ORDER BY v;
SELECT lucia_auth.verify_password('', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy') AS empty_password;
SELECT hash, lucia_auth.verify_password('U*U', hash) AS verifies
  FROM (VALUES ('$2a'), ('$2a$05$'), ('$2x$' || :'bcrypt_tail'), ('$2a$5$' || :'bcrypt_tail'),
               ('$2a$' || :'bcrypt_tail' || 'x'), ('$2a$03' || substr(:'bcrypt_tail', 3)),
               ('$2a$' || replace(:'bcrypt_tail', 'E5Y', 'E5*'))) AS t(hash)
  ORDER BY hash;
-- The cost bound at its edge, with the right password.
SET lucia_auth.bcrypt_max_cost = 5;
SELECT lucia_auth.verify_password('U*U', '$2b$' || :'bcrypt_tail') AS cost5_bound5;
SET lucia_auth.bcrypt_max_cost = 4;
SELECT lucia_auth.verify_password('U*U', '$2b$' || :'bcrypt_tail') AS cost5_bound4;
RESET lucia_auth.bcrypt_max_cost;
-- The password as typed, in UTF-8: bcrypt libraries do not normalise (crypt_blowfish's "\xff\xff\xa3"
-- vector is not UTF-8 and cannot be a password; this one is bcryptjs's hash of "ﬁ", U+FB01).
SELECT lucia_auth.verify_password(U&'\FB01', '$2b$04$xtEZvHvwSU0WaV4LHoU3vOXfw06UXIglmm4TZWbfej7cj0O0Mp0U.') AS as_typed,
       lucia_auth.verify_password('fi', '$2b$04$xtEZvHvwSU0WaV4LHoU3vOXfw06UXIglmm4TZWbfej7cj0O0Mp0U.') AS nfkc_form;
-- verify_password follows the settings of the moment: a prepared statement is not folded to the result
-- of its first run.
RESET lucia_auth.verify_bcrypt;
PREPARE verify_2b AS SELECT lucia_auth.verify_password('U*U', '$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW') AS verifies;
EXECUTE verify_2b;
SET lucia_auth.verify_bcrypt = on;
EXECUTE verify_2b;
DEALLOCATE verify_2b;
-- Every bcrypt hash needs a rehash.
SELECT lucia_auth.password_needs_rehash('$2b$' || :'bcrypt_tail') AS needs_rehash;

-- 4. use_key ------------------------------------------------------------------------------------------

-- A stored hash beyond a bound is a wrong password, never an error or a long wait; one within the bounds
-- logs in.
SELECT user_id FROM lucia_auth.create_user('b-user');
INSERT INTO user_key VALUES ('bound:argon2id-edge', 'b-user', :'t_edge'), ('bound:argon2id-beyond', 'b-user', :'t_beyond'),
  ('bound:bcrypt', 'b-user', '$2a$' || :'bcrypt_tail'), ('bound:s2-salt65', 'b-user', :'s2_salt65');
SELECT * FROM lucia_auth.use_key('bound', 'argon2id-edge', 'pw');
SELECT * FROM lucia_auth.use_key('bound', 'bcrypt', 'U*U');
SELECT u, regress.error_of(pg_catalog.format('SELECT lucia_auth.use_key(%L, %L, %L)', 'bound', u, pw))
  FROM (VALUES ('argon2id-beyond', 'pw'), ('s2-salt65', 'pw'), ('bcrypt', 'U*V')) AS t(u, pw);
SET lucia_auth.bcrypt_max_cost = 4;
SELECT regress.error_of($$SELECT lucia_auth.use_key('bound', 'bcrypt', 'U*U')$$) AS bcrypt_beyond_bound;
RESET lucia_auth.verify_bcrypt;
RESET lucia_auth.bcrypt_max_cost;
SELECT regress.error_of($$SELECT lucia_auth.use_key('bound', 'bcrypt', 'U*U')$$) AS bcrypt_off;
-- A missing key with Argon2id as the current format costs one verification of a dummy built from the
-- settings (no hash is made for it): the call fails as any missing key does.
SET lucia_auth.password_hash = argon2id;
SET lucia_auth.argon2id_memory = '64kB';
SET lucia_auth.argon2id_iterations = 1;
SELECT regress.error_of($$SELECT lucia_auth.use_key('bound', 'missing', 'pw')$$) AS missing_key;
RESET lucia_auth.password_hash;
RESET lucia_auth.argon2id_memory;
RESET lucia_auth.argon2id_iterations;
SELECT lucia_auth.delete_user('b-user');

-- 5. The settings ------------------------------------------------------------------------------------------

-- Values out of range or of the wrong type are refused with 22023.
SELECT s, regress.error_of(s)
  FROM (VALUES ($$SET lucia_auth.argon2id_max_memory = '4kB'$$),
               ($$SET lucia_auth.argon2id_max_memory = '2GB'$$),
               ($$SET lucia_auth.argon2id_max_memory = 'lots'$$),
               ($$SET lucia_auth.argon2id_max_iterations = 0$$),
               ($$SET lucia_auth.argon2id_max_iterations = 65$$),
               ($$SET lucia_auth.argon2id_max_iterations = 'many'$$),
               ($$SET lucia_auth.verify_bcrypt = 'maybe'$$),
               ($$SET lucia_auth.bcrypt_max_cost = 3$$),
               ($$SET lucia_auth.bcrypt_max_cost = 32$$)) AS t(s);
-- The edges of their ranges are accepted.
SET lucia_auth.argon2id_max_memory = '1GB';
SET lucia_auth.argon2id_max_iterations = 64;
SET lucia_auth.bcrypt_max_cost = 31;
SELECT current_setting('lucia_auth.argon2id_max_memory') AS max_memory,
       current_setting('lucia_auth.argon2id_max_iterations') AS max_iterations,
       current_setting('lucia_auth.bcrypt_max_cost') AS bcrypt_max_cost;
SET lucia_auth.argon2id_max_memory = '8kB';
SET lucia_auth.argon2id_max_iterations = 1;
SET lucia_auth.bcrypt_max_cost = 4;
SELECT current_setting('lucia_auth.argon2id_max_memory') AS max_memory,
       current_setting('lucia_auth.argon2id_max_iterations') AS max_iterations,
       current_setting('lucia_auth.bcrypt_max_cost') AS bcrypt_max_cost;
RESET ALL;

-- They are superuser-only: an application role can neither raise a bound nor turn bcrypt on (42501).
CREATE ROLE lucia_regress_bounds_app;
SET ROLE lucia_regress_bounds_app;
SELECT s, regress.error_of(s)
  FROM (VALUES ($$SET lucia_auth.argon2id_max_memory = '1GB'$$),
               ($$SET lucia_auth.argon2id_max_iterations = 64$$),
               ($$SET lucia_auth.verify_bcrypt = on$$),
               ($$SET lucia_auth.bcrypt_max_cost = 31$$),
               ($$SET LOCAL lucia_auth.bcrypt_max_cost = 31$$),
               ($$SELECT set_config('lucia_auth.argon2id_max_memory', '1GB', false)$$),
               ($$SELECT set_config('lucia_auth.verify_bcrypt', 'on', true)$$),
               ($$ALTER ROLE lucia_regress_bounds_app SET lucia_auth.argon2id_max_iterations = 64$$)) AS t(s);
SELECT name, setting FROM pg_settings
  WHERE name IN ('lucia_auth.argon2id_max_memory', 'lucia_auth.argon2id_max_iterations',
                 'lucia_auth.verify_bcrypt', 'lucia_auth.bcrypt_max_cost')
  ORDER BY name;
RESET ROLE;
DROP ROLE lucia_regress_bounds_app;

\i test/sql/include/teardown.sql
