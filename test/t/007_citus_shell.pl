# The auth tables distributed by Citus, on a single-node cluster (the coordinator holds the shards).
# After create_distributed_table, the rows live in shards and the coordinator's own table is a shell
# that still holds the rows it had before (until truncate_local_data_after_distributing_table): read
# directly, it would report a revoked session active and a new one unknown. lucia_auth sees that the
# tables are Citus's and reads them through Citus's planner, in a backend that knew them before they
# were distributed as well as in a new one. delete_user works on them too.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}
my $pkglibdir = `pg_config --pkglibdir`;
chomp $pkglibdir;
if (!-f "$pkglibdir/citus.so")
{
	plan skip_all => 'Citus is not installed (../shared/citus/build-citus.sh builds it)';
}

my $node = PostgreSQL::Test::Cluster->new('citus');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'citus'\nmax_connections = 40\n");
$node->start;
my $port = $node->port;
my $host = $node->host;
$node->safe_psql('postgres', qq{
	CREATE EXTENSION citus;
	SELECT citus_set_coordinator_host('$host', $port);
	SELECT citus_set_node_property('$host', $port, 'shouldhaveshards', true);
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	ALTER TABLE auth_user ADD COLUMN name text;
	SELECT lucia_auth.create_user('user-1', 'email', 'ada\@example.com', 'password', '{"name": "Ada"}');
	SELECT lucia_auth.create_session('user-1', '{}', 'kept');
	SELECT lucia_auth.create_session('user-1', '{}', 'revoked');
});

# A backend that reads the tables before and after they are distributed.
my $session = $node->background_psql('postgres', on_error_stop => 0);
is($session->query_safe(q{SELECT state FROM lucia_auth.validate_session('revoked')}), 'active',
	'before distribution: the session validates');

$node->safe_psql('postgres', q{
	SET client_min_messages = warning;
	ALTER TABLE user_session DROP CONSTRAINT user_session_user_id_fkey;
	ALTER TABLE user_key DROP CONSTRAINT user_key_user_id_fkey;
	SELECT create_reference_table('auth_user');
	SELECT create_distributed_table('user_session', 'id');
	SELECT create_distributed_table('user_key', 'id', colocate_with => 'user_session');
	ALTER TABLE user_session ADD FOREIGN KEY (user_id) REFERENCES auth_user (id);
	ALTER TABLE user_key ADD FOREIGN KEY (user_id) REFERENCES auth_user (id);
	SELECT lucia_auth.invalidate_session('revoked');
	SELECT lucia_auth.create_session('user-1', '{}', 'new');
});

for my $case ([ 'the backend that knew the tables', sub { my $out = $session->query($_[0]); $out || $session->{stderr} } ],
	[ 'a new backend', sub { my ($rc, $out, $err) = $node->psql('postgres', $_[0]); $out || $err } ])
{
	my ($who, $run) = @$case;
	like($run->(q{SELECT lucia_auth.validate_session('revoked')}), qr/AUTH_INVALID_SESSION_ID/,
		"$who: a session revoked after distribution is invalid");
	like($run->(q{SELECT lucia_auth.get_session('revoked')}), qr/AUTH_INVALID_SESSION_ID/,
		"$who: get_session agrees");
	is($run->(q{SELECT state || ' ' || (user_attributes ->> 'name') FROM lucia_auth.validate_session('new')}),
		'active Ada', "$who: a session created after distribution validates, with its user");
	is($run->(q{SELECT state FROM lucia_auth.validate_session('kept')}), 'active',
		"$who: a session from before distribution still validates");
}
$session->quit;

is($node->safe_psql('postgres', q{SELECT user_id FROM lucia_auth.use_key('email', 'ada@example.com', 'password')}),
	'user-1', 'use_key logs in from the distributed key table');
is($node->safe_psql('postgres', q{SELECT count(*) FROM lucia_auth.get_all_user_sessions('user-1')}),
	'2', 'get_all_user_sessions lists the sessions of every shard');
$node->safe_psql('postgres', q{SELECT lucia_auth.delete_user('user-1')});
is($node->safe_psql('postgres', q{
		SELECT (SELECT count(*) FROM auth_user) || ' ' || (SELECT count(*) FROM user_key) || ' '
		  || (SELECT count(*) FROM user_session)}),
	'0 0 0', 'delete_user deletes the user, its keys and its sessions from the distributed tables');

$node->stop;
done_testing();
