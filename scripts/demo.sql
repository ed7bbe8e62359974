\pset footer off
\echo '== lucia_auth demo: a throwaway PostgreSQL with the extension'
CREATE EXTENSION lucia_auth;

\echo
\echo '== Sign-up: hash the password the way Lucia v2 does (s2 scrypt, N=16384 r=16 p=1)'
SELECT lucia_auth.hash_password('correct horse battery staple') AS hash \gset
\echo :hash

\echo
\echo '== Login: verify the password against the stored hash'
SELECT lucia_auth.verify_password('correct horse battery staple', :'hash') AS right_password,
       lucia_auth.verify_password('correct horse battery stapler', :'hash') AS wrong_password;

\echo
\echo '== NFKC: a ligature and its plain spelling are the same password, as in Lucia'
SELECT lucia_auth.verify_password('fi', lucia_auth.hash_password(U&'\FB01')) AS ligature_matches;

\echo
\echo '== New ids from the CSPRNG: a 15-char user id and a 40-char session id'
SELECT lucia_auth.generate_random_string(15) AS user_id, lucia_auth.generate_random_string(40) AS session_id;
