# Validation on a hot standby, as an application does it (README: Scaling out → Replicas), on a real
# primary and standby:
#
#   validate on the standby; when it says the session is unknown (AUTH_INVALID_SESSION_ID: it may be
#   newer than the standby's replay) or returns it idle and unrenewed (state idle, fresh false), ask
#   the primary; write everything, logouts included, on the primary.
#
# The test walks the pattern: a session created on the primary validates on the standby; one created
# while the standby's replay is paused is unknown there and validates through the primary; an idle
# session is renewed through the primary, and the standby sees it active once it has replayed the
# renewal. Then the window the README describes: with the standby's replay paused, a logout committed
# without remote_apply returns at once and the standby keeps accepting the signed-out session until
# it replays the logout; a logout committed with synchronous_commit = remote_apply (the standby in
# synchronous_standby_names) does not return until the standby has applied it, and from its return
# on the standby refuses the session. Last, the Node client (clients/node) walks the same pattern,
# reaching the standby through postgres.js's target_session_attrs=standby; that part is skipped when
# Node or the built client is not there.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run ();

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
# TCP too, for the Node client's multi-host connection string (the standby inherits it).
$primary->append_conf('postgresql.conf', "listen_addresses = '127.0.0.1'");
$primary->start;
$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;

$primary->safe_psql('postgres', q{
	ALTER DATABASE postgres SET lucia_auth.password_hash = argon2id;
	ALTER DATABASE postgres SET lucia_auth.argon2id_memory = '64kB';
	ALTER DATABASE postgres SET lucia_auth.argon2id_iterations = 1;
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	SELECT lucia_auth.create_user('user-1', 'email', 'ada@example.com', 'password', '{}');
});

# What a validation of $token on $node answers: "state fresh", or the error's message.
sub validate_on
{
	my ($node, $token) = @_;
	my ($rc, $out, $err) = $node->psql('postgres',
		"SELECT state || ' ' || fresh FROM lucia_auth.validate_session('$token')");
	return $out if $rc == 0;
	return $1 if $err =~ /ERROR:\s+(\S+)/;
	return "failed: $err";
}

# The pattern: the standby first, the primary when the standby does not know the session or cannot
# renew it. Returns where the answer came from and the answer.
sub validate_routed
{
	my ($token) = @_;
	my $answer = validate_on($standby, $token);
	if ($answer eq 'AUTH_INVALID_SESSION_ID' || $answer eq 'idle false')
	{
		return 'primary: ' . validate_on($primary, $token);
	}
	return "standby: $answer";
}

sub create_session
{
	my ($token) = @_;
	$primary->safe_psql('postgres', "SELECT lucia_auth.create_session('user-1', '{}', '$token')");
}

sub make_idle
{
	my ($token) = @_;
	$primary->safe_psql('postgres', qq{
		UPDATE user_session SET active_expires = (extract(epoch FROM now()) * 1000)::bigint - 60000
		  WHERE id = '$token'});
}

sub pause_replay
{
	$standby->safe_psql('postgres', 'SELECT pg_wal_replay_pause()');
	$standby->poll_query_until('postgres', 'SELECT pg_get_wal_replay_pause_state()', 'paused')
	  or die 'replay did not pause';
}

sub resume_replay
{
	$standby->safe_psql('postgres', 'SELECT pg_wal_replay_resume()');
}

# Created on the primary, validated on the standby once replayed.
create_session('session-1');
$primary->wait_for_catchup($standby);
is(validate_routed('session-1'), 'standby: active false', 'a replayed session validates on the standby alone');

# Newer than the standby's replay: unknown there, valid through the primary.
pause_replay();
create_session('session-new');
is(validate_on($standby, 'session-new'), 'AUTH_INVALID_SESSION_ID',
	'replay paused: the standby does not know a session created since');
is(validate_routed('session-new'), 'primary: active false', '... so the pattern asks the primary, which knows it');
resume_replay();
$primary->wait_for_catchup($standby);
is(validate_routed('session-new'), 'standby: active false', 'once replayed, the standby validates it alone');

# Idle renewal through the primary.
create_session('session-idle');
make_idle('session-idle');
$primary->wait_for_catchup($standby);
my $row_sql = q{SELECT active_expires || ' ' || idle_expires FROM user_session WHERE id = 'session-idle'};
my $idle_row = $standby->safe_psql('postgres', $row_sql);
is(validate_on($standby, 'session-idle'), 'idle false', 'the standby returns an idle session unrenewed');
is($standby->safe_psql('postgres', $row_sql), $idle_row, '... and writes nothing');
pause_replay();
is(validate_routed('session-idle'), 'primary: idle true', 'the pattern renews it on the primary (fresh)');
is(validate_routed('session-idle'), 'primary: active false',
	'until the standby replays the renewal, it still says idle, and the primary answers: active');
resume_replay();
$primary->wait_for_catchup($standby);
isnt($standby->safe_psql('postgres', $row_sql), $idle_row, 'the standby replayed the renewal');
is(validate_routed('session-idle'), 'standby: active false', 'and validates the session alone again');

# Logouts: the standby is made synchronous, so that remote_apply has a standby to wait for.
$primary->append_conf('postgresql.conf', "synchronous_standby_names = '*'");
$primary->reload;
$primary->poll_query_until('postgres', q{SELECT sync_state FROM pg_stat_replication}, 'sync')
  or die 'the standby did not become synchronous';

# Without remote_apply (synchronous_commit = on waits for the standby to flush the WAL, not to
# replay it): the logout returns while the standby still accepts the session.
create_session('session-async');
$primary->wait_for_catchup($standby);
pause_replay();
$primary->safe_psql('postgres', q{SELECT lucia_auth.invalidate_session('session-async')});
is(validate_on($primary, 'session-async'), 'AUTH_INVALID_SESSION_ID', 'without remote_apply: the primary has signed it out');
is(validate_routed('session-async'), 'standby: active false',
	'... and the logout has returned, yet the standby still accepts the session: the window');
ok( $primary->safe_psql('postgres', q{
		SELECT pg_wal_lsn_diff(flush_lsn, replay_lsn) > 0 FROM pg_stat_replication}) eq 't',
	'the window is the replay lag: flushed on the standby, not replayed');
resume_replay();
$primary->wait_for_catchup($standby);
is(validate_on($standby, 'session-async'), 'AUTH_INVALID_SESSION_ID', 'once replayed, the standby refuses it');
is(validate_routed('session-async'), 'primary: AUTH_INVALID_SESSION_ID', 'and so does the pattern');

# With remote_apply: the logout waits for the standby to apply it.
create_session('session-sync');
$primary->wait_for_catchup($standby);
pause_replay();
my $logout = $primary->background_psql('postgres');
$logout->query_until(qr/sent/, q{
	\echo sent
	SELECT set_config('synchronous_commit', 'remote_apply', true), lucia_auth.invalidate_session('session-sync');
	\echo returned
});
$primary->poll_query_until('postgres',
	q{SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'}, '1')
  or die 'the logout is not waiting for the standby';
is(validate_routed('session-sync'), 'standby: active false',
	'with remote_apply and replay paused: the logout waits (no response yet), the standby still has the session');
resume_replay();
$logout->query_safe('SELECT 1');    # returns once the logout has
is(validate_on($standby, 'session-sync'), 'AUTH_INVALID_SESSION_ID',
	'the logout returned only once the standby had applied it: the standby refuses the session at once');
$logout->quit;

# The same pattern through the Node client, postgres.js choosing the standby by itself.
my $client = $ENV{LUCIA_NODE_CLIENT} // '';
SKIP:
{
	skip 'the Node client is not built (clients/node/dist) or not readable here, or there is no node', 1
	  unless $client ne ''
	  && -r "$client/dist/index.js"
	  && -r "$client/node_modules/postgres/package.json"
	  && system('node --version >/dev/null 2>&1') == 0;
	local $ENV{PRIMARY_PORT} = $primary->port;
	local $ENV{STANDBY_PORT} = $standby->port;
	local $ENV{PGUSER} = scalar getpwuid($<);
	my ($stdout, $stderr);
	my $ok = IPC::Run::run([ 'node', "$client/test/replica-standby.mjs" ], '>', \$stdout, '2>', \$stderr);
	note $stdout;
	ok($ok, 'the Node client walks the pattern on the primary and the standby')
	  or diag "stdout:\n$stdout\nstderr:\n$stderr";
}

$standby->stop;
$primary->stop;
done_testing();
