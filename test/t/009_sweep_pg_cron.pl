# The sweep of dead sessions scheduled with pg_cron, as the README recommends: a cluster with pg_cron
# preloaded runs lucia_auth.delete_expired_sessions every minute; dead sessions of every user go, live
# and idle ones stay, and the job's runs succeed.
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
if (!-f "$pkglibdir/pg_cron.so")
{
	plan skip_all => 'pg_cron is not installed (Debian package postgresql-15-cron)';
}

my $node = PostgreSQL::Test::Cluster->new('cron');
$node->init;
# pg_cron runs each job in a background worker (no connection over the network needed).
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 16
});
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION lucia_auth;
	CREATE EXTENSION pg_cron;
	SELECT lucia_auth.create_tables();
	INSERT INTO auth_user SELECT 'user-' || g FROM generate_series(1, 20) AS g;
	-- 300 dead sessions spread over the users, 50 live, 10 idle (renewable, so not dead).
	INSERT INTO user_session (id, user_id, active_expires, idle_expires, created_at)
	  SELECT 'dead-' || g, 'user-' || (g % 20 + 1), 0, 1000, 0 FROM generate_series(1, 300) AS g;
	INSERT INTO user_session (id, user_id, active_expires, idle_expires, created_at)
	  SELECT 'live-' || g, 'user-' || (g % 20 + 1), 9e15, 9e15, 0 FROM generate_series(1, 50) AS g;
	INSERT INTO user_session (id, user_id, active_expires, idle_expires, created_at)
	  SELECT 'idle-' || g, 'user-' || (g % 20 + 1), 0, 9e15, 0 FROM generate_series(1, 10) AS g;
});

# The schedule of the README: every minute, a batch of up to 10000 sessions.
$node->safe_psql('postgres', q{
	SELECT cron.schedule('lucia-auth-sweep', '* * * * *', 'SELECT lucia_auth.delete_expired_sessions(10000)')});

# pg_cron starts jobs at the top of each minute.
my $dead_left;
my $deadline = time() + 150;
while (time() < $deadline)
{
	$dead_left = $node->safe_psql('postgres', q{SELECT count(*) FROM user_session WHERE id LIKE 'dead-%'});
	last if $dead_left == 0;
	sleep 2;
}
is($dead_left, '0', 'the scheduled sweep deleted every dead session');
is($node->safe_psql('postgres', q{SELECT count(*) FROM user_session WHERE id LIKE 'live-%' OR id LIKE 'idle-%'}),
	'60', 'live and idle sessions stay');
is( $node->safe_psql('postgres', q{
		SELECT status || ' ' || return_message FROM cron.job_run_details ORDER BY runid LIMIT 1}),
	'succeeded SELECT 1', 'the job ran and succeeded');

$node->stop;
done_testing();
