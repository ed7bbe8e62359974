# The auth tables distributed by Citus on a real cluster, as the README's "Scaling out" section lays
# them out: a coordinator and two workers, auth_user a reference table, user_session and user_key
# distributed by id and co-located.
#
#   - The whole API gives the same results as on one node: the interop suite (interop/: every Lucia v2
#     operation through Lucia and through lucia_auth, compared exactly) runs unchanged against the
#     coordinator, with its databases made on every node and its tables distributed
#     (interop/lib/citus.js), for both layouts and both drivers.
#   - Hashed session ids: sessions stored plain and as digests validate; hash_session_ids moves the
#     plain ones to their digest (a move between shards, as Citus changes no distribution value in
#     place) and they still validate.
#   - A worker stopped mid-run: calls for the sessions and keys of the other worker's shards keep
#     working (each lookup runs on the one shard that holds its row); calls for the stopped worker's
#     shards fail with Citus's connection error, never AUTH_INVALID_SESSION_ID (an unreachable shard
#     logs nobody out); when the worker returns, every session validates as before and what was
#     renewed meanwhile is kept.
#   - The functions work when called on a worker as well; invalidate_session signs one session out.
#   - The identity functions (authenticate, current_user_id, postgrest_pre_request) read the
#     distributed tables; the pre-request fails rather than go on anonymous when a shard is unreachable.
#   - delete_user removes the user, its keys and its sessions from every node.
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

my @nodes;
for my $name ('coordinator', 'worker1', 'worker2')
{
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf', "shared_preload_libraries = 'citus'\nmax_connections = 100\n");
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION citus');
	push @nodes, $node;
}
my ($coordinator, $worker1, $worker2) = @nodes;
my $host = $coordinator->host;
$coordinator->safe_psql('postgres', sprintf(q{
	SELECT citus_set_coordinator_host('%s', %d);
	SELECT citus_add_node('%s', %d);
	SELECT citus_add_node('%s', %d);},
	$host, $coordinator->port, $host, $worker1->port, $host, $worker2->port));

# The interop suite against the coordinator.
SKIP:
{
	my $interop = $ENV{LUCIA_INTEROP} // '';
	skip 'the interop suite needs Node and interop/node_modules (scripts/install-deps.sh node)', 2
	  unless $interop
	  && -d "$interop/node_modules"
	  && system('node --version >/dev/null 2>&1') == 0;
	local $ENV{PGHOST} = $host;
	local $ENV{PGPORT} = $coordinator->port;
	local $ENV{PGUSER} = $ENV{USER} // scalar getpwuid($>);
	local $ENV{PGDATABASE} = 'postgres';
	local $ENV{LUCIA_INTEROP_CITUS_WORKERS} = join ' ', map { "$host:" . $_->port } $worker1, $worker2;
	my ($stdout, $stderr);
	my $ok = IPC::Run::run(
		[ 'node', '--test', '--test-reporter=dot', 'test/drizzle-layout-pg.test.js',
			'test/quoted-layout-postgres-js.test.js' ],
		'>', \$stdout, '2>', \$stderr,
		init => sub { chdir $interop or die "cannot enter $interop: $!" });
	ok($ok, 'the interop suite passes against the distributed tables (both layouts, both drivers)')
	  or diag("$stdout\n$stderr");
	is( join(' ', map { $coordinator->safe_psql($_, q{
				SELECT string_agg(partmethod::text, '' ORDER BY logicalrelid::regclass::text) FROM pg_dist_partition}) }
			'interop_drizzle_pg', 'interop_quoted_postgres_js'),
		'nhh hnh', 'the interop suite ran on distributed tables: a reference table and two distributed ones');
}

# The layout of the README, in database postgres.
$coordinator->safe_psql('postgres', q{
	SET client_min_messages = warning;
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	ALTER TABLE auth_user ADD COLUMN name text;
	ALTER TABLE user_session ADD COLUMN device text;
	SET citus.shard_count = 4;
	SELECT create_reference_table('auth_user');
	SELECT create_distributed_table('user_session', 'id');
	SELECT create_distributed_table('user_key', 'id', colocate_with => 'user_session');
});
is( $coordinator->safe_psql('postgres', q{
		SELECT string_agg(logicalrelid::text || ' ' || partmethod::text, ', ' ORDER BY logicalrelid::text)
		  FROM pg_dist_partition}),
	'auth_user n, user_key h, user_session h',
	'auth_user is a reference table, user_key and user_session are distributed by hash');
is($coordinator->safe_psql('postgres', q{SELECT count(DISTINCT nodeport) FROM pg_dist_shard_placement
		WHERE shardid IN (SELECT shardid FROM pg_dist_shard WHERE logicalrelid = 'user_session'::regclass)}),
	'2', 'the session shards are on both workers');

# Sessions stored plain, then as digests once the setting says so; keys without a password (use_key
# needs no hash for them).
$coordinator->safe_psql('postgres', q{
	SELECT lucia_auth.create_user('ada', attributes => '{"name": "Ada"}');
	SELECT lucia_auth.create_session('ada', '{"device": "plain"}', 'plain-' || g) FROM generate_series(1, 12) AS g;
	SELECT lucia_auth.create_key('ada', 'github', g::text, NULL) FROM generate_series(1, 8) AS g;
	ALTER DATABASE postgres SET lucia_auth.session_id_storage = 'sha256';
});
$coordinator->safe_psql('postgres',
	q{SELECT lucia_auth.create_session('ada', '{"device": "hashed"}', 'hashed-' || g) FROM generate_series(1, 12) AS g});
my @tokens = ((map { "plain-$_" } 1 .. 12), (map { "hashed-$_" } 1 .. 12));

is($coordinator->safe_psql('postgres', q{SELECT count(*) FROM user_session WHERE id ^@ 'sha256$'}),
	'12', 'sessions created with session_id_storage = sha256 are stored as digests');
is($coordinator->safe_psql('postgres', q{
		SELECT count(*) FROM generate_series(1, 12) AS g,
		  lucia_auth.validate_session('plain-' || g) AS s WHERE s.session_attributes ->> 'device' = 'plain'}),
	'12', 'sessions stored plain validate after the switch to sha256');
is(join(' ', map { $coordinator->safe_psql('postgres', "SELECT lucia_auth.hash_session_ids($_)") } 5, 1000, 1000),
	'5 7 0', 'hash_session_ids converts the plain sessions in batches, then finds none left');
is($coordinator->safe_psql('postgres', q{
		SELECT count(*) || ' ' || count(*) FILTER (WHERE id ^@ 'sha256$') || ' '
		  || count(*) FILTER (WHERE device = 'plain') FROM user_session}),
	'24 24 12', 'every session is stored as a digest, with its attributes');

# Where each session and key lives.
my %session_worker;
for my $token (@tokens)
{
	$session_worker{$token} = $coordinator->safe_psql('postgres', qq{
		SELECT nodeport FROM pg_dist_shard_placement WHERE shardid = get_shard_id_for_distribution_column(
		  'user_session', 'sha256\$' || encode(sha256(convert_to('$token', 'UTF8')), 'hex'))});
}
my %key_worker;
for my $n (1 .. 8)
{
	$key_worker{$n} = $coordinator->safe_psql('postgres', qq{
		SELECT nodeport FROM pg_dist_shard_placement
		 WHERE shardid = get_shard_id_for_distribution_column('user_key', 'github:$n')});
}
my @on_stopped = grep { $session_worker{$_} == $worker2->port } @tokens;
my @on_running = grep { $session_worker{$_} == $worker1->port } @tokens;
ok(@on_stopped && @on_running, 'the sessions are spread over both workers');

is($coordinator->safe_psql('postgres', q{
		SELECT count(*) FROM unnest(ARRAY[} . join(',', map { "'$_'" } @tokens) . q{]) AS t,
		  lucia_auth.validate_session(t) AS s WHERE s.session_id = t AND s.user_attributes ->> 'name' = 'Ada'}),
	scalar @tokens, 'every session validates, with its token and its user');

# An idle session on the worker that keeps running, renewed while the other is down.
my ($idle) = @on_running;
$coordinator->safe_psql('postgres', qq{
	UPDATE user_session SET active_expires = 0
	 WHERE id = 'sha256\$' || encode(sha256(convert_to('$idle', 'UTF8')), 'hex')});

$worker2->stop('immediate');

my $failures = 0;
for my $token (@on_running)
{
	my ($rc, $out, $err) = $coordinator->psql('postgres',
		"SELECT state || ' ' || fresh || ' ' || (session_attributes ->> 'device') FROM lucia_auth.validate_session('$token')");
	$failures++ unless $rc == 0 && $out =~ /^(active false|idle true) (plain|hashed)$/;
}
is($failures, 0, 'worker down: the sessions of the running worker validate (' . scalar(@on_running) . ')');
like($coordinator->safe_psql('postgres', "SELECT state || ' ' || fresh FROM lucia_auth.get_session('$idle')"),
	qr/^active false$/, 'worker down: the idle session of the running worker was renewed');
my ($rc, $out, $err);
my %outcomes;
for my $token (@on_stopped)
{
	($rc, $out, $err) = $coordinator->psql('postgres',
		"SELECT lucia_auth.validate_session('$token')",
		extra_params => [ '-v', 'VERBOSITY=sqlstate' ]);
	$outcomes{ $rc == 0 ? 'valid' : $err =~ /AUTH_INVALID_SESSION_ID|28000/ ? 'invalid' : $err =~ /08006/ ? 'unreachable' : "other: $err" }++;
}
is_deeply(\%outcomes, { unreachable => scalar @on_stopped },
	'worker down: its sessions fail with a connection error (08006), none with AUTH_INVALID_SESSION_ID');
($rc, $out, $err) = $coordinator->psql('postgres', "SELECT lucia_auth.get_session('$on_stopped[0]')");
like($err, qr/connection to the remote node .* failed/, 'worker down: the error names the unreachable node');
unlike($err, qr/\Q$on_stopped[0]\E|sha256\$/, 'worker down: the error shows neither the token nor its digest');

my @keys_running = grep { $key_worker{$_} == $worker1->port } 1 .. 8;
my @keys_stopped = grep { $key_worker{$_} == $worker2->port } 1 .. 8;
SKIP:
{
	skip 'no key landed on each worker', 2 unless @keys_running && @keys_stopped;
	is($coordinator->safe_psql('postgres', "SELECT user_id FROM lucia_auth.use_key('github', '$keys_running[0]', NULL)"),
		'ada', 'worker down: use_key works for a key of the running worker');
	($rc, $out, $err) = $coordinator->psql('postgres', "SELECT lucia_auth.use_key('github', '$keys_stopped[0]', NULL)",
		extra_params => [ '-v', 'VERBOSITY=sqlstate' ]);
	like($err, qr/08006/, 'worker down: use_key for a key of the stopped worker fails with a connection error');
}

# PostgREST's pre-request leaves a request anonymous when its session is invalid; an unreachable shard
# is not that: the request fails.
is( $coordinator->safe_psql('postgres', qq{
		BEGIN;
		SELECT set_config('request.cookies', '{"auth_session":"$on_running[2]"}', true) IS NOT NULL;
		SELECT lucia_auth.postgrest_pre_request();
		SELECT lucia_auth.current_user_id();
		COMMIT;}),
	"t\n\nada", 'worker down: the pre-request signs in a session of the running worker');
($rc, $out, $err) = $coordinator->psql('postgres', qq{
	BEGIN;
	SELECT set_config('request.cookies', '{"auth_session":"$on_stopped[2]"}', true) IS NOT NULL;
	SELECT lucia_auth.postgrest_pre_request();
	SELECT 'anonymous: ' || coalesce(lucia_auth.current_user_id(), 'none');
	COMMIT;}, extra_params => [ '-v', 'VERBOSITY=sqlstate' ]);
ok($err =~ /08006/ && $out !~ /anonymous/,
	'worker down: the pre-request for a session of the stopped worker fails, and does not go on anonymous');

$worker2->start;
is($coordinator->safe_psql('postgres', q{
		SELECT count(*) FROM unnest(ARRAY[} . join(',', map { "'$_'" } @tokens) . q{]) AS t,
		  lucia_auth.validate_session(t) AS s WHERE s.session_id = t AND s.state = 'active'}),
	scalar @tokens, 'worker back: every session validates, active, the renewed one included');
is($coordinator->safe_psql('postgres', q{SELECT count(*) FROM lucia_auth.get_all_user_sessions('ada')}),
	scalar @tokens, 'worker back: get_all_user_sessions lists every session of every shard');

# Citus keeps the metadata on every node: the functions can be called on a worker too, and find the
# rows of the other worker's shards.
is($worker1->safe_psql('postgres', q{
		SELECT count(*) FROM unnest(ARRAY[} . join(',', map { "'$_'" } @tokens) . q{]) AS t,
		  lucia_auth.validate_session(t) AS s WHERE s.session_id = t}),
	scalar @tokens, 'called on a worker, validate_session finds the sessions of both workers');

# invalidate_session with a token, and with the stored id get_all_user_sessions lists.
$coordinator->safe_psql('postgres', qq{
	SELECT lucia_auth.invalidate_session('$on_running[1]');
	SELECT lucia_auth.invalidate_session(session_id) FROM lucia_auth.get_all_user_sessions('ada')
	 WHERE session_id = 'sha256\$' || encode(sha256(convert_to('$on_stopped[1]', 'UTF8')), 'hex');});
for my $token ($on_running[1], $on_stopped[1])
{
	($rc, $out, $err) = $coordinator->psql('postgres', "SELECT lucia_auth.validate_session('$token')");
	like($err, qr/AUTH_INVALID_SESSION_ID/, "invalidate_session: $token no longer validates");
}
is($coordinator->safe_psql('postgres', q{SELECT count(*) FROM user_session}), scalar(@tokens) - 2,
	'invalidate_session deleted those two sessions only');

# The identity functions: authenticate makes the session's user the identity of the transaction, read
# back by current_user_id.
is($coordinator->safe_psql('postgres', "BEGIN; SELECT user_id FROM lucia_auth.authenticate('$on_stopped[0]'); COMMIT;"),
	'ada', 'authenticate reads the session from the distributed tables');
is( $coordinator->safe_psql('postgres', qq{
		BEGIN;
		DO \$\$ BEGIN PERFORM lucia_auth.authenticate('$on_running[0]'); END \$\$;
		SELECT lucia_auth.current_user_id();
		COMMIT;}),
	'ada', 'current_user_id is the user of the session authenticated on the distributed tables');

$coordinator->safe_psql('postgres', q{SELECT lucia_auth.delete_user('ada')});
is($coordinator->safe_psql('postgres', q{
		SELECT (SELECT count(*) FROM auth_user) || ' ' || (SELECT count(*) FROM user_key) || ' '
		  || (SELECT count(*) FROM user_session)}),
	'0 0 0', 'delete_user deletes the user, its keys and its sessions from every node');
is($worker1->safe_psql('postgres', q{SELECT count(*) FROM auth_user}), '0',
	'delete_user: the user is gone from the workers\' copy of the reference table too');

$_->stop for @nodes;
done_testing();
