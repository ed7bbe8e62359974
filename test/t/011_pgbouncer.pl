# PgBouncer in transaction pooling: the identity of lucia_auth.authenticate() lives in the transaction,
# so clients that share a few server connections never see one another's. The test starts PgBouncer
# (Debian's pgbouncer) on a loopback port in front of a throwaway server, pool_mode = transaction with
# 2 server connections, and runs 16 pgbench clients through it. Each client, in every transaction,
# checks that no identity is there before it authenticates (none left by the previous transaction on
# that server connection, committed or rolled back), authenticates its own session, checks that the
# identity is its user's and that a policy on the signed-in user shows it its own notes only, and
# records which server connection ran the transaction; after COMMIT, the next statement (perhaps on
# another server connection) has no identity. A failed check divides by zero, which ends the client and
# fails pgbench.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}
my ($pgbouncer) = grep { -x $_ } ('/usr/sbin/pgbouncer', '/usr/bin/pgbouncer');
if (!$pgbouncer)
{
	plan skip_all => 'pgbouncer is not installed (scripts/install-deps.sh tap installs it)';
}

my $clients = 16;
my $transactions = 25;
my $pool_size = 2;

my $node = PostgreSQL::Test::Cluster->new('pgbouncer');
$node->init;
$node->start;
$node->safe_psql('postgres', qq{
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	SELECT lucia_auth.create_user('user-' || g) FROM generate_series(1, $clients) g;
	SELECT lucia_auth.create_session('user-' || g, '{}', 'token-' || g) FROM generate_series(1, $clients) g;
	CREATE TABLE notes (id int PRIMARY KEY, owner text NOT NULL);
	CREATE INDEX ON notes (owner);
	INSERT INTO notes SELECT g, 'user-' || (g % $clients + 1) FROM generate_series(1, 3 * $clients) g;
	ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
	CREATE POLICY own_notes ON notes USING (owner = lucia_auth.current_user_id());
	CREATE TABLE seen (client int, server_pid int, identity text);
	CREATE ROLE app LOGIN;
	GRANT USAGE ON SCHEMA lucia_auth TO app;
	GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO app;
	GRANT SELECT ON notes TO app;
	GRANT INSERT ON seen TO app;
});

# PgBouncer, on a free loopback port, in front of the server's socket.
my $dir = PostgreSQL::Test::Utils::tempdir;
my $port = PostgreSQL::Test::Cluster::get_free_port();
my $host = $node->host;
my $server_port = $node->port;
PostgreSQL::Test::Utils::append_to_file("$dir/userlist.txt", qq{"app" ""\n"postgres" ""\n});
PostgreSQL::Test::Utils::append_to_file("$dir/pgbouncer.ini", qq{
[databases]
postgres = host=$host port=$server_port dbname=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = $pool_size
max_client_conn = 100
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
});
my ($bouncer_out, $bouncer_err) = ('', '');
my $bouncer = IPC::Run::start([ $pgbouncer, "$dir/pgbouncer.ini" ], '>', \$bouncer_out, '2>', \$bouncer_err);
my $ready = 0;
foreach (1 .. 100)
{
	my $rc = system('psql', '-XAtq', '-h', '127.0.0.1', '-p', $port, '-U', 'app', '-d', 'postgres',
		'-c', 'SELECT 1');
	if ($rc == 0) { $ready = 1; last; }
	select(undef, undef, undef, 0.1);
}
ok($ready, 'PgBouncer accepts connections') or diag($bouncer_err);

# Each client: client_id 0..15 is user-1..user-16.
PostgreSQL::Test::Utils::append_to_file("$dir/client.sql", q{
\set me :client_id + 1
BEGIN;
SELECT 1 / (lucia_auth.current_user_id() IS NULL)::int AS no_identity_before;
SELECT user_id FROM lucia_auth.authenticate('token-' || :me);
SELECT pg_sleep(0.002);
SELECT 1 / (lucia_auth.current_user_id() = 'user-' || :me)::int AS own_identity;
SELECT 1 / (count(*) = 3 AND bool_and(owner = 'user-' || :me))::int AS own_notes FROM notes;
INSERT INTO seen VALUES (:me, pg_backend_pid(), lucia_auth.current_user_id());
COMMIT;
SELECT 1 / (lucia_auth.current_user_id() IS NULL)::int AS no_identity_after_commit;
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('token-' || :me);
ROLLBACK;
SELECT user_id, lucia_auth.current_user_id() FROM lucia_auth.authenticate('token-' || :me);
});
my ($pgbench_out, $pgbench_err) = ('', '');
my $pgbench_ok = IPC::Run::run(
	[ 'pgbench', '-n', '-h', '127.0.0.1', '-p', $port, '-U', 'app', '-M', 'simple',
		'-c', $clients, '-j', 2, '-t', $transactions, '-f', "$dir/client.sql", 'postgres' ],
	'>', \$pgbench_out, '2>', \$pgbench_err);
ok($pgbench_ok, 'pgbench: every check of every client passed') or diag($pgbench_err);
like($pgbench_out, qr/number of transactions actually processed: @{[$clients * $transactions]}\//,
	'pgbench: every transaction ran');

# The clients shared the server connections, and each saw only its own identity.
is( $node->safe_psql('postgres', 'SELECT count(DISTINCT client), count(*) FROM seen'),
	"$clients|@{[$clients * $transactions]}", 'every client recorded every transaction');
is($node->safe_psql('postgres', q{SELECT count(*) FROM seen WHERE identity IS DISTINCT FROM 'user-' || client}),
	'0', 'no transaction saw another client\'s identity');
my $servers = $node->safe_psql('postgres', 'SELECT count(DISTINCT server_pid) FROM seen');
ok($servers >= 1 && $servers <= $pool_size, "the transactions ran on $servers server connections");
is( $node->safe_psql('postgres', q{
		SELECT count(*) FROM (SELECT server_pid FROM seen GROUP BY server_pid HAVING count(DISTINCT client) > 1) s}),
	$servers, 'each server connection served many clients in turn');

$bouncer->kill_kill;
$node->stop;
done_testing();
