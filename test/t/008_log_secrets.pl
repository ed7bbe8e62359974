# Logs: with auto_explain fully on (every statement, nested ones included, VERBOSE and ANALYZE), no
# password, hash or session id given to lucia_auth or made by it reaches the server log.
#
# Every function that takes a secret is called with it as a bind parameter of a custom plan (psql's
# PREPARE/EXECUTE, with plan_cache_mode auto and force_custom_plan, and a PL/pgSQL caller, whose
# variables are parameters too). The secrets are made inside the server and kept in a table, and each
# EXECUTE reads its argument from there, so that no statement text ever holds one: finding a secret in
# the log can only mean that a plan showed it. The log is then cut into its records and checked in
# three parts:
#   - the callers' own plans (their statements are marked /*caller*/): no secret;
#   - the plans of the statements lucia_auth runs inside its functions: no new hash, no session id;
#   - everything else (errors, their statements): no secret.
# Literal calls are made too: a literal is in the statement text, which auto_explain logs as the
# plan's "Query Text" (and PostgreSQL as the STATEMENT of an error), but the plan itself must not
# show it. Controls show that each check can fail: a function of the same shape outside lucia_auth
# shows its argument in the caller's plan, and a PL/pgSQL function that inserts its argument shows it
# in its nested plan.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $node = PostgreSQL::Test::Cluster->new('log_secrets');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'auto_explain'
auto_explain.log_min_duration = 0
auto_explain.log_nested_statements = on
auto_explain.log_verbose = on
auto_explain.log_analyze = on
auto_explain.log_buffers = on
auto_explain.log_triggers = on
auto_explain.log_settings = on
auto_explain.log_format = text
});
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION lucia_auth;
	SELECT lucia_auth.create_tables();
	ALTER TABLE auth_user ADD COLUMN username text;
	ALTER TABLE user_session ADD COLUMN device text;
	-- The secrets of the test, made here so that no statement text holds one.
	CREATE TABLE secrets (name text PRIMARY KEY, value text NOT NULL);
	CREATE FUNCTION secret(wanted text) RETURNS text LANGUAGE plpgsql STABLE AS $$
	BEGIN
	  RETURN (SELECT value FROM secrets WHERE name = wanted);
	END $$;
	CREATE FUNCTION new_secret(name text) RETURNS text LANGUAGE sql AS $$
	  INSERT INTO secrets VALUES (name, 'secret-' || md5(random()::text) || '-' || name) RETURNING name
	$$;
	-- Controls: the same shapes outside lucia_auth.
	CREATE FUNCTION use_key_lookalike(provider_id text, provider_user_id text, password text)
	  RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN password IS NOT NULL; END $$;
	CREATE TABLE notes (note text);
	CREATE FUNCTION store_note(note text) RETURNS void LANGUAGE plpgsql AS $$
	BEGIN
	  INSERT INTO notes VALUES (note);
	END $$;
	-- A PL/pgSQL caller: its variables are parameters of the plans of its statements.
	CREATE FUNCTION app_login(email text, password text) RETURNS text LANGUAGE plpgsql AS $$
	BEGIN
	  RETURN (/*caller*/ SELECT user_id FROM lucia_auth.use_key('email', email, password));
	END $$;
	CREATE FUNCTION app_validate(session_id text) RETURNS text LANGUAGE plpgsql AS $$
	BEGIN
	  RETURN (/*caller*/ SELECT state FROM lucia_auth.validate_session(session_id));
	END $$;
});

# One run of every call, with bind parameters only, in plan cache mode $mode; $tag names its rows.
sub bound_calls
{
	my ($mode, $tag) = @_;
	return qq{
SET plan_cache_mode = $mode;
SELECT new_secret(n) FROM unnest(array['pw-$tag', 'pw2-$tag', 'pw3-$tag', 'wrong-$tag', 'given-$tag',
  'control-$tag', 'nested-control-$tag']) AS n;
/*caller*/ PREPARE sign_up(text, text) AS
  SELECT user_id FROM lucia_auth.create_user(NULL, 'email', \$1, \$2, '{"username": "ada"}');
/*caller*/ EXECUTE sign_up('ada-$tag\@example.com', secret('pw-$tag'));
SELECT user_id AS uid FROM lucia_auth.get_key('email', 'ada-$tag\@example.com') \\gset
/*caller*/ PREPARE add_key(text, text, text) AS SELECT * FROM lucia_auth.create_key(\$1, 'github', \$2, \$3);
/*caller*/ EXECUTE add_key(:'uid', 'gh-$tag', secret('pw2-$tag'));
/*caller*/ PREPARE login(text, text) AS SELECT user_id FROM lucia_auth.use_key('email', \$1, \$2);
/*caller*/ EXECUTE login('ada-$tag\@example.com', secret('pw-$tag'));
/*caller*/ EXECUTE login('ada-$tag\@example.com', secret('pw-$tag'));
SELECT app_login('ada-$tag\@example.com', secret('pw-$tag'));
INSERT INTO secrets SELECT 'old-hash-$tag', hashed_password FROM user_key WHERE id = 'github:gh-$tag';
/*caller*/ PREPARE change(text, text) AS SELECT * FROM lucia_auth.update_key_password('github', \$1, \$2);
/*caller*/ EXECUTE change('gh-$tag', secret('pw3-$tag'));
/*caller*/ PREPARE hash(text) AS SELECT lucia_auth.hash_password(\$1) IS NOT NULL;
/*caller*/ EXECUTE hash(secret('pw-$tag'));
/*caller*/ PREPARE verify(text, text) AS SELECT lucia_auth.verify_password(\$1, \$2);
/*caller*/ EXECUTE verify(secret('pw-$tag'), secret('old-hash-$tag'));
/*caller*/ PREPARE needs_rehash(text) AS SELECT lucia_auth.password_needs_rehash(\$1);
/*caller*/ EXECUTE needs_rehash(secret('old-hash-$tag'));
/*caller*/ PREPARE open_session(text, jsonb, text) AS SELECT session_id IS NOT NULL
  FROM lucia_auth.create_session(\$1, \$2, \$3);
/*caller*/ EXECUTE open_session(:'uid', '{}', secret('given-$tag'));
/*caller*/ EXECUTE open_session(:'uid', '{"device": "phone"}', secret('given-$tag') || '-2');
INSERT INTO secrets SELECT 'given-2-$tag', secret('given-$tag') || '-2';
INSERT INTO secrets SELECT 'made-$tag', session_id FROM lucia_auth.create_session(:'uid');
INSERT INTO secrets SELECT 'made-attributes-$tag', session_id
  FROM lucia_auth.create_session(:'uid', '{"device": "laptop"}');
/*caller*/ PREPARE validate(text) AS SELECT state, fresh FROM lucia_auth.validate_session(\$1);
/*caller*/ EXECUTE validate(secret('made-$tag'));
UPDATE user_session SET active_expires = 0 WHERE user_id = :'uid';
/*caller*/ EXECUTE validate(secret('made-$tag'));
/*caller*/ EXECUTE validate(secret('given-$tag'));
SELECT app_validate(secret('made-attributes-$tag'));
/*caller*/ PREPARE read_session(text) AS SELECT state FROM lucia_auth.get_session(\$1);
/*caller*/ EXECUTE read_session(secret('made-attributes-$tag'));
/*caller*/ PREPARE set_device(text, jsonb) AS SELECT session_id IS NOT NULL
  FROM lucia_auth.update_session_attributes(\$1, \$2);
/*caller*/ EXECUTE set_device(secret('made-$tag'), '{"device": "tablet"}');
/*caller*/ PREPARE cookie(text) AS SELECT lucia_auth.read_session_cookie(\$1) IS NOT NULL;
/*caller*/ EXECUTE cookie('theme=dark; auth_session=' || secret('made-$tag'));
/*caller*/ PREPARE bearer(text) AS SELECT lucia_auth.read_bearer_token(\$1) IS NOT NULL;
/*caller*/ EXECUTE bearer('Bearer ' || secret('made-$tag'));
/*caller*/ PREPARE set_cookie(text, bigint) AS SELECT lucia_auth.create_session_cookie(\$1, \$2) IS NOT NULL;
/*caller*/ EXECUTE set_cookie(secret('made-$tag'), 1700000000000);
/*caller*/ PREPARE logout(text) AS SELECT lucia_auth.invalidate_session(\$1);
/*caller*/ EXECUTE logout(secret('given-2-$tag'));
/*caller*/ PREPARE lookalike(text, text, text) AS SELECT use_key_lookalike(\$1, \$2, \$3);
/*caller*/ EXECUTE lookalike('email', 'ada-$tag\@example.com', secret('control-$tag'));
SELECT store_note(secret('nested-control-$tag'));
DEALLOCATE ALL;
};
}

$node->safe_psql('postgres', bound_calls('auto', 'a'));
$node->safe_psql('postgres', bound_calls('force_custom_plan', 'f'));

# Failed calls: their plans are not logged, but the statements lucia_auth ran before the error are.
my ($ret, $out, $err) = $node->psql('postgres', q{
/*caller*/ PREPARE login(text, text) AS SELECT user_id FROM lucia_auth.use_key('email', $1, $2);
/*caller*/ EXECUTE login('ada-a@example.com', secret('wrong-a'));
});
like($err, qr/AUTH_INVALID_PASSWORD/, 'a wrong password fails');
($ret, $out, $err) = $node->psql('postgres', q{SELECT app_login('ada-f@example.com', secret('wrong-f'))});
like($err, qr/AUTH_INVALID_PASSWORD/, 'a wrong password fails through a PL/pgSQL caller');

# Literal calls, with values that occur nowhere else.
my %literal = map { $_ => "literal-$_-" . join('', map { ('a' .. 'z')[ rand 26 ] } 1 .. 16) }
  qw(password password2 session control);
$node->safe_psql('postgres', qq{
/*caller*/ SELECT user_id FROM lucia_auth.create_user('literal-user', 'email', 'lit\@example.com', '$literal{password}');
/*caller*/ SELECT user_id FROM lucia_auth.use_key('email', 'lit\@example.com', '$literal{password}');
/*caller*/ SELECT user_id FROM lucia_auth.update_key_password('email', 'lit\@example.com', '$literal{password2}');
/*caller*/ SELECT lucia_auth.verify_password('$literal{password2}', hashed_password) FROM user_key WHERE id = 'email:lit\@example.com';
/*caller*/ SELECT lucia_auth.hash_password('$literal{password}') IS NOT NULL;
/*caller*/ SELECT session_id IS NOT NULL FROM lucia_auth.create_session('literal-user', '{}', '$literal{session}');
/*caller*/ SELECT state FROM lucia_auth.validate_session('$literal{session}');
/*caller*/ SELECT state FROM lucia_auth.validate_session(lucia_auth.read_session_cookie('auth_session=$literal{session}'));
/*caller*/ SELECT lucia_auth.read_session_cookie('auth_session=$literal{session}');
/*caller*/ SELECT lucia_auth.read_bearer_token('Bearer $literal{session}');
/*caller*/ SELECT lucia_auth.create_session_cookie('$literal{session}', 1700000000000);
/*caller*/ SELECT lucia_auth.invalidate_session('$literal{session}');
/*caller*/ SELECT use_key_lookalike('email', 'lit\@example.com', '$literal{control}');
});

# What must not be in the log: every secret, every hash, every session id there ever was.
my %secret = split /[|\n]/, $node->safe_psql('postgres', q{
	SELECT name, value FROM secrets
	UNION ALL SELECT 'hash ' || id, hashed_password FROM user_key WHERE hashed_password <> ''
	UNION ALL SELECT 'session ' || id, id FROM user_session
});
my @controls = grep { /control/ } keys %secret;
my @secrets = grep { !/control/ } keys %secret;
cmp_ok(scalar(grep { /^hash / } @secrets), '>=', 5, 'the run made hashes');
cmp_ok(scalar(grep { /^session / } @secrets), '>=', 6, 'the run made sessions');
$node->stop;

# The log, cut into records: each begins with a line that is not indented.
my $log = slurp_file($node->logfile);
my (@caller_plans, @nested_plans, @other);
for my $record (split /^(?=\S)/m, $log)
{
	if ($record =~ /duration: [\d.]+ ms\s+plan:\s*\n\s*Query Text: (.*)/)
	{
		if ($1 =~ m{/\*caller\*/}) { push @caller_plans, $record; }
		else { push @nested_plans, $record; }
	}
	else
	{
		push @other, $record;
	}
}
cmp_ok(scalar(@caller_plans), '>=', 30, 'the callers\' plans are in the log');
cmp_ok(scalar(@nested_plans), '>=', 30, 'the plans of nested statements are in the log');
cmp_ok(scalar(grep { /<redacted>/ } @caller_plans), '>=', 20, 'the callers\' plans show redacted arguments');

# The names of the secrets found in some records, as one string (empty when none is).
sub found
{
	my ($names, @records) = @_;
	my $text = join('', @records);
	return join(', ', sort grep { index($text, $secret{$_}) >= 0 } @$names);
}

# Controls: without lucia_auth's redaction, a bound value shows in the caller's plan and a PL/pgSQL
# function's argument in its nested plan.
is(found([ grep { /^control/ } @controls ], @caller_plans), 'control-a, control-f',
	'control: a bound argument of a function outside lucia_auth shows in the caller\'s plan');
is(found([ grep { /^nested-control/ } @controls ], @nested_plans), 'nested-control-a, nested-control-f',
	'control: a bound value shows in the plan of a nested statement outside lucia_auth');

# Passes when no record shows any of the named secrets; otherwise names them and shows the first
# record that shows one.
sub none_shown
{
	my ($names, $records, $what) = @_;
	return 1 if is(found($names, @$records), '', $what);
	for my $record (@$records)
	{
		if (grep { index($record, $secret{$_}) >= 0 } @$names)
		{
			diag("for example:\n$record");
			last;
		}
	}
	return 0;
}

none_shown(\@secrets, \@caller_plans, 'the callers\' plans show no password, hash or session id');
none_shown(\@secrets, \@other, 'no password, hash or session id elsewhere in the log');
none_shown([ grep { /^(pw|wrong)/ } @secrets ], \@nested_plans,
	'the plans of lucia_auth\'s own statements show no password');
none_shown([ grep { /hash/ } @secrets ], \@nested_plans, 'the plans of lucia_auth\'s own statements show no hash');
none_shown([ grep { /^(session|given|made)/ } @secrets ], \@nested_plans,
	'the plans of lucia_auth\'s own statements show no session id');

# Literals: in the statement text (the plan's Query Text), never in a plan itself.
sub without_text { return join('', @_) =~ s/^\s*Query Text: .*$//mgr; }
my $caller_plans = without_text(@caller_plans);
my $nested_plans = without_text(@nested_plans);
ok(index($log, $literal{password}) >= 0, 'control: a literal password is in the log, as statement text');
ok(index($caller_plans, $literal{control}) >= 0,
	'control: a literal argument of a function outside lucia_auth shows in the caller\'s plan');
is(join(', ', grep { index($caller_plans, $literal{$_}) >= 0 } qw(password password2 session)), '',
	'the callers\' plans show no literal password or session id');
is(join(', ', grep { index($nested_plans, $literal{$_}) >= 0 } qw(password password2 session)), '',
	'the plans of lucia_auth\'s own statements show no literal password or session id');

done_testing();
