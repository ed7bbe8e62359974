-- generate_random_string: CSPRNG, unbiased, any alphabet.
\i test/sql/include/setup.sql

SELECT length(s) AS len, s ~ '^[a-z0-9]{40}$' AS default_alphabet
  FROM lucia_auth.generate_random_string(40) s;
SELECT lucia_auth.generate_random_string(40) <> lucia_auth.generate_random_string(40) AS differs;

-- Every symbol of the alphabet appears in 20,000 draws, and nothing else does.
SELECT count(DISTINCT c) AS distinct_symbols, bool_and(c ~ '^[a-z0-9]$') AS only_alphabet
  FROM regexp_split_to_table(lucia_auth.generate_random_string(20000), '') AS c;

-- Custom, repeated and multi-byte alphabets.
SELECT lucia_auth.generate_random_string(8, 'a') AS single_symbol;
SELECT s ~ '^[01]{64}$' AS binary FROM lucia_auth.generate_random_string(64, '01') s;
SELECT length(s) AS chars, octet_length(s) BETWEEN 24 AND 36 AS two_or_three_bytes_each, s ~ '^[äöü€]{12}$' AS multibyte
  FROM lucia_auth.generate_random_string(12, 'äöü€') s;
SELECT count(DISTINCT c) AS distinct_multibyte
  FROM regexp_split_to_table(lucia_auth.generate_random_string(2000, 'äöü€🔑'), '') AS c;

-- Bounds: zero is empty, negative and huge lengths and empty alphabets are errors; NULL is NULL.
SELECT lucia_auth.generate_random_string(0) = '' AS zero, lucia_auth.generate_random_string(0, '') = '' AS zero_empty;
SELECT length(lucia_auth.generate_random_string(1048576)) AS max_length;
SELECT regress.error_of($$SELECT lucia_auth.generate_random_string(-1)$$);
SELECT regress.error_of($$SELECT lucia_auth.generate_random_string(1048577)$$);
SELECT regress.error_of($$SELECT lucia_auth.generate_random_string(2147483647)$$);
SELECT regress.error_of($$SELECT lucia_auth.generate_random_string(5, '')$$);
SELECT lucia_auth.generate_random_string(NULL) IS NULL AS null_length,
       lucia_auth.generate_random_string(5, NULL) IS NULL AS null_alphabet;

\i test/sql/include/teardown.sql
