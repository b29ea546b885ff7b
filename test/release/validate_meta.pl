#!/usr/bin/perl
# Checks a META.json against the PGXN Meta Spec 1.0.0
# (https://pgxn.org/spec/): the required keys and the type of every key the
# spec defines; each provided extension's file and docfile exist in the tree.
#   perl validate_meta.pl TREE [META.json]
# Prints "ok - ..." or "not ok - ..." per check; exits 1 on any failure.
use strict;
use warnings;
use JSON::PP;
use B;

my ($tree, $file) = @ARGV;
$file //= "$tree/META.json";
my $failed = 0;

sub check {
	my ($good, $what) = @_;
	print(($good ? 'ok' : 'not ok') . " - $what\n");
	$failed++ unless $good;
}

sub is_string { my ($v) = @_; return defined $v && !ref $v && $v ne '' && !(B::svref_2object(\$v)->FLAGS & (B::SVp_IOK() | B::SVp_NOK())) }
sub is_semver { my ($v) = @_; return (is_string($v) && $v =~ /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+)?$/) ? 1 : 0 }
sub is_strings { my ($v) = @_; return ref $v eq 'ARRAY' && @$v && !grep { !is_string($_) } @$v }
sub is_version_map { my ($v) = @_; return ref $v eq 'HASH' && !grep { !(is_semver($v->{$_}) || (defined $v->{$_} && $v->{$_} eq '0')) } keys %$v }

my $text = do { local $/; open my $fh, '<', $file or die "cannot read $file: $!\n"; <$fh> };
my $meta = eval { JSON::PP->new->decode($text) };
check(ref $meta eq 'HASH', "$file is a JSON object") or exit 1;

my %licenses = map { $_ => 1 } qw(agpl_3 apache_1_1 apache_2_0 artistic_1 artistic_2 bsd freebsd
	gfdl_1_2 gfdl_1_3 gpl_1 gpl_2 gpl_3 lgpl_2_1 lgpl_3_0 mit mozilla_1_0 mozilla_1_1 openssl perl_5
	postgresql qpl_1_0 ssleay sun zlib open_source restricted unrestricted unknown);

check(is_string($meta->{name}) && $meta->{name} =~ /^[A-Za-z][A-Za-z0-9_-]*$/, 'name is a distribution name');
check(is_string($meta->{abstract}), 'abstract is a string');
check(is_semver($meta->{version}), 'version is a semantic version');
check(is_string($meta->{maintainer}) || is_strings($meta->{maintainer}), 'maintainer is a string or a list of strings');
my $license = $meta->{license};
check((is_string($license) && $licenses{$license})
	  || (is_strings($license) && !grep { !$licenses{$_} } @$license)
	  || (ref $license eq 'HASH' && scalar(%$license)), 'license is a known licence name, a list of them or a map to URLs');
check(ref $meta->{'meta-spec'} eq 'HASH' && ($meta->{'meta-spec'}{version} // '') eq '1.0.0', 'meta-spec.version is 1.0.0');

my $provides = $meta->{provides};
check(ref $provides eq 'HASH' && scalar(%$provides), 'provides is a non-empty map');
for my $ext (sort keys %{ ref $provides eq 'HASH' ? $provides : {} }) {
	my $p = $provides->{$ext};
	check(ref $p eq 'HASH', "provides.$ext is a map") or next;
	check(is_string($p->{file}) && -f "$tree/$p->{file}", "provides.$ext.file names a file of the tree");
	check(is_semver($p->{version}), "provides.$ext.version is a semantic version");
	check(!defined $p->{docfile} || (is_string($p->{docfile}) && -f "$tree/$p->{docfile}"), "provides.$ext.docfile names a file of the tree");
	check(!defined $p->{abstract} || is_string($p->{abstract}), "provides.$ext.abstract is a string");
}

check(!defined $meta->{description} || is_string($meta->{description}), 'description is a string');
check(!defined $meta->{generated_by} || is_string($meta->{generated_by}), 'generated_by is a string');
check(!defined $meta->{tags} || is_strings($meta->{tags}), 'tags is a list of strings');
check(!defined $meta->{release_status} || ($meta->{release_status} // '') =~ /^(stable|testing|unstable)$/,
	  'release_status is stable, testing or unstable');
check(!defined $meta->{resources} || ref $meta->{resources} eq 'HASH', 'resources is a map');
my $prereqs = $meta->{prereqs};
check(!defined $prereqs || ref $prereqs eq 'HASH', 'prereqs is a map');
for my $phase (sort keys %{ ref $prereqs eq 'HASH' ? $prereqs : {} }) {
	check($phase =~ /^(configure|build|test|runtime|develop)$/ && ref $prereqs->{$phase} eq 'HASH', "prereqs.$phase is a phase map");
	for my $rel (sort keys %{ ref $prereqs->{$phase} eq 'HASH' ? $prereqs->{$phase} : {} }) {
		check($rel =~ /^(requires|recommends|suggests|conflicts)$/ && is_version_map($prereqs->{$phase}{$rel}),
			  "prereqs.$phase.$rel maps names to versions");
	}
}
check(is_semver(($prereqs->{runtime}{requires}{PostgreSQL}) // ''), 'prereqs.runtime.requires names the PostgreSQL version');
exit($failed ? 1 : 0);
