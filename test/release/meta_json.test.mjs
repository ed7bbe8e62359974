// META.json is valid PGXN distribution metadata (Meta Spec 1.0.0).
//
// pgxn_meta_v1.schema.json states the spec's rules as JSON Schema and Ajv checks META.json against
// it. So that a schema too lax or too strict cannot pass unnoticed, a document using every field of
// the spec is accepted, and each kind of mistake the spec forbids is refused at the field concerned.
// What a schema cannot say is checked here: the files META.json names are in the tree.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const schema = JSON.parse(fs.readFileSync(path.join(here, "pgxn_meta_v1.schema.json"), "utf8"));
const meta = JSON.parse(fs.readFileSync(path.join(root, "META.json"), "utf8"));

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function errorsOf(doc) {
  return validate(doc) ? [] : validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
}

const minimal = {
  name: "pair",
  abstract: "A key/value pair data type",
  version: "0.1.0",
  maintainer: "A. Maintainer <a@example.org>",
  license: "postgresql",
  provides: { pair: { file: "sql/pair.sql", version: "0.1.0" } },
  "meta-spec": { version: "1.0.0" },
};

// Every field the spec defines, in each of its forms.
const complete = {
  ...minimal,
  description: "A longer description.",
  maintainer: ["A. Maintainer <a@example.org>", "B. Maintainer <b@example.org>"],
  license: { PostgreSQL: "https://www.postgresql.org/about/licence" },
  provides: {
    pair: { file: "sql/pair.sql", docfile: "doc/pair.md", version: "0.1.0", abstract: "Pairs", x_note: 1 },
    pair_ops: { file: "sql/pair_ops.sql", version: "1.2.3-beta.1+build.5" },
  },
  prereqs: {
    configure: { requires: { PostgreSQL: "9.6.0" } },
    build: { requires: { prefix: 0 } },
    test: { recommends: { pgTAP: "0" } },
    runtime: {
      requires: { plpgsql: 0, PostgreSQL: ">= 15.0.0, < 16.0.0" },
      recommends: { PostgreSQL: "== 15.4.0" },
      suggests: { sha1: 0 },
      conflicts: { pair_old: "!= 2.0.0" },
    },
    develop: { suggests: { pgxn_utils: "1.0.0" } },
  },
  no_index: { file: ["sql/private.sql"], directory: "test" },
  release_status: "testing",
  resources: {
    homepage: "https://example.org/pair/",
    bugtracker: { web: "https://example.org/pair/issues", mailto: "bugs@example.org" },
    repository: { url: "https://example.org/pair.git", web: "https://example.org/pair", type: "git" },
    x_chat: "https://example.org/chat",
  },
  generated_by: "hand",
  tags: ["key value", "pair"],
  "meta-spec": { version: "1.0.0", url: "https://pgxn.org/meta/spec.txt" },
  X_custom: { anything: true },
};

test("lucia_auth's META.json is valid PGXN metadata", () => {
  assert.deepEqual(errorsOf(meta), []);
});

test("the files META.json names are in the tree, as relative Unix paths", () => {
  for (const [name, ext] of Object.entries(meta.provides)) {
    for (const key of ["file", "docfile"]) {
      if (ext[key] === undefined) continue;
      assert.ok(!path.isAbsolute(ext[key]) && !ext[key].split("/").includes(".."), `${name}.${key}: ${ext[key]}`);
      const file = path.join(root, ext[key]);
      assert.ok(fs.existsSync(file) && fs.statSync(file).isFile(), `${name}.${key}: ${ext[key]} is not a file`);
    }
  }
  const dirs = meta.no_index?.directory ?? [];
  for (const dir of Array.isArray(dirs) ? dirs : [dirs]) {
    const full = path.join(root, dir);
    assert.ok(fs.existsSync(full) && fs.statSync(full).isDirectory(), `no_index.directory: ${dir} is not a directory`);
  }
});

test("the schema accepts the spec's minimal document and one with every field", () => {
  assert.deepEqual(errorsOf(minimal), []);
  assert.deepEqual(errorsOf(complete), []);
});

// Each case: a change of the minimal document, and the field whose error must be reported.
const mistakes = [
  ["no name", (d) => delete d.name, "/ must have required property 'name'"],
  ["no version", (d) => delete d.version, "/ must have required property 'version'"],
  ["no abstract", (d) => delete d.abstract, "/ must have required property 'abstract'"],
  ["no maintainer", (d) => delete d.maintainer, "/ must have required property 'maintainer'"],
  ["no license", (d) => delete d.license, "/ must have required property 'license'"],
  ["no provides", (d) => delete d.provides, "/ must have required property 'provides'"],
  ["no meta-spec", (d) => delete d["meta-spec"], "/ must have required property 'meta-spec'"],
  ["a one-character name", (d) => (d.name = "p"), "/name"],
  ["a name with a slash", (d) => (d.name = "pa/ir"), "/name"],
  ["a name with white space", (d) => (d.name = "pa ir"), "/name"],
  ["a version that is not semantic", (d) => (d.version = "1.0"), "/version"],
  ["a version with a leading zero", (d) => (d.version = "01.0.0"), "/version"],
  ["a version as a number", (d) => (d.version = 1), "/version"],
  ["an empty abstract", (d) => (d.abstract = ""), "/abstract"],
  ["an empty maintainer list", (d) => (d.maintainer = []), "/maintainer"],
  ["a license the spec does not name", (d) => (d.license = "PostgreSQL"), "/license"],
  ["a license map to something not a URI", (d) => (d.license = { PostgreSQL: "the licence" }), "/license"],
  ["no extension in provides", (d) => (d.provides = {}), "/provides"],
  ["an extension without a file", (d) => delete d.provides.pair.file, "/provides/pair"],
  ["an extension without a version", (d) => delete d.provides.pair.version, "/provides/pair"],
  ["an extension field the spec does not define", (d) => (d.provides.pair.schema = "x"), "/provides/pair"],
  ["an absolute extension file", (d) => (d.provides.pair.file = "/sql/pair.sql"), "/provides/pair/file"],
  ["a meta-spec of another major version", (d) => (d["meta-spec"].version = "2.0.0"), "/meta-spec/version"],
  ["a meta-spec url of another spec", (d) => (d["meta-spec"].url = "https://example.org/spec"), "/meta-spec/url"],
  ["a top-level field the spec does not define", (d) => (d.homepage = "https://example.org"), "/"],
  ["a release status the spec does not name", (d) => (d.release_status = "beta"), "/release_status"],
  ["a tag with a slash", (d) => (d.tags = ["a/b"]), "/tags/0"],
  ["a tag of 256 characters", (d) => (d.tags = ["t".repeat(256)]), "/tags/0"],
  ["a prereq phase the spec does not name", (d) => (d.prereqs = { install: { requires: { x1: 0 } } }), "/prereqs"],
  ["a prereq relationship the spec does not name", (d) => (d.prereqs = { runtime: { needs: { x1: 0 } } }), "/prereqs/runtime"],
  ["a prereq version that is not a range", (d) => (d.prereqs = { runtime: { requires: { PostgreSQL: "15" } } }), "/prereqs/runtime/requires/PostgreSQL"],
  ["a prereq operator the spec does not name", (d) => (d.prereqs = { runtime: { requires: { PostgreSQL: "~> 15.0.0" } } }), "/prereqs/runtime/requires/PostgreSQL"],
  ["a repository url without its type", (d) => (d.resources = { repository: { url: "https://example.org/r.git" } }), "/resources/repository"],
  ["a bugtracker mailto that is not an address", (d) => (d.resources = { bugtracker: { mailto: "bugs" } }), "/resources/bugtracker/mailto"],
  ["a homepage that is not a URI", (d) => (d.resources = { homepage: "example" }), "/resources/homepage"],
  ["an empty no_index", (d) => (d.no_index = {}), "/no_index"],
];

for (const [what, change, where] of mistakes) {
  test(`the schema refuses ${what}`, () => {
    const doc = structuredClone(minimal);
    change(doc);
    const errors = errorsOf(doc);
    assert.ok(
      errors.some((e) => e === where || e.startsWith(`${where} `)),
      `expected an error at ${where}, got: ${JSON.stringify(errors)}`,
    );
  });
}
