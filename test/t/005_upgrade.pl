# Upgrading: a database made with lucia_auth 0.1.0 exactly as released (its install script, users,
# keys and sessions written by its functions, an application role granted as the README says) is
# taken to the current version with ALTER EXTENSION lucia_auth UPDATE. Afterwards:
# - every object of the extension, as the catalogs describe it, is the same as in a fresh install of
#   the current version in another database: the extension's member list, each function's arguments,
#   defaults, result, volatility, strictness, parallel safety, SECURITY DEFINER, settings, support
#   function, cost, rows, language and body, each type and its columns, every comment, owner and
#   privilege, and the initial privileges pg_dump relies on. A difference fails the object it is in,
#   and lists the attributes that differ;
# - the application role keeps exactly the grants it had, and gets none on functions that are new
#   since 0.1.0: GRANT ... ON ALL FUNCTIONS IN SCHEMA grants what exists when it runs, so a new function
#   has the extension's own default (PUBLIC may run the pure ones, nobody the table ones) until the
#   README's GRANT is run again. Once it is, every privilege is the same as in a fresh install given
#   the same GRANT;
# - the application role runs its whole flow on the old rows without any new grant: the old user logs
#   in with its old password, its old sessions validate (the idle one renewed), a new session is made
#   and logged out; a connection opened before the update keeps working through it.
# It also checks that every install and upgrade script since 0.1.0 refuses a schema that others
# control with the same block of code.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

if ($> == 0)
{
	plan skip_all => 'initdb refuses to run as root: run bash test/t/run.sh';
}

my $node = PostgreSQL::Test::Cluster->new('upgrade');
$node->init;
$node->start;

my $sharedir = $node->config_data('--sharedir') . '/extension';
my ($default_version) = slurp_file("$sharedir/lucia_auth.control") =~ /^default_version\s*=\s*'([^']+)'/m;
isnt($default_version, '0.1.0', "the current version ($default_version) is not 0.1.0");

# The schema check is one block of code, the same in every script since 0.1.0.
my $check_block;
for my $script (sort glob("$sharedir/lucia_auth--*.sql"))
{
	(my $name = $script) =~ s{.*/}{};
	next if $name eq 'lucia_auth--0.1.0.sql';
	my ($block) = slurp_file($script) =~ /^(DO \$check_schema\$\n.*?^\$check_schema\$;\n)/ms;
	ok(defined $block, "$name checks the schema");
	$check_block //= $block;
	is($block, $check_block, "$name checks the schema with the same code as the other scripts")
	  if defined $block;
}

$node->safe_psql('postgres', q{
	CREATE ROLE app LOGIN;
	CREATE ROLE outsider LOGIN;
	CREATE DATABASE upgraded;
	CREATE DATABASE fresh;
});

# 0.1.0 as released, used as its README says.
my $cheap = "SET lucia_auth.password_hash = argon2id; SET lucia_auth.argon2id_memory = '64kB';"
  . " SET lucia_auth.argon2id_iterations = 1;";
$node->safe_psql('upgraded', q{
	CREATE EXTENSION lucia_auth VERSION '0.1.0';
	SELECT lucia_auth.create_tables();
	ALTER TABLE auth_user ADD COLUMN username text;
	ALTER TABLE user_session ADD COLUMN country text;
	GRANT USAGE ON SCHEMA lucia_auth TO app, outsider;
	GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO app;
	-- One function withheld from the application, as the README's recipe allows: it stays withheld.
	REVOKE EXECUTE ON FUNCTION lucia_auth.delete_user(text) FROM app;
});
$node->safe_psql('upgraded', $cheap . q{
	SELECT lucia_auth.create_user('user-' || i, 'email', 'user' || i || '@example.com', 'password ' || i,
	                              jsonb_build_object('username', 'user ' || i))
	  FROM generate_series(1, 5) AS i;
	SET lucia_auth.password_hash = s2;
	SELECT lucia_auth.create_key('user-1', 'phone', '+1 555 0100', 'scrypt password');
	SELECT lucia_auth.create_key('user-2', 'github', '4242', NULL);
	SELECT lucia_auth.create_session(u.id, '{"country": "NO"}', 'active-' || u.id) FROM auth_user AS u;
	SELECT lucia_auth.create_session(u.id, '{"country": "SE"}', 'idle-' || u.id) FROM auth_user AS u;
	UPDATE user_session SET active_expires = (extract(epoch FROM now()) * 1000)::bigint - 60000
	  WHERE id LIKE 'idle-%';
});
is($node->safe_psql('upgraded', q{SELECT extversion FROM pg_extension WHERE extname = 'lucia_auth'}),
	'0.1.0', 'the old database runs 0.1.0');

# The catalog's description of the extension, as lines "object|attribute|value". Roles are named by
# what they are to the extension; with_app = false leaves out what was granted to the application
# role, so that an upgraded database that has the README's grants compares with a fresh install.
my $helpers = q{
	CREATE FUNCTION pg_temp.role_name(r oid) RETURNS text LANGUAGE sql STABLE AS $$
	  SELECT CASE WHEN r = 0 THEN 'PUBLIC'
	              WHEN r = (SELECT extowner FROM pg_extension WHERE extname = 'lucia_auth') THEN '(extension owner)'
	              ELSE (SELECT rolname::text FROM pg_roles WHERE oid = r) END $$;
	CREATE FUNCTION pg_temp.acl(acl aclitem[], owner oid, kind "char", with_app boolean) RETURNS text
	  LANGUAGE sql STABLE AS $$
	  SELECT coalesce(string_agg(pg_temp.role_name(a.grantee) || ' ' || a.privilege_type
	                             || CASE WHEN a.is_grantable THEN ' (grantable)' ELSE '' END
	                             || ' from ' || pg_temp.role_name(a.grantor), ', '
	                             ORDER BY pg_temp.role_name(a.grantee), a.privilege_type), 'none')
	    FROM aclexplode(coalesce(acl, acldefault(kind, owner))) AS a
	    WHERE with_app OR a.grantee <> 'app'::regrole $$;
};
# The catalogs whose objects are described in detail below; a member in any other catalog fails the
# test until a description of its kind is added here.
my @described = qw(pg_proc pg_type pg_operator pg_cast);
sub describe
{
	my ($db, $with_app) = @_;
	my $app = $with_app ? 'true' : 'false';
	my $out = $node->safe_psql($db, $helpers . qq{
		WITH ext AS (SELECT * FROM pg_extension WHERE extname = 'lucia_auth'),
		member AS (
		  SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS object
		    FROM pg_depend AS d, ext
		    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
		-- Functions, operators and types in the schema that are not members, if any.
		stray AS (
		  SELECT pg_describe_object('pg_proc'::regclass, p.oid, 0) AS object FROM pg_proc AS p, ext
		    WHERE p.pronamespace = ext.extnamespace
		  UNION ALL
		  SELECT pg_describe_object('pg_operator'::regclass, o.oid, 0) FROM pg_operator AS o, ext
		    WHERE o.oprnamespace = ext.extnamespace
		  UNION ALL
		  SELECT pg_describe_object('pg_type'::regclass, t.oid, 0) FROM pg_type AS t, ext
		    WHERE t.typnamespace = ext.extnamespace
		      AND NOT EXISTS (SELECT FROM pg_type AS e WHERE e.typarray = t.oid)
		  EXCEPT
		  SELECT object FROM member),
		line(object, attribute, value) AS (
		  SELECT 'extension lucia_auth', a.attribute, a.value
		    FROM ext, LATERAL (VALUES
		      ('version', ext.extversion),
		      ('schema', ext.extnamespace::regnamespace::text),
		      ('relocatable', ext.extrelocatable::text),
		      ('configuration tables', coalesce(ext.extconfig::regclass[]::text, 'none')),
		      ('comment', obj_description(ext.oid, 'pg_extension'))) AS a(attribute, value)
		  UNION ALL
		  SELECT 'schema ' || n.nspname, a.attribute, a.value
		    FROM ext JOIN pg_namespace AS n ON n.oid = ext.extnamespace, LATERAL (VALUES
		      ('owner', pg_temp.role_name(n.nspowner)),
		      ('privileges', pg_temp.acl(n.nspacl, n.nspowner, 'n', $app)),
		      ('comment', obj_description(n.oid, 'pg_namespace'))) AS a(attribute, value)
		  UNION ALL
		  SELECT object, 'member of the extension', 'no' FROM stray
		  UNION ALL
		  SELECT m.object, a.attribute, a.value
		    FROM member AS m
		    LEFT JOIN pg_init_privs AS i ON (i.classoid, i.objoid, i.objsubid) = (m.classid, m.objid, 0),
		    LATERAL (VALUES
		      ('member of the extension', 'yes'),
		      ('catalog', m.classid::regclass::text),
		      ('comment', obj_description(m.objid, m.classid::regclass::text)),
		      ('initial privileges (pg_init_privs)',
		       coalesce(i.privtype::text || ': ' || pg_temp.acl(i.initprivs, 0, 'f', true), 'none'))) AS a(attribute, value)
		  UNION ALL
		  SELECT m.object, a.attribute, a.value
		    FROM member AS m JOIN pg_proc AS p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
		    JOIN pg_language AS l ON l.oid = p.prolang, LATERAL (VALUES
		      ('kind', p.prokind::text),
		      ('arguments', pg_get_function_arguments(p.oid)),
		      ('result', pg_get_function_result(p.oid)),
		      ('returns a set', p.proretset::text),
		      ('language', l.lanname::text),
		      ('volatility', p.provolatile::text),
		      ('strict', p.proisstrict::text),
		      ('parallel', p.proparallel::text),
		      ('security definer', p.prosecdef::text),
		      ('leakproof', p.proleakproof::text),
		      ('settings (proconfig)', coalesce(p.proconfig::text, 'none')),
		      ('support function', p.prosupport::regproc::text),
		      ('cost', p.procost::text),
		      ('rows', p.prorows::text),
		      ('transforms', coalesce(p.protrftypes::regtype[]::text, 'none')),
		      ('source', p.prosrc),
		      ('library', coalesce(p.probin, 'none')),
		      ('owner', pg_temp.role_name(p.proowner)),
		      ('privileges', pg_temp.acl(p.proacl, p.proowner, 'f', $app))) AS a(attribute, value)
		  UNION ALL
		  SELECT m.object, a.attribute, a.value
		    FROM member AS m JOIN pg_type AS t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid,
		    LATERAL (VALUES
		      ('type kind', t.typtype::text),
		      ('length', t.typlen::text),
		      ('by value', t.typbyval::text),
		      ('category', t.typcategory::text),
		      ('preferred', t.typispreferred::text),
		      ('delimiter', t.typdelim::text),
		      ('input/output/receive/send', concat_ws(' ', t.typinput::regproc, t.typoutput::regproc,
		                                               t.typreceive::regproc, t.typsend::regproc)),
		      ('typmod in/out, analyze, subscript', concat_ws(' ', t.typmodin::regproc, t.typmodout::regproc,
		                                                       t.typanalyze::regproc, t.typsubscript::regproc)),
		      ('element type', t.typelem::regtype::text),
		      ('array type', t.typarray::regtype::text),
		      ('alignment/storage', t.typalign::text || '/' || t.typstorage::text),
		      ('base type', t.typbasetype::regtype || ' typmod ' || t.typtypmod || ' ndims ' || t.typndims
		                    || ' not null ' || t.typnotnull),
		      ('collation', coalesce((SELECT c.collname::text FROM pg_collation AS c WHERE c.oid = t.typcollation), 'none')),
		      ('default', coalesce(t.typdefault, 'none')),
		      ('constraints', coalesce((SELECT string_agg(c.conname || ' ' || pg_get_constraintdef(c.oid), '; ' ORDER BY c.conname)
		                                  FROM pg_constraint AS c WHERE c.contypid = t.oid), 'none')),
		      ('owner', pg_temp.role_name(t.typowner)),
		      ('privileges', pg_temp.acl(t.typacl, t.typowner, 'T', $app))) AS a(attribute, value)
		  UNION ALL
		  SELECT m.object, 'column ' || a.attnum, a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
		           || coalesce(' collate ' || (SELECT c.collname FROM pg_collation AS c WHERE c.oid = a.attcollation), '')
		           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
		           || coalesce(' -- ' || col_description(t.typrelid, a.attnum), '')
		    FROM member AS m JOIN pg_type AS t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
		    JOIN pg_attribute AS a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
		  UNION ALL
		  SELECT m.object, a.attribute, a.value
		    FROM member AS m JOIN pg_operator AS o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid,
		    LATERAL (VALUES
		      ('function', o.oprcode::regprocedure::text),
		      ('result', o.oprresult::regtype::text),
		      ('commutator, negator', concat_ws(' ', o.oprcom::regoperator, o.oprnegate::regoperator)),
		      ('restrict, join', concat_ws(' ', o.oprrest::regproc, o.oprjoin::regproc)),
		      ('merges, hashes', o.oprcanmerge || ' ' || o.oprcanhash),
		      ('owner', pg_temp.role_name(o.oprowner))) AS a(attribute, value)
		  UNION ALL
		  SELECT m.object, a.attribute, a.value
		    FROM member AS m JOIN pg_cast AS c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid,
		    LATERAL (VALUES
		      ('function', coalesce(c.castfunc::regprocedure::text, 'none')),
		      ('context, method', c.castcontext::text || ' ' || c.castmethod::text)) AS a(attribute, value))
		SELECT object || '|' || attribute || '|'
		       || replace(replace(coalesce(value, 'NULL'), E'\\\\', E'\\\\\\\\'), E'\\n', E'\\\\n')
		  FROM line ORDER BY object, attribute});
	my %objects;
	for my $line (split /\n/, $out)
	{
		my ($object, $attribute, $value) = split /\|/, $line, 3;
		$objects{$object}{$attribute} = $value;
	}
	return \%objects;
}

# One test per object: it fails when the object is missing on either side or any attribute differs,
# and lists what differs.
sub compare_catalogs
{
	my ($upgraded, $fresh, $what) = @_;
	for my $object (sort(keys %{$upgraded}, grep { !exists $upgraded->{$_} } keys %{$fresh}))
	{
		my ($u, $f) = ($upgraded->{$object}, $fresh->{$object});
		if (!$u || !$f)
		{
			fail("$what: $object");
			diag($u ? "  only after the upgrade, not in a fresh install" : "  missing after the upgrade");
			next;
		}
		my @diffs;
		for my $attribute (sort keys %{{ %$u, %$f }})
		{
			my ($uv, $fv) = ($u->{$attribute} // '(absent)', $f->{$attribute} // '(absent)');
			push @diffs, "  $attribute\n    after the upgrade: $uv\n    fresh install:     $fv"
			  if $uv ne $fv;
		}
		ok(!@diffs, "$what: $object") or diag(join("\n", @diffs));
	}
}

# What the application role was granted explicitly, per object of the schema: "object|privileges".
my $app_grants_sql = q{
	SELECT d.object || '|' || coalesce(string_agg(a.privilege_type, ' ' ORDER BY a.privilege_type), 'none')
	  FROM (SELECT pg_describe_object('pg_proc'::regclass, p.oid, 0) AS object, p.proacl AS acl
	          FROM pg_proc AS p WHERE p.pronamespace = 'lucia_auth'::regnamespace
	        UNION ALL
	        SELECT pg_describe_object('pg_type'::regclass, t.oid, 0), t.typacl
	          FROM pg_type AS t WHERE t.typnamespace = 'lucia_auth'::regnamespace
	        UNION ALL
	        SELECT 'schema lucia_auth', n.nspacl FROM pg_namespace AS n WHERE n.nspname = 'lucia_auth') AS d
	  LEFT JOIN LATERAL aclexplode(d.acl) AS a ON a.grantee = 'app'::regrole
	  GROUP BY d.object ORDER BY d.object};
my %app_before = map { split /\|/, $_, 2 } split /\n/, $node->safe_psql('upgraded', $app_grants_sql);
ok(grep({ $_ eq 'EXECUTE' } values %app_before) >= 20, 'app was granted EXECUTE on the functions of 0.1.0');

# A connection of the application opened before the update, used before and after it.
my $open = $node->background_psql('upgraded', on_error_stop => 1);
$open->query_safe('SET ROLE app');
is($open->query_safe(q{SELECT state FROM lucia_auth.validate_session('active-user-3')}),
	'active', 'an open connection validates a session before the update');

$node->safe_psql('upgraded', 'ALTER EXTENSION lucia_auth UPDATE');
$node->safe_psql('fresh', 'CREATE EXTENSION lucia_auth; GRANT USAGE ON SCHEMA lucia_auth TO outsider;');
is($node->safe_psql('upgraded', q{SELECT extversion FROM pg_extension WHERE extname = 'lucia_auth'}),
	$default_version, "ALTER EXTENSION lucia_auth UPDATE goes to $default_version");

my $upgraded = describe('upgraded', 0);
my $fresh = describe('fresh', 0);
ok(keys %$fresh > 30, 'the fresh install is described (' . scalar(keys %$fresh) . ' objects)');
my @undescribed = grep {
	my $catalog = $fresh->{$_}{catalog};
	$catalog && !grep { $_ eq $catalog } @described
} sort keys %$fresh;
is(join("\n", @undescribed), '',
	'every member of the extension is of a kind this test describes (if not, add its attributes to describe())');
compare_catalogs($upgraded, $fresh, 'the same after the upgrade as in a fresh install (app grants aside)');

# The application role's own grants: kept on every object that 0.1.0 had; none on new objects.
my %app_after = map { split /\|/, $_, 2 } split /\n/, $node->safe_psql('upgraded', $app_grants_sql);
for my $object (sort keys %app_after)
{
	my $expected = $app_before{$object} // 'none';
	is($app_after{$object}, $expected,
		exists $app_before{$object}
		? "app keeps its grants on $object"
		: "app is granted nothing on $object, new since 0.1.0");
}
for my $object (sort grep { !exists $app_after{$_} } keys %app_before)
{
	pass("$object of 0.1.0 is gone, with app's grants on it");
}

# What app may run now, without a new GRANT: the functions of 0.1.0, and the new ones PUBLIC may run.
my $may_run_sql = q{
	SELECT p.oid::regprocedure || ' ' || has_function_privilege('app', p.oid, 'EXECUTE')
	  FROM pg_proc AS p WHERE p.pronamespace = 'lucia_auth'::regnamespace ORDER BY 1};
my %public_may_run = map { /^(.*) (\S+)$/ } split /\n/, $node->safe_psql('fresh', q{
	SELECT p.oid::regprocedure || ' '
	       || EXISTS (SELECT FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	                  WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
	  FROM pg_proc AS p WHERE p.pronamespace = 'lucia_auth'::regnamespace});
for my $line (split /\n/, $node->safe_psql('upgraded', $may_run_sql))
{
	my ($function, $may) = $line =~ /^(.*) (\S+)$/;
	my $old = exists $app_before{"function $function"};
	my $granted = $old && $app_before{"function $function"} =~ /EXECUTE/;
	is($may, $granted ? 'true' : $public_may_run{$function},
		$granted ? "app may still run $function"
		: $old ? "app still may not run $function, revoked from it before the update"
		: "app may run $function, new since 0.1.0, only if PUBLIC may ($public_may_run{$function})");
}
is($node->safe_psql('upgraded', q{SELECT has_function_privilege('app', 'lucia_auth.delete_user(text)', 'EXECUTE')}),
	'f', 'delete_user, revoked from app before the update, is still revoked');

# The whole flow of the application on the rows written by 0.1.0, with no new grant.
my $flow = $node->safe_psql('upgraded', $cheap . q{
	SET ROLE app;
	SELECT 'login ' || user_id || ' ' || password_defined FROM lucia_auth.use_key('email', 'user1@example.com', 'password 1');
	SELECT 'login ' || user_id FROM lucia_auth.use_key('phone', '+1 555 0100', 'scrypt password');
	SELECT 'login ' || user_id || ' ' || password_defined FROM lucia_auth.use_key('github', '4242', NULL);
	SELECT 'active ' || state || ' ' || fresh || ' ' || (session_attributes ->> 'country') || ' ' || (user_attributes ->> 'username')
	  FROM lucia_auth.validate_session('active-user-1');
	SELECT 'idle ' || state || ' ' || fresh || ' ' || (session_attributes ->> 'country')
	  FROM lucia_auth.validate_session('idle-user-1');
	SELECT 'renewed ' || state FROM lucia_auth.validate_session('idle-user-1');
	SELECT 'sign-up ' || user_id FROM lucia_auth.create_user('user-new', 'email', 'new@example.com', 'new password', '{"username": "new"}');
	SELECT 'login ' || user_id FROM lucia_auth.use_key('email', 'new@example.com', 'new password');
	SELECT 'created ' || (session_id = 'new-session') FROM lucia_auth.create_session('user-1', '{"country": "DK"}', 'new-session');
	SELECT 'new ' || state || ' ' || (session_attributes ->> 'country') FROM lucia_auth.validate_session('new-session');
	SELECT 'sessions ' || count(*) FROM lucia_auth.get_all_user_sessions('user-1');
	SELECT lucia_auth.invalidate_session('new-session');
	SELECT 'logout ' || count(*) FROM lucia_auth.get_all_user_sessions('user-1');
});
is($flow, join("\n",
		'login user-1 true', 'login user-1', 'login user-2 false',
		'active active false NO user 1', 'idle idle true SE', 'renewed active',
		'sign-up user-new', 'login user-new', 'created true', 'new active DK', 'sessions 3', '', 'logout 2'),
	'app runs the whole flow on the old rows after the update, with no new grant');
my ($rc, $out, $err) = $node->psql('upgraded', q{SET ROLE app; SELECT lucia_auth.validate_session('new-session')});
like($err, qr/AUTH_INVALID_SESSION_ID/, 'the logged-out session is invalid');
($rc, $out, $err) = $node->psql('upgraded', q{SET ROLE app; SELECT lucia_auth.use_key('email', 'user1@example.com', 'wrong')});
like($err, qr/AUTH_INVALID_PASSWORD/, 'a wrong password is refused');
($rc, $out, $err) = $node->psql('upgraded', q{SET ROLE app; SELECT hashed_password FROM user_key});
like($err, qr/permission denied for table user_key/, 'app still cannot read the hashes');
($rc, $out, $err) = $node->psql('upgraded', q{SET ROLE outsider; SELECT lucia_auth.validate_session('active-user-2')});
like($err, qr/permission denied for function validate_session/, 'a role granted nothing still can call nothing');

is($open->query_safe(q{SELECT state || ' ' || user_id FROM lucia_auth.validate_session('active-user-3')}),
	'active user-3', 'the connection opened before the update still validates sessions');
is($open->query_safe(q{SELECT user_id FROM lucia_auth.use_key('email', 'user3@example.com', 'password 3')}),
	'user-3', 'and logs users in');
$open->quit;

# The README's GRANT run again after the update, and the same grants in the fresh install: now every
# privilege is the same, the application role's included.
$node->safe_psql('upgraded', 'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO app');
$node->safe_psql('fresh', q{
	GRANT USAGE ON SCHEMA lucia_auth TO app;
	GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO app;
});
compare_catalogs(describe('upgraded', 1), describe('fresh', 1),
	"the same as a fresh install once the README's GRANT is run again");

# Then the functions new in 0.2.0 work on the rows written by 0.1.0, as the application role.
my $new_flow = $node->safe_psql('upgraded', $cheap . q{
	SET ROLE app;
	BEGIN;
	SELECT 'authenticated ' || user_id FROM lucia_auth.authenticate('active-user-2');
	SELECT 'identity ' || lucia_auth.current_user_id();
	COMMIT;
	SELECT 'no identity ' || (lucia_auth.current_user_id() IS NULL);
	SELECT 'login with a client ' || user_id FROM lucia_auth.use_key('email', 'user4@example.com', 'password 4', '192.0.2.1');
	SELECT 'signed out elsewhere ' || lucia_auth.invalidate_other_sessions('active-user-4');
	SELECT 'swept ' || lucia_auth.delete_expired_sessions();
	SELECT 'hashed ' || (lucia_auth.hash_session_ids() > 0);
	SELECT 'plain ids left ' || lucia_auth.hash_session_ids();
	SELECT 'still valid ' || user_id || ' ' || session_id FROM lucia_auth.validate_session('active-user-5');
});
is($new_flow, join("\n",
		'authenticated user-2', 'identity user-2', 'no identity true', 'login with a client user-4',
		'signed out elsewhere 1', 'swept 0', 'hashed true', 'plain ids left 0', 'still valid user-5 active-user-5'),
	'app runs the functions new in 0.2.0 on the rows written by 0.1.0');

$node->stop;
done_testing();
