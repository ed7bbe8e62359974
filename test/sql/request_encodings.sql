-- Requests in databases whose encoding is not UTF-8. Headers are read as Lucia reads them, after
-- conversion to UTF-8; a cookie value with a character the database encoding lacks, or one without a
-- UTF-8 equivalent, is NULL like any other cookie that cannot be read, and a session id that cannot be
-- written is a clean error. No error shows the bytes of a character. The file is ASCII: characters are
-- made with chr() and convert_from(), and results show them as <U+XXXX> or <X>.
\i test/sql/include/setup.sql
SELECT current_database() AS regress_database \gset
CREATE DATABASE lucia_regress_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c lucia_regress_latin1
CREATE EXTENSION lucia_auth;
\pset null (null)
CREATE FUNCTION error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE FUNCTION shown(value text) RETURNS text LANGUAGE sql
  AS $$ SELECT replace(replace(value, chr(233), '<U+00E9>'), chr(160), '<U+00A0>') $$;

-- LATIN1: a %-escape of a character LATIN1 lacks (U+2713) reads as no cookie, as before it raised
-- 22P05 with the bytes; one LATIN1 has (U+00E9) is decoded; a LATIN1 character as written is kept; a
-- no-break space is white space to Lucia and trimmed; a cookie name may hold LATIN1 characters.
SELECT shown(name) AS name, shown(header) AS header,
       shown(lucia_auth.read_session_cookie(header, name)) AS session_id
  FROM (VALUES ('auth_session', 'auth_session=%E2%9C%93'),
               ('auth_session', 'auth_session=ok%E2%9C%93'),
               ('auth_session', 'theme=%E2%9C%93; auth_session=abc'),
               ('auth_session', 'auth_session=%C3%A9t%C3%A9'),
               ('auth_session', 'auth_session=' || chr(233) || 't' || chr(233)),
               ('auth_session', 'auth_session=' || chr(160) || 'abc' || chr(160) || '; x=y'),
               ('auth_session', 'auth_session=%zz' || chr(233)),
               ('caf' || chr(233), 'cafe=no; caf' || chr(233) || '=yes')) AS t(name, header);
SELECT shown(lucia_auth.read_bearer_token('Bearer ' || chr(233) || 't' || chr(233))) AS token;
SELECT shown(lucia_auth.create_session_cookie(chr(233) || 't' || chr(233), 0, false, 'caf' || chr(233))) AS cookie;
-- The cookie lucia_auth writes reads back as the same id.
SELECT lucia_auth.read_session_cookie(
         split_part(lucia_auth.create_session_cookie(chr(233) || ' ' || chr(160), 0), ';', 1))
       = chr(233) || ' ' || chr(160) AS round_trip;

\c :regress_database
DROP DATABASE lucia_regress_latin1;

-- EUC_JP has characters without a UTF-8 equivalent (such as 0xa9a1, shown <X>). In a header it is
-- one character that matches no name and is no white space: another cookie holding it is skipped, a
-- value holding it is not returned (but a closing character it is removes it, as Lucia's slice does).
-- A cookie name holding it names no cookie. A session id holding it cannot be percent-encoded as
-- UTF-8: that is an error that does not show it. A bearer token is returned as written.
CREATE DATABASE lucia_regress_euc_jp ENCODING 'EUC_JP' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c lucia_regress_euc_jp
CREATE EXTENSION lucia_auth;
\pset null (null)
CREATE FUNCTION error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE FUNCTION x() RETURNS text LANGUAGE sql AS $$ SELECT convert_from('\xa9a1', 'EUC_JP') $$;
CREATE FUNCTION shown(value text) RETURNS text LANGUAGE sql
  AS $$ SELECT replace(replace(value, x(), '<X>'), convert_from('\xa4a2', 'EUC_JP'), '<U+3042>') $$;
SELECT shown(name) AS name, shown(header) AS header,
       shown(lucia_auth.read_session_cookie(header, name)) AS session_id
  FROM (VALUES ('auth_session', 'theme=' || x() || '; auth_session=abc'),
               ('auth_session', x() || 'auth_session=abc'),
               ('auth_session', 'auth_session=ab' || x() || 'c'),
               ('auth_session', 'auth_session="abc' || x()),
               ('auth_session', 'auth_session=%F0%9F%98%80'),
               ('auth_session', 'auth_session=%E3%81%82'),
               ('n' || x(), 'n' || x() || '=abc'),
               ('n' || x(), 'n=abc')) AS t(name, header);
SELECT error_of($$SELECT lucia_auth.create_session_cookie('ab' || x(), 0)$$);
SELECT shown(lucia_auth.create_session_cookie('abc', 0, false, 'n' || x())) AS cookie;
SELECT shown(lucia_auth.read_bearer_token('Bearer ab' || x())) AS token;
\c :regress_database
DROP DATABASE lucia_regress_euc_jp;

\i test/sql/include/teardown.sql
