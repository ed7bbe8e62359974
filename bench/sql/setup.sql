-- Benchmark data: :users users and :sessions active sessions spread over them, plus one idle copy of
-- each of the first :users sessions for the renewal runs.
CREATE EXTENSION IF NOT EXISTS lucia_auth;
SELECT lucia_auth.create_tables();
INSERT INTO auth_user SELECT 'user' || g FROM generate_series(1, :users) g;
-- A session's id is its number: the scripts bind it whole, as one parameter, as applications bind a
-- token (validate_literal.sql builds it from a literal instead).
INSERT INTO user_session
  SELECT g::text, 'user' || (g % :users + 1),
         (extract(epoch FROM now()) * 1000)::bigint + 86400000::bigint * 30,
         (extract(epoch FROM now()) * 1000)::bigint + 86400000::bigint * 44
  FROM generate_series(1, :sessions) g;
INSERT INTO user_key
  SELECT 'email:user' || g || '@example.com', 'user' || g,
         's2:abcdefghijklmnop:455b0f28f986a1233efaff862aa7f3fe861fbdbe9b805467894c774b482274b4d35f186ac30846601fbfd35eea4aa9487516d683e7cc40f27c1a1b046a034409'
  FROM generate_series(1, :users) g;
VACUUM ANALYZE;
