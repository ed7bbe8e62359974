# Dump and restore: a database with the extension, the auth tables with attribute columns of their
# own, users, keys and sessions, and grants on the extension's functions is dumped with pg_dump and
# restored into new databases (custom format with pg_restore, and plain SQL with psql). In each
# copy every user logs in, every session reads back with the same attributes, and the privileges on
# the functions are the same.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $users = 20;
my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

my $cheap = "SET lucia_auth.password_hash = argon2id; SET lucia_auth.argon2id_memory = '64kB';"
  . " SET lucia_auth.argon2id_iterations = 1;";
$node->safe_psql('postgres', q{
	CREATE ROLE app LOGIN;
	CREATE ROLE outsider LOGIN;
	CREATE DATABASE app;
});
$node->safe_psql('app', q{
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	ALTER TABLE auth_user ADD COLUMN username text NOT NULL, ADD COLUMN age int,
	  ADD COLUMN tags text[] DEFAULT '{}', ADD COLUMN profile jsonb;
	ALTER TABLE user_session ADD COLUMN country text, ADD COLUMN signed_in_at timestamptz DEFAULT now(),
	  ADD COLUMN device jsonb;
	-- The application role of the README: the functions, no privilege on the tables.
	GRANT USAGE ON SCHEMA lucia_auth TO app, outsider;
	GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO app;
	REVOKE EXECUTE ON FUNCTION lucia_auth.delete_user(text) FROM app;
});
# Users with attributes: most with cheap Argon2id hashes, two with Lucia's own scrypt format, one
# key without a password; two sessions each, one of them idle.
$node->safe_psql('app', $cheap . qq{
	SELECT lucia_auth.create_user('user-' || i, 'email', 'user' || i || '\@example.com', 'password ' || i,
	         jsonb_build_object('username', 'user ' || i, 'age', 20 + i, 'tags', ARRAY['t' || i, 'x'],
	                            'profile', jsonb_build_object('n', i, 'quote', 'it''s "' || i || '"')))
	  FROM generate_series(1, $users) AS i;
	SET lucia_auth.password_hash = s2;
	SELECT lucia_auth.create_key('user-1', 'phone', '+1 555 0100', 'scrypt password');
	SELECT lucia_auth.create_key('user-2', 'github', '4242', NULL);
	SELECT lucia_auth.create_session(u.id, jsonb_build_object('country', 'NO', 'device', jsonb_build_object('ua', u.username)),
	                                 'active-' || u.id)
	  FROM auth_user AS u;
	SELECT lucia_auth.create_session(u.id, jsonb_build_object('country', 'SE'), 'idle-' || u.id)
	  FROM auth_user AS u;
	UPDATE user_session SET active_expires = (extract(epoch FROM now()) * 1000)::bigint - 60000
	  WHERE id LIKE 'idle-%';
});

# What must survive: every session as get_session reads it (no renewal), and the functions' ACLs.
my $sessions_sql = q{
	SELECT to_jsonb(g) - 'fresh' FROM user_session AS s, lucia_auth.get_session(s.id) AS g ORDER BY s.id};
my $acl_sql = q{
	SELECT p.oid::regprocedure::text || ' ' || coalesce(p.proacl::text, 'default')
	  FROM pg_proc AS p WHERE p.pronamespace = 'lucia_auth'::regnamespace ORDER BY 1};
my $sessions = $node->safe_psql('app', $sessions_sql);
my $acl = $node->safe_psql('app', $acl_sql);
is(scalar(split /\n/, $sessions), 2 * $users, 'sessions read before the dump');
like($acl, qr/lucia_auth\.validate_session\(text\) \{[^}]*app=X/, 'app may validate sessions');

my $tempdir = PostgreSQL::Test::Utils::tempdir;
$node->command_ok([ 'pg_dump', '-Fc', '-f', "$tempdir/app.dump", '-d', $node->connstr('app') ],
	'pg_dump -Fc');
$node->command_ok([ 'pg_dump', '-f', "$tempdir/app.sql", '-d', $node->connstr('app') ],
	'pg_dump, plain SQL');
$node->safe_psql('postgres', 'CREATE DATABASE restored_custom; CREATE DATABASE restored_plain;');
$node->command_ok(
	[ 'pg_restore', '--exit-on-error', '-d', $node->connstr('restored_custom'), "$tempdir/app.dump" ],
	'pg_restore into a new database');
$node->command_ok(
	[ 'psql', '-X', '-q', '-o', '/dev/null', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('restored_plain'), '-f', "$tempdir/app.sql" ],
	'the plain dump replayed by psql into a new database');

my $logins = qq{
	SELECT count(*) FROM generate_series(1, $users) AS i,
	  lucia_auth.use_key('email', 'user' || i || '\@example.com', 'password ' || i) AS k
	  WHERE k.user_id = 'user-' || i AND k.password_defined};
for my $db ('restored_custom', 'restored_plain')
{
	is($node->safe_psql($db, $sessions_sql), $sessions, "$db: every session reads back the same");
	is($node->safe_psql($db, $acl_sql), $acl, "$db: the functions have the same privileges");

	# The application role logs every user in, without any privilege on the tables.
	is($node->safe_psql($db, "SET ROLE app; $logins"), $users, "$db: every user logs in as app");
	is( $node->safe_psql($db, q{
			SET ROLE app;
			SELECT (k1.user_id, k2.user_id, k2.password_defined)::text
			  FROM lucia_auth.use_key('phone', '+1 555 0100', 'scrypt password') AS k1,
			       lucia_auth.use_key('github', '4242', NULL) AS k2}),
		'(user-1,user-2,f)',
		"$db: the scrypt key and the key without password log in");

	# validate_session as app: every session is valid; the idle ones are renewed, with the same
	# attributes as before the dump.
	is( $node->safe_psql($db, q{
			SET ROLE app;
			SELECT count(*) FILTER (WHERE v.state = 'active' AND NOT v.fresh) || ' active, '
			    || count(*) FILTER (WHERE v.state = 'idle' AND v.fresh) || ' renewed'
			  FROM (VALUES ('active'), ('idle')) AS kind(k), generate_series(1, 20) AS i,
			       lucia_auth.validate_session(kind.k || '-user-' || i) AS v}),
		"$users active, $users renewed",
		"$db: every session validates as app");
	is( $node->safe_psql($db, q{
			SELECT to_jsonb(v) - '{fresh,state,active_expires,idle_expires}'::text[]
			  FROM user_session AS s, lucia_auth.validate_session(s.id) AS v ORDER BY s.id}),
		$node->safe_psql('app', q{
			SELECT to_jsonb(g) - '{fresh,state,active_expires,idle_expires}'::text[]
			  FROM user_session AS s, lucia_auth.get_session(s.id) AS g ORDER BY s.id}),
		"$db: validated sessions carry the attributes of the original");

	my ($rc, $out, $err) = $node->psql($db, "SET ROLE app; SELECT lucia_auth.delete_user('user-1')");
	like($err, qr/permission denied for function delete_user/, "$db: the revoked grant stays revoked");
	($rc, $out, $err) = $node->psql($db, "SET ROLE outsider; SELECT lucia_auth.validate_session('active-user-1')");
	like($err, qr/permission denied for function validate_session/,
		"$db: a role without grants cannot call the functions");
	($rc, $out, $err) = $node->psql($db, "SET ROLE app; SELECT hashed_password FROM user_key");
	like($err, qr/permission denied for table user_key/, "$db: app cannot read the hashes");
}

$node->stop;
done_testing();
