# The identity of lucia_auth.authenticate() outside one connection: no setting of the server, a role, a
# database or a connection can give it a value, whether it was stored before lucia_auth was loaded
# (ALTER ROLE/DATABASE … SET in a session where it was not: PostgreSQL keeps the value of an unknown
# setting there, though not in ALTER SYSTEM) or written in postgresql.conf, and with lucia_auth in shared_preload_libraries a
# connection that asks for it is refused. On a hot standby (read-only) authenticate and
# postgrest_pre_request work: the identity is set, and an idle session is accepted as it is, unrenewed,
# with no Set-Cookie.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $primary = PostgreSQL::Test::Cluster->new('identity_primary');
$primary->init(allows_streaming => 1);
$primary->start;

$primary->safe_psql('postgres', q{
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	SELECT lucia_auth.create_user('ada');
	SELECT lucia_auth.create_user('bob');
	SELECT lucia_auth.create_session('ada', '{}', 'ada-session');
	SELECT lucia_auth.create_session('bob', '{}', 'bob-idle-session');
	UPDATE user_session SET active_expires = (extract(epoch FROM now()) * 1000)::bigint - 60000
	  WHERE id = 'bob-idle-session';
	CREATE ROLE app LOGIN;
	GRANT USAGE ON SCHEMA lucia_auth TO app;
	GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO app;
	CREATE DATABASE forged;
});
$primary->safe_psql('forged', 'CREATE EXTENSION lucia_auth; GRANT USAGE ON SCHEMA lucia_auth TO app');

# Stored while lucia_auth is not loaded in the session (each safe_psql is a new connection and these
# statements call nothing of lucia_auth): PostgreSQL accepts a value for a setting it does not know yet.
$primary->safe_psql('postgres', q{ALTER ROLE app SET lucia_auth.authenticated_user_id = 'ada'});
$primary->safe_psql('postgres', q{ALTER DATABASE forged SET lucia_auth.authenticated_user_id = 'ada'});
my ($rc, $out, $err) = $primary->psql('postgres', q{ALTER SYSTEM SET lucia_auth.authenticated_user_id = 'ada'});
like($err, qr/unrecognized configuration parameter/, 'not loaded: ALTER SYSTEM refuses an unknown setting');
is( $primary->safe_psql('postgres', q{
		SELECT count(*) FROM pg_db_role_setting, unnest(setconfig) AS c
		  WHERE c = 'lucia_auth.authenticated_user_id=ada'}),
	'2', 'the role and database settings are stored');

# Loaded later in the session, lucia_auth refuses them, with a WARNING, and the identity is NULL.
($rc, $out, $err) = $primary->psql('forged', q{SELECT coalesce(lucia_auth.current_user_id(), 'none')},
	extra_params => ['-U', 'app']);
is($out, 'none', 'not preloaded: the role and database settings give no identity');
like($err, qr/parameter "lucia_auth.authenticated_user_id" can only be set by lucia_auth.authenticate\(\)/,
	'not preloaded: the stored values are refused with a warning');
{
	local $ENV{PGOPTIONS} = '-c lucia_auth.authenticated_user_id=ada';
	($rc, $out, $err) = $primary->psql('postgres', q{SELECT coalesce(lucia_auth.current_user_id(), 'none')});
	is($out, 'none', 'not preloaded: a connection option gives no identity');
}

# With lucia_auth preloaded, and the value in postgresql.conf too.
$primary->append_conf('postgresql.conf', q{
shared_preload_libraries = 'lucia_auth'
lucia_auth.authenticated_user_id = 'ada'
});
my $log_offset = -s $primary->logfile;
$primary->restart;
is( $primary->safe_psql('postgres', q{SELECT coalesce(lucia_auth.current_user_id(), 'none')}),
	'none', 'preloaded: postgresql.conf gives no identity');
ok( $primary->log_contains(
		qr/parameter "lucia_auth.authenticated_user_id" can only be set by lucia_auth.authenticate\(\)/, $log_offset),
	'preloaded: the server logs that it refused the value of postgresql.conf');
($rc, $out, $err) = $primary->psql('forged', q{SELECT coalesce(lucia_auth.current_user_id(), 'none')},
	extra_params => ['-U', 'app']);
is($out, 'none', 'preloaded: the role and database settings give no identity');
like($err, qr/can only be set by lucia_auth.authenticate\(\)/, 'preloaded: they are refused with a warning');
# A parallel worker applies the role's and the database's settings as it starts, before it takes the
# leader's.
$primary->safe_psql('forged', 'CREATE TABLE one_row AS SELECT 1 AS x; GRANT SELECT ON one_row TO app');
($rc, $out, $err) = $primary->psql('forged', q{
	SET force_parallel_mode = on;
	EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT lucia_auth.current_user_id() FROM one_row;
	SELECT coalesce(lucia_auth.current_user_id(), 'none') FROM one_row;},
	extra_params => ['-U', 'app']);
like($out, qr/Workers Launched: 1/, 'preloaded: the query runs in a parallel worker');
like($out, qr/\nnone$/, 'preloaded: the role and database settings give a parallel worker no identity');
($rc, $out, $err) = $primary->psql('postgres',
	q{ALTER ROLE app SET lucia_auth.authenticated_user_id = 'bob'});
like($err, qr/can only be set by lucia_auth.authenticate\(\)/, 'preloaded: ALTER ROLE … SET is refused');
foreach my $user ('postgres', 'app')
{
	local $ENV{PGOPTIONS} = '-c lucia_auth.authenticated_user_id=ada';
	($rc, $out, $err) = $primary->psql('postgres', q{SELECT coalesce(lucia_auth.current_user_id(), 'none')},
		extra_params => ['-U', $user]);
	isnt($rc, 0, "preloaded: a connection of $user that asks for the identity is refused");
	like($err, qr/(can only be set by lucia_auth.authenticate\(\)|permission denied to set parameter)/,
		"preloaded: the refusal names the setting ($user)");
}
is( $primary->safe_psql('postgres', q{
		BEGIN;
		SELECT user_id FROM lucia_auth.authenticate('ada-session');
		SELECT lucia_auth.current_user_id();
		COMMIT;}),
	"ada\nada", 'preloaded: authenticate sets the identity');

$primary->safe_psql('postgres', q{ALTER ROLE app RESET ALL; ALTER DATABASE forged RESET ALL});
$primary->adjust_conf('postgresql.conf', 'lucia_auth.authenticated_user_id', undef);
$primary->reload;

# A hot standby.
$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('identity_standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby);
my $idle_row_sql = q{SELECT active_expires || ' ' || idle_expires FROM user_session WHERE id = 'bob-idle-session'};
my $idle_row = $standby->safe_psql('postgres', $idle_row_sql);

is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');
is( $standby->safe_psql('postgres', q{
		BEGIN;
		SELECT user_id || ' ' || state || ' ' || fresh FROM lucia_auth.authenticate('ada-session');
		SELECT lucia_auth.current_user_id();
		COMMIT;
		SELECT coalesce(lucia_auth.current_user_id(), 'none');}),
	"ada active false\nada\nnone", 'standby: authenticate sets the identity for the transaction');
is( $standby->safe_psql('postgres', q{
		BEGIN;
		SELECT user_id || ' ' || state || ' ' || fresh FROM lucia_auth.authenticate('bob-idle-session');
		SELECT lucia_auth.current_user_id();
		COMMIT;}),
	"bob idle false\nbob", 'standby: an idle session authenticates, unrenewed');
is( $standby->safe_psql('postgres', q{
		BEGIN;
		SELECT set_config('request.cookies', '{"auth_session":"bob-idle-session"}', true) IS NOT NULL;
		SELECT lucia_auth.postgrest_pre_request();
		SELECT lucia_auth.current_user_id() || ' ' || coalesce(nullif(current_setting('response.headers', true), ''), 'no headers');
		SELECT set_config('request.cookies', '{"auth_session":"no-such-session"}', true) IS NOT NULL;
		SELECT lucia_auth.postgrest_pre_request();
		SELECT coalesce(lucia_auth.current_user_id(), 'anonymous');
		COMMIT;}),
	"t\n\nbob no headers\nt\n\nanonymous", 'standby: the pre-request signs in without a write, or leaves the request anonymous');
is($standby->safe_psql('postgres', $idle_row_sql), $idle_row, 'standby: the idle session is unchanged');
($rc, $out, $err) = $standby->psql('postgres', q{SELECT lucia_auth.authenticate('no-such-session')});
like($err, qr/AUTH_INVALID_SESSION_ID/, 'standby: an invalid session is AUTH_INVALID_SESSION_ID');

$standby->stop;
$primary->stop;
done_testing();
