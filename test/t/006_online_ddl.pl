# Online DDL under load. While clients validate sessions without pause, the session and user tables'
# indexes are rebuilt with REINDEX TABLE CONCURRENTLY and the session table is swapped for a copy
# by two renames in one transaction. What validate_session knows of the tables (their OIDs, their
# primary-key indexes) changes under it: every validation must still succeed, never with XX000
# ("could not open relation with OID …"), and none may read a table that is no longer the one named.
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

my $node = PostgreSQL::Test::Cluster->new('ddl');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	INSERT INTO auth_user SELECT 'user' || g FROM generate_series(1, 100) g;
	INSERT INTO user_session
	  SELECT 'session' || g, 'user' || (g % 100 + 1), 9e15, 9e15 FROM generate_series(1, 1000) g;
});

# The clients: 2 connections validating random sessions for as long as the DDL runs. Each validation
# comes a moment after its transaction began, when invalidations are read: a change committed in
# between reaches validate_session only through the locks it takes.
my $script = "${PostgreSQL::Test::Utils::tmp_check}/validate.sql";
open my $fh, '>', $script or die $!;
print $fh "\\set n random(1, 1000)\nBEGIN;\nSELECT pg_sleep(0.001);\n"
  . "SELECT state FROM lucia_auth.validate_session('session' || :n);\nEND;\n";
close $fh;
my ($out, $err) = ('', '');
my $bench = IPC::Run::start(
	[ 'pgbench', '-n', '-M', 'prepared', '-c', '2', '-j', '2', '-T', '8', '-f', $script,
	  '-h', $node->host, '-p', $node->port, 'postgres' ],
	'>', \$out, '2>', \$err);

my $rounds = 0;
my $deadline = time() + 6;
while (time() < $deadline)
{
	$node->safe_psql('postgres', 'REINDEX TABLE CONCURRENTLY user_session');
	$node->safe_psql('postgres', 'REINDEX TABLE CONCURRENTLY auth_user');
	# A copy of the session table takes the name in one transaction; the old one is dropped after.
	$node->safe_psql('postgres', q{
		CREATE TABLE user_session_new (LIKE user_session INCLUDING ALL);
		INSERT INTO user_session_new SELECT * FROM user_session;
		BEGIN;
		ALTER TABLE user_session RENAME TO user_session_old;
		ALTER TABLE user_session_new RENAME TO user_session;
		COMMIT;
		DROP TABLE user_session_old;
	});
	$rounds++;
}
$bench->finish;

ok($rounds >= 2, "the DDL ran $rounds rounds while clients validated");
is($?, 0, 'pgbench ended without error');
like($out, qr/number of failed transactions: 0 /, 'no validation failed');
my ($tx) = $out =~ /number of transactions actually processed: (\d+)/;
ok(defined $tx && $tx > 100, 'the clients validated throughout (' . ($tx // 0) . ' transactions)');
unlike($err, qr/could not open relation|XX000|AUTH_INVALID_SESSION_ID/, 'no error reached the clients');
my $log = slurp_file($node->logfile);
unlike($log, qr/could not open relation with OID/, 'the server logged no lost relation');
unlike($log, qr/ERROR/, 'the server logged no error at all');

# After the swaps, the functions read the table that has the name now.
$node->safe_psql('postgres', q{UPDATE user_session SET active_expires = 0 WHERE id = 'session1'});
is($node->safe_psql('postgres', q{SELECT state || ' ' || fresh FROM lucia_auth.validate_session('session1')}),
	'idle true', 'the renamed-in table is the one read and renewed');

$node->stop;
done_testing();
