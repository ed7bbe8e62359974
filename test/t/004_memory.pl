# Memory: one backend's memory stays flat over many calls. After a warm-up, 20,000 validate_session
# calls (active sessions, and a session renewed at every call), 100 scrypt hash_password calls and
# some use_key, create_session and invalidate_session calls, each its own statement on one
# connection, must grow neither the backend's memory contexts nor its private memory (RssAnon: the
# heap, including what libsodium allocates outside PostgreSQL's contexts) by 1 MiB. Nor may 10,000 calls
# naming attribute columns that do not exist, or 2,000 changes of the auth tables.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $sessions = 750;
my $node = PostgreSQL::Test::Cluster->new('memory');
$node->init;
$node->start;
$node->safe_psql('postgres', qq{
	SET lucia_auth.password_hash = argon2id;
	SET lucia_auth.argon2id_memory = '64kB';
	SET lucia_auth.argon2id_iterations = 1;
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	ALTER TABLE auth_user ADD COLUMN username text;
	ALTER TABLE user_session ADD COLUMN country text;
	SELECT lucia_auth.create_user('user-1', 'email', 'ada\@example.com', 'password', '{"username": "ada"}');
	SELECT lucia_auth.create_session('user-1', '{"country": "NO"}', 'active-' || i)
	  FROM generate_series(1, $sessions) AS i;
	SELECT lucia_auth.create_session('user-1', '{"country": "SE"}', 'renewing');
	UPDATE user_session SET active_expires = (extract(epoch FROM now()) * 1000)::bigint - 1000
	  WHERE id = 'renewing';
});

my $psql = $node->background_psql('postgres');
my $pid = $psql->query_safe('SELECT pg_backend_pid()');
chomp $pid;
# Renewal at every call: with no active period, a renewed session is idle again a millisecond later.
$psql->query_safe(q{
	SET lucia_auth.active_period = 0;
	SET lucia_auth.password_hash = argon2id;
	SET lucia_auth.argon2id_memory = '64kB';
	SET lucia_auth.argon2id_iterations = 1;
});

# One round: 1000 validations, 5 scrypt hashes, and a few of the other calls.
my $round = '';
$round .= "SELECT state FROM lucia_auth.validate_session('active-$_');\n" for 1 .. $sessions;
$round .= "SELECT fresh FROM lucia_auth.validate_session('renewing');\n" for 1 .. (1000 - $sessions);
$round .= "SET lucia_auth.password_hash = s2; SELECT length(lucia_auth.hash_password('password $_'));\n"
  for 1 .. 5;
$round .= "SET lucia_auth.password_hash = argon2id;\n";
$round .= "SELECT user_id FROM lucia_auth.use_key('email', 'ada\@example.com', 'password');\n" for 1 .. 20;
$round .= "SELECT lucia_auth.invalidate_session(session_id)"
  . " FROM lucia_auth.create_session('user-1', '{\"country\": \"DK\"}');\n"
  for 1 .. 20;
$round .= "SELECT lucia_auth.read_session_cookie('a=b; auth_session=active-1');\n" for 1 .. 20;

sub usage
{
	open my $status, '<', "/proc/$pid/status" or die "cannot read /proc/$pid/status: $!";
	my %kb;
	while (<$status>)
	{
		$kb{$1} = $2 if /^(VmRSS|RssAnon):\s+(\d+) kB/;
	}
	close $status;
	my $contexts = $psql->query_safe('SELECT sum(total_bytes) FROM pg_backend_memory_contexts');
	chomp $contexts;
	return { rss => $kb{VmRSS} * 1024, anon => $kb{RssAnon} * 1024, contexts => $contexts };
}

sub run_round
{
	my $out = $psql->query_safe($round);
	my @renewed = $out =~ /^t$/mg;
	return scalar(@renewed);
}

run_round() for 1 .. 3;
my $before = usage();
my $renewals = 0;
$renewals += run_round() for 1 .. 20;
my $after = usage();

note sprintf('%s: %d before, %d after, %+d bytes', $_, $before->{$_}, $after->{$_},
	$after->{$_} - $before->{$_})
  for qw(contexts anon rss);
cmp_ok($renewals, '>', 0, 'sessions were renewed during the run');
cmp_ok($after->{contexts} - $before->{contexts}, '<', 1024 * 1024,
	'memory contexts grew by less than 1 MiB over 20,000 validations and 100 hashes');
cmp_ok($after->{anon} - $before->{anon}, '<', 1024 * 1024,
	'private memory (RssAnon) grew by less than 1 MiB');

# Calls that name attribute columns that do not exist, each a different name (an application passing
# request JSON as attributes), and the auth tables changing under the backend (each change makes
# lucia_auth describe them again): neither may leave memory behind.
my $unknown_keys = sub {
	my ($from, $to) = @_;
	return qq{DO \$\$ BEGIN
	  FOR i IN $from .. $to LOOP
	    BEGIN
	      PERFORM lucia_auth.create_user('unknown-' || i,
	        attributes => pg_catalog.jsonb_build_object(repeat('k', 64) || i, 1, 'short' || i, 2));
	    EXCEPTION WHEN undefined_column THEN NULL;
	    END;
	  END LOOP;
	END \$\$;};
};
my $changes = sub {
	my ($from, $to) = @_;
	return qq{DO \$\$ BEGIN
	  FOR i IN $from .. $to LOOP
	    EXECUTE pg_catalog.format('ALTER TABLE user_session ALTER COLUMN country SET STATISTICS %s', i % 1000);
	    EXECUTE pg_catalog.format('ALTER TABLE auth_user ALTER COLUMN username SET STATISTICS %s', i % 1000);
	    PERFORM lucia_auth.validate_session('active-1');
	  END LOOP;
	END \$\$;};
};
$psql->query_safe($unknown_keys->(1, 500));
$psql->query_safe($changes->(1, 200));
$before = usage();
$psql->query_safe($unknown_keys->(501, 10500));
$psql->query_safe($changes->(201, 2200));
$after = usage();
note sprintf('%s: %d before, %d after, %+d bytes', $_, $before->{$_}, $after->{$_},
	$after->{$_} - $before->{$_})
  for qw(contexts anon rss);
cmp_ok($after->{contexts} - $before->{contexts}, '<', 1024 * 1024,
	'memory contexts grew by less than 1 MiB over 10,000 unknown attribute names and 2,000 table changes');
cmp_ok($after->{anon} - $before->{anon}, '<', 1024 * 1024,
	'private memory (RssAnon) grew by less than 1 MiB');

$psql->quit;
$node->stop;
done_testing();
