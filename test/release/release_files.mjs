// What the release files of a lucia_auth tree say about its version, and where they disagree.
//
// The version of a release is the control file's default_version. META.json (the distribution and
// its extension), the newest heading of CHANGELOG.md and the upstream part of debian/changelog must
// name it, sql/ must hold its install script, and each step between two versions of the changelog
// must have its upgrade script.
import fs from "node:fs";
import path from "node:path";

const semver = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

function read(root, file) {
  const full = path.join(root, file);
  return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : null;
}

// -1, 0 or 1 as version a is older than, the same as, or newer than version b (major.minor.patch).
export function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

// default_version and comment of lucia_auth.control.
export function readControl(root) {
  const text = read(root, "lucia_auth.control");
  if (text === null) return null;
  const value = (name) => {
    const m = text.match(new RegExp(`^\\s*${name}\\s*=\\s*'([^']*)'`, "m"));
    return m ? m[1] : null;
  };
  return { defaultVersion: value("default_version"), comment: value("comment") };
}

// The versions of CHANGELOG.md's "## <version> — …" headings, in the order written.
export function changelogVersions(root) {
  const text = read(root, "CHANGELOG.md");
  if (text === null) return null;
  return [...text.matchAll(/^## (\S+) — \S.*$/gm)].map((m) => m[1]);
}

// The upstream version of the newest entry of debian/changelog: "lucia-auth (1:0.2.0-1) …" → 0.2.0.
export function debianUpstreamVersion(root) {
  const text = read(root, "debian/changelog");
  if (text === null) return null;
  const m = text.match(/^\S+ \(([^)]+)\)/);
  if (!m) return undefined;
  return m[1].replace(/^[0-9]+:/, "").replace(/-[^-]*$/, "");
}

// Every disagreement between the release files of the tree at root, as sentences; [] when none.
export function releaseProblems(root) {
  const problems = [];
  const control = readControl(root);
  if (control === null) return ["lucia_auth.control is missing"];
  const version = control.defaultVersion;
  if (!version || !semver.test(version)) {
    return [`lucia_auth.control: default_version ${JSON.stringify(version)} is not major.minor.patch`];
  }

  const script = `sql/lucia_auth--${version}.sql`;
  if (read(root, script) === null) problems.push(`${script}, the install script of default_version ${version}, is missing`);

  const metaText = read(root, "META.json");
  if (metaText === null) {
    problems.push("META.json is missing");
  } else {
    let meta;
    try {
      meta = JSON.parse(metaText);
    } catch (e) {
      problems.push(`META.json is not JSON: ${e.message}`);
    }
    if (meta) {
      if (meta.version !== version) problems.push(`META.json: version ${meta.version} is not default_version ${version}`);
      const ext = meta.provides && meta.provides.lucia_auth;
      if (!ext) {
        problems.push("META.json: provides has no lucia_auth");
      } else {
        if (ext.version !== version) problems.push(`META.json: provides.lucia_auth.version ${ext.version} is not default_version ${version}`);
        if (ext.file !== script) problems.push(`META.json: provides.lucia_auth.file ${ext.file} is not ${script}`);
        if (ext.abstract !== undefined && ext.abstract !== control.comment) {
          problems.push("META.json: provides.lucia_auth.abstract is not the control file's comment");
        }
      }
      if (meta.abstract !== control.comment) problems.push("META.json: abstract is not the control file's comment");
    }
  }

  const versions = changelogVersions(root);
  if (versions === null) {
    problems.push("CHANGELOG.md is missing");
  } else if (versions.length === 0) {
    problems.push("CHANGELOG.md has no version heading (## <version> — <date>)");
  } else {
    if (versions[0] !== version) problems.push(`CHANGELOG.md: the newest version is ${versions[0]}, not default_version ${version}`);
    for (const v of versions) {
      if (!semver.test(v)) problems.push(`CHANGELOG.md: version ${v} is not major.minor.patch`);
    }
    const valid = versions.filter((v) => semver.test(v));
    for (let i = 0; i + 1 < valid.length; i++) {
      const [newer, older] = [valid[i], valid[i + 1]];
      if (compareVersions(newer, older) <= 0) {
        problems.push(`CHANGELOG.md: ${newer} is listed above ${older} but is not newer`);
        continue;
      }
      const step = `sql/lucia_auth--${older}--${newer}.sql`;
      if (read(root, step) === null) problems.push(`${step}, the upgrade step from ${older} to ${newer}, is missing`);
    }
  }

  const debian = debianUpstreamVersion(root);
  if (debian === null) problems.push("debian/changelog is missing");
  else if (debian === undefined) problems.push("debian/changelog: the first line names no version");
  else if (debian !== version) problems.push(`debian/changelog: upstream version ${debian} is not default_version ${version}`);

  return problems;
}
