# Crash safety: users, keys and sessions that were committed survive an immediate shutdown (no
# checkpoint, WAL replay at the next start) taken while password hashes are being computed and a
# sign-up is in flight; the sign-up that had not committed leaves nothing behind.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $users = 30;
my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->start;

# Cheap Argon2id hashes for the committed users; the interrupted work below uses Lucia's scrypt.
my $cheap = "SET lucia_auth.password_hash = argon2id; SET lucia_auth.argon2id_memory = '64kB';"
  . " SET lucia_auth.argon2id_iterations = 1;";
$node->safe_psql('postgres', q{
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	ALTER TABLE auth_user ADD COLUMN username text;
});
$node->safe_psql('postgres', $cheap . qq{
	SELECT lucia_auth.create_user(NULL, 'email', 'user' || i || '\@example.com', 'password ' || i,
	                              jsonb_build_object('username', 'user ' || i))
	  FROM generate_series(1, $users) AS i;
	-- Two sessions per user: one active, one that is renewed from idle before the crash.
	SELECT lucia_auth.create_session(u.id, '{}', 'active-' || u.username) FROM auth_user AS u;
	SELECT lucia_auth.create_session(u.id, '{}', 'renewed-' || u.username) FROM auth_user AS u;
	UPDATE user_session SET active_expires = (extract(epoch FROM now()) * 1000)::bigint - 60000
	  WHERE id LIKE 'renewed-%';
});
my $renewed = $node->safe_psql('postgres', q{
	SELECT count(*) FROM user_session AS s, lucia_auth.validate_session(s.id) AS v
	  WHERE s.id LIKE 'renewed-%' AND v.fresh});
is($renewed, $users, 'idle sessions renewed before the crash');
my $expiries_sql =
  q{SELECT id || ' ' || active_expires || ' ' || idle_expires FROM user_session ORDER BY id};
my $expiries_before = $node->safe_psql('postgres', $expiries_sql);

# In flight at the crash: a long run of scrypt hashes, and a sign-up whose transaction is open.
my $hashing = $node->background_psql('postgres', on_error_stop => 0);
$hashing->query_until(qr/started/, q{
	\echo started
	SELECT length(lucia_auth.hash_password('password ' || i)) FROM generate_series(1, 500) AS i;
});
my $signup = $node->background_psql('postgres', on_error_stop => 0);
$signup->query_safe($cheap . q{
	BEGIN;
	SELECT lucia_auth.create_user('uncommitted', 'email', 'uncommitted@example.com', 'password');
	SELECT lucia_auth.create_session('uncommitted', '{}', 'uncommitted-session');
});
ok( $node->poll_query_until('postgres', q{
		SELECT count(*) > 0 FROM pg_stat_activity
		  WHERE state = 'active' AND query LIKE '%hash_password%' AND pid <> pg_backend_pid()}),
	'a hash is being computed');

$node->stop('immediate');
# The sessions' connections are gone; their psql processes end with an error.
eval { $hashing->quit; };
eval { $signup->quit; };
$node->start;

is( $node->safe_psql('postgres', qq{
		SELECT count(*) FROM generate_series(1, $users) AS i,
		  lucia_auth.use_key('email', 'user' || i || '\@example.com', 'password ' || i) AS k}),
	$users,
	'every committed user logs in');
is( $node->safe_psql('postgres', q{
		SELECT count(*) FROM user_session AS s, lucia_auth.validate_session(s.id) AS v
		  WHERE v.state = 'active' AND NOT v.fresh AND v.user_attributes ? 'username'}),
	2 * $users,
	'every committed session validates, active, with its user');
is($node->safe_psql('postgres', $expiries_sql),
	$expiries_before,
	'committed renewals kept their expiries');
is( $node->safe_psql('postgres', q{
		SELECT (SELECT count(*) FROM auth_user WHERE id = 'uncommitted')
		     + (SELECT count(*) FROM user_key WHERE id = 'email:uncommitted@example.com')
		     + (SELECT count(*) FROM user_session WHERE id = 'uncommitted-session')}),
	'0',
	'the sign-up in flight left no row');
my ($rc, $out, $err) = $node->psql('postgres',
	q{SELECT lucia_auth.use_key('email', 'uncommitted@example.com', 'password')});
like($err, qr/AUTH_INVALID_KEY_ID/, 'the uncommitted key does not exist');

# The tables and their indexes are intact after recovery.
$node->safe_psql('postgres', 'CREATE EXTENSION amcheck');
is( $node->safe_psql('postgres', q{
		SELECT string_agg(s.relname, ' ' ORDER BY s.relname)
		  FROM (SELECT c.oid, c.relname FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
		          WHERE i.indrelid IN ('auth_user'::regclass, 'user_key'::regclass, 'user_session'::regclass)
		          OFFSET 0) AS s,
		       bt_index_check(s.oid, true)}),
	'auth_user_pkey user_key_pkey user_key_user_id_idx user_session_created_at_idx'
	  . ' user_session_idle_expires_idx user_session_pkey user_session_user_id_idle_expires_idx',
	'the indexes of the three tables pass amcheck');

# New writes work after recovery.
is( $node->safe_psql('postgres', $cheap . q{
		SELECT user_id FROM lucia_auth.create_user('after', 'email', 'after@example.com', 'password');
		SELECT session_id FROM lucia_auth.create_session('after', '{}', 'after-session');
		SELECT user_id FROM lucia_auth.validate_session('after-session')}),
	"after\nafter-session\nafter",
	'sign-up and validation work after recovery');

$node->stop;
done_testing();
