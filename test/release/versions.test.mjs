// The release files name one version: the control file's default_version is the version of
// META.json and of its extension, the newest of CHANGELOG.md and the upstream version of
// debian/changelog; sql/ holds its install script and an upgrade script for each step between two
// versions of the changelog. Each kind of disagreement is made in a copy of the files and must be
// reported, so that the check of the real tree can fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { releaseProblems, readControl, changelogVersions } from "./release_files.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const files = ["lucia_auth.control", "META.json", "CHANGELOG.md", "debian/changelog"];

test("the release files of the tree agree", () => {
  assert.deepEqual(releaseProblems(root), []);
});

test("CHANGELOG.md's newest entry is unreleased exactly when debian/changelog's is", () => {
  const changelog = fs.readFileSync(path.join(root, "CHANGELOG.md"), "utf8");
  const newest = changelog.match(/^## \S+ — (.*)$/m)[1];
  const debian = fs.readFileSync(path.join(root, "debian/changelog"), "utf8").split("\n")[0];
  const distribution = debian.match(/^\S+ \([^)]+\) ([^;]+);/)[1];
  assert.equal(newest === "unreleased", distribution === "UNRELEASED", `${newest} / ${distribution}`);
  if (newest !== "unreleased") assert.match(newest, /^\d{4}-\d{2}-\d{2}$/);
});

// A copy of the release files and of sql/, changed by edit(dir), and the problems found in it.
function problemsAfter(edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lucia_auth_release."));
  try {
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(dir, file));
    }
    fs.cpSync(path.join(root, "sql"), path.join(dir, "sql"), { recursive: true });
    assert.deepEqual(releaseProblems(dir), [], "the unchanged copy agrees");
    edit(dir);
    return releaseProblems(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function replaceIn(dir, file, from, to) {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, "utf8");
  assert.ok(from.test(text), `${file} matches ${from}`);
  fs.writeFileSync(full, text.replace(from, to));
}

function editJson(dir, file, change) {
  const full = path.join(dir, file);
  const doc = JSON.parse(fs.readFileSync(full, "utf8"));
  change(doc);
  fs.writeFileSync(full, JSON.stringify(doc, null, 2));
}

const version = readControl(root).defaultVersion;
const versions = changelogVersions(root);

test("a new default_version alone is reported by every file that names the version", () => {
  const problems = problemsAfter((dir) =>
    replaceIn(dir, "lucia_auth.control", /^default_version = '.*'$/m, "default_version = '9.9.9'"),
  );
  assert.deepEqual(problems, [
    "sql/lucia_auth--9.9.9.sql, the install script of default_version 9.9.9, is missing",
    `META.json: version ${version} is not default_version 9.9.9`,
    `META.json: provides.lucia_auth.version ${version} is not default_version 9.9.9`,
    `META.json: provides.lucia_auth.file sql/lucia_auth--${version}.sql is not sql/lucia_auth--9.9.9.sql`,
    `CHANGELOG.md: the newest version is ${version}, not default_version 9.9.9`,
    `debian/changelog: upstream version ${version} is not default_version 9.9.9`,
  ]);
});

test("a default_version that is not major.minor.patch", () => {
  const problems = problemsAfter((dir) =>
    replaceIn(dir, "lucia_auth.control", /^default_version = '.*'$/m, "default_version = '0.2'"),
  );
  assert.deepEqual(problems, ['lucia_auth.control: default_version "0.2" is not major.minor.patch']);
});

test("the install script of default_version missing", () => {
  const problems = problemsAfter((dir) => fs.rmSync(path.join(dir, `sql/lucia_auth--${version}.sql`)));
  assert.deepEqual(problems, [`sql/lucia_auth--${version}.sql, the install script of default_version ${version}, is missing`]);
});

test("META.json's version, its extension's version, file or abstract changed alone", () => {
  assert.deepEqual(
    problemsAfter((dir) => editJson(dir, "META.json", (m) => (m.version = "9.9.9"))),
    [`META.json: version 9.9.9 is not default_version ${version}`],
  );
  assert.deepEqual(
    problemsAfter((dir) => editJson(dir, "META.json", (m) => (m.provides.lucia_auth.version = "9.9.9"))),
    [`META.json: provides.lucia_auth.version 9.9.9 is not default_version ${version}`],
  );
  assert.deepEqual(
    problemsAfter((dir) => editJson(dir, "META.json", (m) => (m.provides.lucia_auth.file = "sql/lucia_auth.sql"))),
    [`META.json: provides.lucia_auth.file sql/lucia_auth.sql is not sql/lucia_auth--${version}.sql`],
  );
  assert.deepEqual(
    problemsAfter((dir) => editJson(dir, "META.json", (m) => (m.abstract = "Something else"))),
    ["META.json: abstract is not the control file's comment"],
  );
  assert.deepEqual(
    problemsAfter((dir) => editJson(dir, "META.json", (m) => delete m.provides.lucia_auth)),
    ["META.json: provides has no lucia_auth"],
  );
});

test("CHANGELOG.md's newest version changed, or its versions out of order", () => {
  assert.deepEqual(
    problemsAfter((dir) => replaceIn(dir, "CHANGELOG.md", /^## \S+ —/m, "## 9.9.9 —")),
    [
      `CHANGELOG.md: the newest version is 9.9.9, not default_version ${version}`,
      `sql/lucia_auth--${versions[1]}--9.9.9.sql, the upgrade step from ${versions[1]} to 9.9.9, is missing`,
    ],
  );
  assert.deepEqual(
    problemsAfter((dir) => replaceIn(dir, "CHANGELOG.md", /^## (\S+) —/m, "## 0.0.1 —")),
    [
      `CHANGELOG.md: the newest version is 0.0.1, not default_version ${version}`,
      `CHANGELOG.md: 0.0.1 is listed above ${versions[1]} but is not newer`,
    ],
  );
  assert.deepEqual(
    problemsAfter((dir) => replaceIn(dir, "CHANGELOG.md", /^## \S+ —.*$/gm, "## Changes")),
    ["CHANGELOG.md has no version heading (## <version> — <date>)"],
  );
});

test("an upgrade step between two versions of the changelog missing", () => {
  const step = `sql/lucia_auth--${versions[1]}--${versions[0]}.sql`;
  assert.deepEqual(problemsAfter((dir) => fs.rmSync(path.join(dir, step))), [
    `${step}, the upgrade step from ${versions[1]} to ${versions[0]}, is missing`,
  ]);
});

test("debian/changelog's version changed, with or without an epoch and revision", () => {
  assert.deepEqual(
    problemsAfter((dir) => replaceIn(dir, "debian/changelog", /^(\S+) \([^)]*\)/, "$1 (1:9.9.9-3)")),
    [`debian/changelog: upstream version 9.9.9 is not default_version ${version}`],
  );
  assert.deepEqual(
    problemsAfter((dir) => replaceIn(dir, "debian/changelog", /^(\S+) \([^)]*\)/, `$1 (2:${version}-7)`)),
    [],
  );
});

test("a release file missing", () => {
  for (const file of ["META.json", "CHANGELOG.md", "debian/changelog"]) {
    assert.deepEqual(
      problemsAfter((dir) => fs.rmSync(path.join(dir, file))),
      [`${file} is missing`],
    );
  }
});
