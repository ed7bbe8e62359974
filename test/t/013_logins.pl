# Logins with lucia_auth in shared_preload_libraries: throttling and the cap on concurrent hashing.
#
# Throttling (lucia_auth.throttle_key_attempts, throttle_client_attempts, throttle_window): failed
# attempts count although the failing call rolls back; a key that does not exist gives the same errors
# and the same counts as one that does; a success clears the key's count but not the client's; the
# window ends; a throttled attempt takes no hash slot (so it hashes nothing); a password change, a restart
# and a crash clear the counts.
#
# The cap (lucia_auth.max_concurrent_hashes = 1 here): a call that finds the slot taken waits, and its
# wait ends cleanly at a cancel, at statement_timeout and at lucia_auth.hash_queue_timeout (53000); an
# error after the slot was taken gives it back, also inside an exception block; a backend terminated, or
# killed with SIGKILL, while it hashes leaves no slot taken (after SIGKILL the postmaster reinitialises
# shared memory). With a cap of 2, two calls hash at once and a third waits.
#
# A slot is held for as long as needed, without using a core, by a use_key that waits for a lock on the
# key table: use_key takes its slot before it reads the key.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $node = PostgreSQL::Test::Cluster->new('logins');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'lucia_auth'
lucia_auth.max_concurrent_hashes = 1
restart_after_crash = on
});
$node->start;

# Cheap Argon2id hashes for every password of the test (the dummy of a missing key follows them).
$node->safe_psql('postgres', q{
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	ALTER DATABASE postgres SET lucia_auth.password_hash = argon2id;
	ALTER DATABASE postgres SET lucia_auth.argon2id_memory = '64kB';
	ALTER DATABASE postgres SET lucia_auth.argon2id_iterations = 1;
	ALTER DATABASE postgres SET lucia_auth.throttle_window = '1h';
	-- One attempt, as its outcome: 'ok', or the SQLSTATE and message of its error.
	CREATE FUNCTION attempt(username text, password text, client text DEFAULT NULL) RETURNS text
	  LANGUAGE plpgsql AS $$
	BEGIN
	  PERFORM lucia_auth.use_key('email', username, password, client);
	  RETURN 'ok';
	EXCEPTION WHEN OTHERS THEN
	  RETURN SQLSTATE || ' ' || SQLERRM;
	END $$;
});
$node->safe_psql('postgres', q{
	SELECT count(*) FROM generate_series(1, 12) AS i,
	  lucia_auth.create_user('user' || i, 'email', 'user' || i || '@example.com', 'right ' || i);
});
is($node->safe_psql('postgres', 'SHOW lucia_auth.max_concurrent_hashes'), '1', 'the cap is set from postgresql.conf');

my $key3 = 'SET lucia_auth.throttle_key_attempts = 3;';

# Runs the attempts (username, password[, client]) in one session after the settings, and returns their
# outcomes, one per line.
sub attempts
{
	my ($settings, @attempts) = @_;
	my $sql = $settings;
	for my $a (@attempts)
	{
		my ($user, $password, $client) = @$a;
		$client = defined $client ? "'$client'" : 'NULL';
		$sql .= " SELECT attempt('$user', '$password', $client);";
	}
	return $node->safe_psql('postgres', $sql);
}

my $invalid_password = '28P01 AUTH_INVALID_PASSWORD';
my $invalid_key = '28000 AUTH_INVALID_KEY_ID';
my $throttled = '28000 AUTH_TOO_MANY_ATTEMPTS';

# ---- Throttling per key -------------------------------------------------------------------------

# An existing key and a missing one: three failures each, then both are throttled at the same attempt,
# with the same error; the right password does not get through.
is( attempts($key3, map { ['user1@example.com', 'wrong'] } 1 .. 5),
	join("\n", ($invalid_password) x 3, ($throttled) x 2),
	'existing key: throttled after 3 failures');
is( attempts($key3, map { ['nobody@example.com', 'wrong'] } 1 .. 5),
	join("\n", ($invalid_key) x 3, ($throttled) x 2),
	'missing key: throttled after the same 3 failures');
is(attempts($key3, ['user1@example.com', 'right 1']), $throttled, 'a throttled key refuses the right password too');

# The errors as a client sees them, every field: identical for the two.
sub verbose_error
{
	my ($user, $password) = @_;
	my ($rc, $out, $err) = $node->psql('postgres',
		"\\set VERBOSITY verbose\n$key3 SELECT lucia_auth.use_key('email', '$user', '$password');");
	return $err;
}
my $existing_error = verbose_error('user1@example.com', 'wrong');
my $missing_error = verbose_error('nobody@example.com', 'wrong');
like($existing_error, qr/ERROR:  28000: AUTH_TOO_MANY_ATTEMPTS/, 'the throttled error, verbose');
is($missing_error, $existing_error, 'missing and existing keys: the same throttled error, field for field');

# Failures count although their transaction rolls back: each in its own transaction, rolled back.
for my $i (1 .. 3)
{
	my ($rc, $out, $err) = $node->psql('postgres',
		"$key3 BEGIN; SELECT lucia_auth.use_key('email', 'user2\@example.com', 'wrong'); COMMIT;");
	like($err, qr/AUTH_INVALID_PASSWORD/, "rolled-back failure $i");
}
is(attempts($key3, ['user2@example.com', 'right 2']), $throttled, 'failures that rolled back were counted');

# A success clears the key's count: fail, fail, succeed, fail, fail: the fifth is not throttled (it
# would be if the first two still counted).
is( attempts($key3,
		['user3@example.com', 'wrong'], ['user3@example.com', 'wrong'], ['user3@example.com', 'right 3'],
		['user3@example.com', 'wrong'], ['user3@example.com', 'wrong'], ['user3@example.com', 'wrong'],
		['user3@example.com', 'wrong']),
	join("\n", $invalid_password, $invalid_password, 'ok', ($invalid_password) x 3, $throttled),
	'a success clears the key\'s count');

# Empty and NULL passwords guess nothing and are not counted (the attempt is still refused).
is( attempts($key3, map { ['user4@example.com', ''] } 1 .. 4),
	join("\n", ($invalid_password) x 4),
	'attempts without a password are not counted');

# The window ends: counted from the first failure, then everything starts again.
my $short = "$key3 SET lucia_auth.throttle_window = '2s';";
is( attempts($short, map { ['user5@example.com', 'wrong'] } 1 .. 4),
	join("\n", ($invalid_password) x 3, $throttled),
	'short window: throttled');
sleep 3;
is(attempts($short, ['user5@example.com', 'right 5']), 'ok', 'the window ended: the right password gets in');

# A password change clears the key's count (a reset lets the owner in).
is(attempts($key3, map { ['user6@example.com', 'wrong'] } 1 .. 4), join("\n", ($invalid_password) x 3, $throttled),
	'throttled before the password change');
$node->safe_psql('postgres', q{SELECT lucia_auth.update_key_password('email', 'user6@example.com', 'new 6')});
is(attempts($key3, ['user6@example.com', 'new 6']), 'ok', 'after update_key_password the new password gets in');

# Counts are per database: the same key id in another database is not throttled.
$node->safe_psql('postgres', 'CREATE DATABASE other');
$node->safe_psql('other', q{
	CREATE EXTENSION lucia_auth; SELECT lucia_auth.create_tables();
	SET lucia_auth.password_hash = argon2id; SET lucia_auth.argon2id_memory = '64kB';
	SET lucia_auth.argon2id_iterations = 1;
	SELECT lucia_auth.create_user('user1', 'email', 'user1@example.com', 'right 1');
});
is( $node->safe_psql('other',
		"$key3 SELECT user_id FROM lucia_auth.use_key('email', 'user1\@example.com', 'right 1')"),
	'user1', 'another database counts apart');

# ---- Throttling per client ----------------------------------------------------------------------

my $client5 = 'SET lucia_auth.throttle_client_attempts = 5;';
# Five failures of one client on five different keys, existing or not; then that client is throttled on
# any key, another client is not; the client's successes do not clear its count.
is( attempts($client5,
		['user7@example.com', 'wrong', '198.51.100.7'], ['nobody7@example.com', 'wrong', '198.51.100.7'],
		['user8@example.com', 'right 8', '198.51.100.7'],
		['user9@example.com', 'wrong', '198.51.100.7'], ['nobody9@example.com', 'wrong', '198.51.100.7'],
		['user10@example.com', 'wrong', '198.51.100.7'], ['user11@example.com', 'right 11', '198.51.100.7'],
		['user11@example.com', 'right 11', '198.51.100.8'], ['user11@example.com', 'right 11']),
	join("\n", $invalid_password, $invalid_key, 'ok', $invalid_password, $invalid_key, $invalid_password,
		$throttled, 'ok', 'ok'),
	'a client is throttled across keys after 5 failures; other clients and calls without one are not');

# ---- A throttled attempt takes no slot: it hashes nothing ---------------------------------------

# Hold the one slot: a use_key waiting for a lock on the key table.
sub hold_slot
{
	my $locker = $node->background_psql('postgres');
	$locker->query_safe('BEGIN; LOCK TABLE user_key IN ACCESS EXCLUSIVE MODE;');
	my $holder = $node->background_psql('postgres', on_error_stop => 0);
	$holder->query_until(qr/holding/, qq{\\echo holding\nSELECT attempt('user12\@example.com', 'right 12');\n});
	$node->poll_query_until('postgres', q{
		SELECT count(*) = 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%attempt(%'})
	  or die 'the holder did not reach the lock';
	return ($locker, $holder);
}

sub release_slot
{
	my ($locker, $holder) = @_;
	$locker->query_safe('COMMIT;');
	$locker->quit;
	$holder->quit;
}

my ($locker, $holder) = hold_slot();
my $quick = q{SET lucia_auth.hash_queue_timeout = '300ms';};
is(attempts("$key3 $quick", ['user1@example.com', 'wrong']),
	$throttled, 'while the slot is taken, a throttled attempt fails at once with AUTH_TOO_MANY_ATTEMPTS');
like(attempts("$key3 $quick", ['user9@example.com', 'wrong']),
	qr/^53000 lucia_auth: no password hash slot became free within 300 ms$/,
	'while the slot is taken, an attempt that is not throttled waits for it (here: until its timeout)');

# ---- Waiting for the slot -----------------------------------------------------------------------

# A waiter, seen waiting (wait event Extension); returns its session and pid.
sub start_waiter
{
	my ($settings) = @_;
	my $waiter = $node->background_psql('postgres', on_error_stop => 0);
	my $pid = $waiter->query_safe('SELECT pg_backend_pid();');
	$waiter->{stderr} = '';
	$waiter->query_until(qr/waiting/, qq{$settings\n\\echo waiting\nSELECT lucia_auth.hash_password('x');\n});
	$node->poll_query_until('postgres', qq{
		SELECT wait_event_type = 'Extension' FROM pg_stat_activity WHERE pid = $pid})
	  or die 'the waiter is not waiting';
	return ($waiter, $pid);
}

sub wait_error
{
	my ($waiter) = @_;
	pump_until($waiter->{run}, $waiter->{timeout}, \$waiter->{stderr}, qr/ERROR:.*\n/);
	my $err = $waiter->{stderr};
	$waiter->{stderr} = '';
	return $err;
}

my ($waiter, $pid) = start_waiter('');
ok($node->safe_psql('postgres', "SELECT pg_cancel_backend($pid)"), 'cancel a waiter');
like(wait_error($waiter), qr/canceling statement due to user request/, 'the waiter is cancelled');
$waiter->{stderr} = '';
is($waiter->query('SELECT 1;'), '1', 'the cancelled session goes on');
$waiter->quit;

($waiter, $pid) = start_waiter(q{SET statement_timeout = '1s';});
like(wait_error($waiter), qr/canceling statement due to statement timeout/, 'statement_timeout ends a wait');
$waiter->quit;

my ($rc, $out, $err) = $node->psql('postgres', qq{$quick SELECT lucia_auth.hash_password('x');});
like($err, qr/ERROR:  lucia_auth: no password hash slot became free within 300 ms/, 'hash_queue_timeout ends a wait');
($rc, $out, $err) = $node->psql('postgres', qq{\\set VERBOSITY verbose\n$quick SELECT lucia_auth.hash_password('x');});
like($err, qr/ERROR:  53000: /, 'with SQLSTATE 53000 (insufficient_resources)');
like($err, qr/DETAIL:  lucia_auth.max_concurrent_hashes = 1 hashes run at once/, 'and a detail naming the settings');

# A timeout caught by an exception block; then, in the same transaction, the slot is still awaited
# normally (the block's abort gave back the place in the queue).
is( $node->safe_psql('postgres', qq{$quick
		DO \$\$ BEGIN PERFORM lucia_auth.hash_password('x'); EXCEPTION WHEN insufficient_resources THEN
		  NULL; END \$\$;
		SELECT attempt('user9\@example.com', 'wrong');}),
	'53000 lucia_auth: no password hash slot became free within 300 ms',
	'a timeout caught in an exception block leaves the session waiting normally');

# Released: everything waits no more.
release_slot($locker, $holder);
is(attempts($quick, ['user12@example.com', 'right 12']), 'ok', 'the slot is free again after the holder');

# ---- No slot outlives an error or its backend ---------------------------------------------------

# An error after the slot was taken (a password over 64 KiB is refused once the slot is held), caught in
# an exception block, in a transaction left open: another session still gets the slot.
my $open = $node->background_psql('postgres', on_error_stop => 0);
$open->query_safe(q{BEGIN;
	DO $$ BEGIN PERFORM lucia_auth.hash_password(repeat('x', 70000));
	EXCEPTION WHEN program_limit_exceeded THEN NULL; END $$;});
is(attempts($quick, ['user12@example.com', 'right 12']), 'ok', 'an error caught in an exception block gave the slot back');
$open->query_safe('COMMIT;');
$open->quit;

# A backend that holds the slot while hashing (Argon2id, 64 MiB, 64 passes: seconds), terminated: it
# finishes its hash (hashing cannot be interrupted), then exits and gives the slot back.
my $long = q{SET lucia_auth.password_hash = argon2id; SET lucia_auth.argon2id_memory = '64MB';
	SET lucia_auth.argon2id_iterations = 64;};
sub start_long_hash
{
	my $hasher = $node->background_psql('postgres', on_error_stop => 0);
	my $pid = $hasher->query_safe('SELECT pg_backend_pid();');
	$hasher->query_until(qr/hashing/, qq{$long\n\\echo hashing\nSELECT lucia_auth.hash_password('long');\n});
	$node->poll_query_until('postgres', qq{
		SELECT state = 'active' AND query LIKE '%hash_password%' FROM pg_stat_activity WHERE pid = $pid})
	  or die 'the long hash did not start';
	return ($hasher, $pid);
}
my ($hasher, $hasher_pid) = start_long_hash();
like(attempts($quick, ['user12@example.com', 'right 12']), qr/^53000 /, 'the long hash holds the slot');
$node->safe_psql('postgres', "SELECT pg_terminate_backend($hasher_pid)");
$node->poll_query_until('postgres', "SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = $hasher_pid")
  or die 'the terminated backend did not exit';
eval { $hasher->quit; };
is(attempts($quick, ['user12@example.com', 'right 12']), 'ok', 'a terminated backend left no slot taken');

# Killed with SIGKILL while hashing: the postmaster ends every backend and reinitialises shared memory.
# Throttle counts go with it.
is(attempts($key3, ['user1@example.com', 'wrong']), $throttled, 'before the crash: user1 is throttled');
($hasher, $hasher_pid) = start_long_hash();
my $log_offset = -s $node->logfile;
kill 'KILL', $hasher_pid;
eval { $hasher->quit; };
$node->wait_for_log(qr/all server processes terminated; reinitializing/, $log_offset);
$node->poll_query_until('postgres', 'SELECT true') or die 'the server did not come back';
is(attempts($quick, ['user12@example.com', 'right 12']), 'ok', 'after SIGKILL mid-hash: no slot taken');
is(attempts($key3, ['user1@example.com', 'right 1']), 'ok', 'after the crash: the counts are gone');

# A restart clears the counts too.
is(attempts($key3, map { ['user1@example.com', 'wrong'] } 1 .. 4), join("\n", ($invalid_password) x 3, $throttled),
	'throttled again');
$node->restart;
is(attempts($key3, ['user1@example.com', 'right 1']), 'ok', 'after a restart: the counts are gone');

# ---- A cap of 2 -----------------------------------------------------------------------------------

$node->append_conf('postgresql.conf', 'lucia_auth.max_concurrent_hashes = 2');
$node->reload;
$node->poll_query_until('postgres', q{SELECT current_setting('lucia_auth.max_concurrent_hashes') = '2'})
  or die 'the new cap was not read';
my $lock2 = $node->background_psql('postgres');
$lock2->query_safe('BEGIN; LOCK TABLE user_key IN ACCESS EXCLUSIVE MODE;');
my @holders;
for my $i (1 .. 2)
{
	my $h = $node->background_psql('postgres', on_error_stop => 0);
	$h->query_until(qr/holding/, qq{\\echo holding\nSELECT attempt('user12\@example.com', 'right 12');\n});
	push @holders, $h;
}
ok( $node->poll_query_until('postgres', q{
		SELECT count(*) = 2 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%attempt(%'}),
	'cap 2: two calls hold a slot at once');
($waiter, $pid) = start_waiter('');
pass('cap 2: a third call waits for a slot');
$lock2->query_safe('COMMIT;');
$lock2->quit;
$_->quit for @holders;
pump_until($waiter->{run}, $waiter->{timeout}, \$waiter->{stdout}, qr/^s2:|argon2id/m);
like($waiter->{stdout}, qr/\$argon2id\$/, 'the third call hashes once a slot is free');
$waiter->quit;

$node->stop;
done_testing();
