-- Requests: read_session_cookie, read_bearer_token, create_session_cookie, as Lucia v2 reads and
-- writes them (its parseCookie, readBearerToken and createSessionCookie(...).serialize()).
\i test/sql/include/setup.sql
\pset null (null)

SELECT h, lucia_auth.read_session_cookie(h) AS session_id
  FROM (VALUES ('auth_session=abc123'),
               ('theme=dark; auth_session=abc123; lang=en'),
               ('auth_session=first; auth_session=second'),
               ('  auth_session  =  spaced  ; x=1'),
               ('auth_session="quoted"'),
               ('auth_session=a%20b%2Fc'),
               ('auth_session=bad%zzescape'),
               ('auth_session=%E2%9C%93'),
               ('auth_session=%C0%80'),
               ('auth_session='),
               ('auth_session'),
               ('xauth_session=no; auth_sessionx=no'),
               ('flag; auth_session=after-flag'),
               ('a=b=c; auth_session=x=y'),
               ('auth_session=%00'),
               ('other=1'),
               ('')) AS t(h);
SELECT lucia_auth.read_session_cookie(NULL) IS NULL AS null_header,
       lucia_auth.read_session_cookie('sid=zz; auth_session=yy', 'sid') AS custom_name;
SELECT regress.error_of($$SELECT lucia_auth.read_session_cookie('a=b', NULL)$$);

SELECT h, lucia_auth.read_bearer_token(h) AS token
  FROM (VALUES ('Bearer abc'), ('Bearer abc def'), ('Bearer  abc'), ('Bearer '), ('Bearer'),
               ('bearer abc'), ('Basic dXNlcjpwYXNz'), (''), (NULL)) AS t(h);

SELECT lucia_auth.create_session_cookie('abc123', 1700000000000) AS secure_cookie;
SELECT lucia_auth.create_session_cookie('abc123', 1700000000000, false) AS insecure_cookie;
SELECT lucia_auth.create_session_cookie('a b/c;ä', 0, true, 'sid') AS escaped_custom_name;
SELECT lucia_auth.create_session_cookie(NULL, NULL) AS blank_cookie,
       lucia_auth.create_session_cookie(NULL, 1700000000000, false) AS blank_ignores_expiry;
-- Dates across JavaScript's Date range; beyond it is an error.
SELECT ms, lucia_auth.create_session_cookie('x', ms) AS cookie
  FROM (VALUES (-1::bigint), (951782400000), (253402300800000), (8640000000000000), (-8640000000000000)) AS t(ms);
SELECT regress.error_of($$SELECT lucia_auth.create_session_cookie('x', 8640000000000001)$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session_cookie('x', NULL)$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session_cookie('x', 0, NULL)$$);
-- A cookie written by create_session_cookie reads back as the same session id.
SELECT lucia_auth.read_session_cookie(split_part(lucia_auth.create_session_cookie('a b/c;ä', 0), ';', 1)) AS round_trip;

\i test/sql/include/teardown.sql
