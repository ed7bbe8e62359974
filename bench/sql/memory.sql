-- Backend private memory (RssAnon: RSS less shared buffers and mapped files) before and after 100,000 validations and 200 hashes, in one connection.
\set QUIET on
SELECT pg_backend_pid() AS pid \gset
-- Warm up: load the module, prepare the statements, fill the caches.
SELECT count(*) FROM generate_series(1, 2000) g, LATERAL lucia_auth.validate_session((g % :sessions + 1)::text) v \g /dev/null
SELECT count(lucia_auth.hash_password('warm up')) FROM generate_series(1, 5) \g /dev/null
\setenv BENCH_PID :pid
\! grep RssAnon /proc/$BENCH_PID/status | awk '{print "rss_before_kb " $2}'
SELECT count(*) FROM generate_series(1, 100000) g, LATERAL lucia_auth.validate_session((g % :sessions + 1)::text) v \g /dev/null
SELECT count(lucia_auth.hash_password('p' || g)) FROM generate_series(1, :hashes) g \g /dev/null
\! grep RssAnon /proc/$BENCH_PID/status | awk '{print "rss_after_kb " $2}'
