# Streaming replication: on a hot standby, which is read-only, validate_session and use_key work (with
# lucia_auth.rehash_on_login too, without rewriting the hash);
# an idle session validated on the standby comes back as read (state idle, fresh false) and is not
# renewed, since only the primary can write. Validated on the primary it is renewed (fresh true),
# and once the standby has replayed that renewal it sees the session active with the new expiries.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->start;
$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;

$primary->safe_psql('postgres', q{
	SET lucia_auth.password_hash = argon2id;
	SET lucia_auth.argon2id_memory = '64kB';
	SET lucia_auth.argon2id_iterations = 1;
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	ALTER TABLE user_session ADD COLUMN country text;
	SELECT lucia_auth.create_user('user-1', 'email', 'ada@example.com', 'password', '{}');
	SELECT lucia_auth.create_session('user-1', '{"country": "NO"}', 'active-session');
	SELECT lucia_auth.create_session('user-1', '{"country": "SE"}', 'idle-session');
	-- Idle: the active period ended a minute ago.
	UPDATE user_session SET active_expires = (extract(epoch FROM now()) * 1000)::bigint - 60000
	  WHERE id = 'idle-session';
});
$primary->wait_for_catchup($standby);

my $row_sql = q{SELECT active_expires || ' ' || idle_expires FROM user_session WHERE id = 'idle-session'};
my $idle_row = $standby->safe_psql('postgres', $row_sql);

is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');
is( $standby->safe_psql('postgres', q{
		SELECT state || ' ' || fresh || ' ' || (session_attributes ->> 'country')
		  FROM lucia_auth.validate_session('active-session')}),
	'active false NO',
	'standby: an active session validates');
is( $standby->safe_psql('postgres', q{
		SELECT state || ' ' || fresh || ' ' || active_expires || ' ' || idle_expires
		  FROM lucia_auth.validate_session('idle-session')}),
	"idle false $idle_row",
	'standby: an idle session is returned as read, not renewed');
is($standby->safe_psql('postgres', $row_sql), $idle_row, 'standby: the row is unchanged');
is( $standby->safe_psql('postgres', q{SELECT user_id FROM lucia_auth.use_key('email', 'ada@example.com', 'password')}),
	'user-1', 'standby: use_key logs in');
# lucia_auth.rehash_on_login: the stored hash (cheap Argon2id) is not in the default format (s2), but a
# standby cannot write it: the login succeeds and the hash stays as it is.
my $hash_sql = q{SELECT hashed_password FROM user_key WHERE id = 'email:ada@example.com'};
my $hash_before = $standby->safe_psql('postgres', $hash_sql);
is( $standby->safe_psql('postgres', q{
		SET lucia_auth.rehash_on_login = on;
		SELECT lucia_auth.password_needs_rehash(hashed_password) FROM user_key WHERE id = 'email:ada@example.com';
		SELECT user_id FROM lucia_auth.use_key('email', 'ada@example.com', 'password');}),
	"t\nuser-1", 'standby, rehash_on_login: use_key logs in');
is($standby->safe_psql('postgres', $hash_sql), $hash_before, 'standby, rehash_on_login: the hash is not rewritten');
my ($rc, $out, $err) = $standby->psql('postgres', q{SELECT lucia_auth.validate_session('no-such-session')});
like($err, qr/AUTH_INVALID_SESSION_ID/, 'standby: a missing session is AUTH_INVALID_SESSION_ID');
($rc, $out, $err) = $standby->psql('postgres', q{SELECT lucia_auth.create_session('user-1')});
like($err, qr/cannot execute [\w ]+ in a read-only transaction/, 'standby: writes are refused by PostgreSQL');

# A read-only transaction on the primary reads the same way.
is( $primary->safe_psql('postgres', q{
		BEGIN READ ONLY;
		SELECT state || ' ' || fresh FROM lucia_auth.validate_session('idle-session');
		COMMIT;}),
	'idle false',
	'primary, read-only transaction: not renewed');

# On the primary the idle session is renewed; the standby replays the renewal.
my $renewed = $primary->safe_psql('postgres', q{
	SELECT state || ' ' || fresh || ' ' || active_expires || ' ' || idle_expires
	  FROM lucia_auth.validate_session('idle-session')});
like($renewed, qr/^idle true \d+ \d+$/, 'primary: the idle session is renewed (fresh)');
my (undef, undef, $active, $idle) = split / /, $renewed;
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres', $row_sql), "$active $idle", 'standby: the renewal is replayed');
is( $standby->safe_psql('postgres', q{
		SELECT state || ' ' || fresh || ' ' || active_expires || ' ' || idle_expires
		  FROM lucia_auth.validate_session('idle-session')}),
	"active false $active $idle",
	'standby: the renewed session is active');

$standby->stop;
$primary->stop;
done_testing();
