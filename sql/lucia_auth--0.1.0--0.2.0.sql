-- lucia_auth 0.1.0 -> 0.2.0. Applied by ALTER EXTENSION lucia_auth UPDATE; the auth tables are the
-- application's and are not touched.
\echo Use "ALTER EXTENSION lucia_auth UPDATE TO '0.2.0'" to load this file. \quit
