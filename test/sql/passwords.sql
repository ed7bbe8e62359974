-- hash_password, verify_password, password_needs_rehash.
\i test/sql/include/setup.sql

-- New hashes are Lucia v2 s2 hashes with a fresh salt each time.
SELECT h ~ '^s2:[a-z0-9]{16}:[0-9a-f]{128}$' AS s2_shape FROM lucia_auth.hash_password('hello') h;
SELECT lucia_auth.hash_password('hello') <> lucia_auth.hash_password('hello') AS salted;

-- A fixed s2 vector: scrypt(N=16384, r=16, p=1, dkLen=64) of "hello" with salt "abcdefghijklmnop",
-- as computed by Node's crypto.scryptSync.
\set s2_vector 's2:abcdefghijklmnop:455b0f28f986a1233efaff862aa7f3fe861fbdbe9b805467894c774b482274b4d35f186ac30846601fbfd35eea4aa9487516d683e7cc40f27c1a1b046a034409'
SELECT lucia_auth.verify_password('hello', :'s2_vector') AS fixed_vector,
       lucia_auth.verify_password('hellp', :'s2_vector') AS other_password,
       lucia_auth.verify_password('hello', replace(:'s2_vector', 's2:a', 's2:b')) AS other_salt,
       lucia_auth.verify_password('hello', upper(:'s2_vector')) AS upper_case_hash;

-- Round trips, and passwords that differ.
SELECT lucia_auth.verify_password('hello', h) AS same,
       lucia_auth.verify_password('Hello', h) AS other_case,
       lucia_auth.verify_password('hello ', h) AS trailing_space,
       lucia_auth.verify_password('', h) AS empty
  FROM lucia_auth.hash_password('hello') h;
SELECT lucia_auth.verify_password('', lucia_auth.hash_password('')) AS empty_password;

-- NFKC: compatibility-equivalent spellings hash alike (ligature, Angstrom sign, combining ring,
-- full-width letters); canonically different strings do not.
SELECT lucia_auth.verify_password('fi', lucia_auth.hash_password(U&'\FB01')) AS ligature,
       lucia_auth.verify_password(U&'\00C5', lucia_auth.hash_password(U&'\212B')) AS angstrom,
       lucia_auth.verify_password(U&'\00C5', lucia_auth.hash_password(U&'A\030A')) AS combining,
       lucia_auth.verify_password('ABC', lucia_auth.hash_password(U&'\FF21\FF22\FF23')) AS fullwidth,
       lucia_auth.verify_password('A', lucia_auth.hash_password(U&'\00C5')) AS accent_matters;

-- A 10,000-character password, and the length limit (65,536 bytes).
SELECT lucia_auth.verify_password(repeat('é', 10000), lucia_auth.hash_password(repeat('é', 10000))) AS long_ok;
SELECT regress.error_of($$SELECT lucia_auth.hash_password(repeat('a', 65537))$$);
SELECT regress.error_of($$SELECT lucia_auth.verify_password(repeat('a', 65537), 's2:a:b')$$);

-- Lucia v1 hashes ("salt:hex", scrypt with r=8): a vector computed by Node's crypto.scryptSync.
\set v1_vector 'somesalt:9548a14bab533196bade68cd442d6a777378b00662ef1aa8d0e2acd887c4c09359823d67b75b64a85043f0523033cdd8115f4d8301c99bc03bc9af510fa5009b'
SELECT lucia_auth.verify_password('pw', :'v1_vector') AS v1_vector,
       lucia_auth.verify_password('pW', :'v1_vector') AS other_password,
       lucia_auth.verify_password('pw', 's2:' || :'v1_vector') AS read_as_s2;

-- bcrypt hashes from Lucia's beta are refused with Lucia's error.
SELECT regress.error_of($$SELECT lucia_auth.verify_password('pw', '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy')$$);
SELECT regress.error_of($$SELECT lucia_auth.verify_password('pw', '$2a')$$);

-- Anything else that is not a hash is simply false.
SELECT hash, lucia_auth.verify_password('pw', hash) AS verifies
  FROM (VALUES (''), ('s2'), ('s2:'), ('s2::'), ('s2:a:'), (':'), ('::'), ('s3:a:b'), ('a:b:c:d'),
               ('s2:salt:' || repeat('z', 128)), ('$2b$10$abc'), ('$argon2id$'), ('$argon2id$v=19$m=64'),
               ('$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA'),
               ('$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaA'),
               ('$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA')) AS t(hash)
  ORDER BY hash;
SELECT lucia_auth.verify_password('pw', repeat('x', 1000000)) AS megabyte_hash;

-- NULL in, NULL out.
SELECT lucia_auth.hash_password(NULL) IS NULL AS hash_null,
       lucia_auth.verify_password(NULL, 's2:a:b') IS NULL AS verify_null_password,
       lucia_auth.verify_password('pw', NULL) IS NULL AS verify_null_hash,
       lucia_auth.password_needs_rehash(NULL) IS NULL AS rehash_null;

-- Argon2id, chosen by lucia_auth.password_hash; small parameters keep the test fast.
SET lucia_auth.password_hash = argon2id;
SET lucia_auth.argon2id_memory = '64kB';
SET lucia_auth.argon2id_iterations = 1;
SELECT h ~ '^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$' AS argon2id_shape,
       lucia_auth.verify_password('hello', h) AS same,
       lucia_auth.verify_password('hellO', h) AS other,
       lucia_auth.verify_password('fi', lucia_auth.hash_password(U&'\FB01')) AS nfkc,
       lucia_auth.password_needs_rehash(h) AS needs_rehash
  FROM lucia_auth.hash_password('hello') h;
-- A fixed Argon2id vector made once by libsodium's crypto_pwhash_str_alg with these parameters.
SELECT lucia_auth.verify_password('hello', '$argon2id$v=19$m=64,t=1,p=1$2LIa6dkSr4pWp9rY6qKRrg$5rhpqwvvXzBrZp6L7GjvgQEYdfKrHi96drredrb22Cs') AS fixed_vector;

-- password_needs_rehash follows the current format and parameters.
SELECT lucia_auth.password_needs_rehash(lucia_auth.hash_password('x')) AS current_argon2id,
       lucia_auth.password_needs_rehash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA') AS other_params,
       lucia_auth.password_needs_rehash('s2:abcdefghijklmnop:' || repeat('0', 128)) AS s2_hash;
RESET lucia_auth.password_hash;
SELECT lucia_auth.password_needs_rehash('s2:abcdefghijklmnop:' || repeat('0', 128)) AS s2_current,
       lucia_auth.password_needs_rehash('s2:abcdefghijklmnop:' || repeat('A', 128)) AS s2_upper_hex,
       lucia_auth.password_needs_rehash('salt:' || repeat('0', 128)) AS lucia_v1,
       lucia_auth.password_needs_rehash('$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA') AS argon2id,
       lucia_auth.password_needs_rehash('$2a$10$abc') AS bcrypt,
       lucia_auth.password_needs_rehash('') AS empty;

-- The settings are checked when set.
SELECT regress.error_of($$SET lucia_auth.password_hash = 'md5'$$);
SELECT regress.error_of($$SET lucia_auth.argon2id_memory = '4kB'$$);
SELECT regress.error_of($$SET lucia_auth.argon2id_iterations = 0$$);
RESET ALL;

\i test/sql/include/teardown.sql
