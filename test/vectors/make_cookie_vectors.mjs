// Writes test/core/cookie_vectors.inc: the expected values of the cookie unit tests
// (test/core/cookie_test.cpp), made by JavaScript itself and by Lucia: lucia@2.7.7's parseCookie (as its
// readSessionCookie reads a cookie), readBearerToken and createSessionCookie(session).serialize(), and
// Node's Date.prototype.toUTCString, encodeURIComponent, decodeURIComponent and String.prototype.trim.
// The C++ test compares lucia_auth's core with these tables, so they must never be computed by C++.
//
// Run from a folder where lucia@2.7.7 is installed (the interop project has it):
//   cd interop && npm ci && node ../test/vectors/make_cookie_vectors.mjs > ../test/core/cookie_vectors.inc
// Inputs are byte strings, as the C++ test passes them: "\xc3\xa9" stands for the two UTF-8 bytes of
// "é". Each input is read as UTF-8 for JavaScript, and each output written back as UTF-8.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { readFileSync } from "node:fs";

const require = createRequire(path.join(process.cwd(), "package.json"));
const { lucia } = await import(pathToFileURL(require.resolve("lucia")).href);
const { parseCookie } = await import(pathToFileURL(require.resolve("lucia/utils")).href);
const luciaEntry = require.resolve("lucia");
const luciaPackage = path.join(luciaEntry.slice(0, luciaEntry.lastIndexOf("/dist/")), "package.json");
const luciaVersion = JSON.parse(readFileSync(luciaPackage, "utf8")).version;

// ---------------------------------------------------------------------------------------------------
// Inputs

// [Cookie header, cookie name]
const cookieInputs = [
  ["a=1; auth_session=abc; b=2", "auth_session"],
  ["auth_session=abc", "auth_session"],
  ["auth_session=first; auth_session=second", "auth_session"],
  ["auth_session=; auth_session=second", "auth_session"],
  ["auth_session = first;auth_session=second", "auth_session"],
  ["xauth_session=1; auth_session_x=2; auth_session=3", "auth_session"],
  ["xauth_session=1; auth_session_x=2; auth_sessio=3", "auth_session"],
  ["auth_session_x=1; auth_session=2", "auth_session"],
  ["auth_session2=x", "auth_session"],
  ["Auth_Session=abc", "auth_session"],
  ["  auth_session  =  abc  ; x=1", "auth_session"],
  ["\x09auth_session\x09=\x09abc\x09;\x09x=1", "auth_session"],
  ["\xc2\xa0auth_session\xc2\xa0=\xc2\xa0abc\xc2\xa0", "auth_session"],
  ["\xef\xbb\xbfauth_session\xef\xbb\xbf=\xef\xbb\xbfabc\xef\xbb\xbf", "auth_session"],
  ["\xe3\x80\x80auth_session\xe2\x80\xa8=\xe2\x80\xa9abc\xe2\x81\x9f\xe1\x9a\x80", "auth_session"],
  ["auth_session=\x0d\x0aabc\x0d\x0a", "auth_session"],
  ["auth_session=\xc2\x85abc\xc2\x85", "auth_session"],
  ["auth_session=\xe1\xa0\x8eabc\xe2\x80\x8b", "auth_session"],
  ["\xc2\x85auth_session=abc", "auth_session"],
  ["auth_session=a b\x09c", "auth_session"],
  ["auth_session=\"abc\"", "auth_session"],
  ["auth_session= \"abc\" ", "auth_session"],
  ["auth_session=\" abc \"", "auth_session"],
  ["auth_session=\"", "auth_session"],
  ["auth_session=\"\"", "auth_session"],
  ["auth_session=\"abc", "auth_session"],
  ["auth_session=abc\"", "auth_session"],
  ["auth_session=a\"b\"", "auth_session"],
  ["auth_session=\"ab\xc3\xa9", "auth_session"],
  ["auth_session=\"ab\xe2\x82\xac", "auth_session"],
  ["auth_session=\"\xc3\xa9", "auth_session"],
  ["auth_session=\"%41%42\"", "auth_session"],
  ["auth_session=\"\"abc\"\"", "auth_session"],
  ["flag; auth_session=abc", "auth_session"],
  ["flag;auth_session=abc;other", "auth_session"],
  ["a; b; auth_session=x", "auth_session"],
  ["x;y;z=1;auth_session=2", "auth_session"],
  ["auth_session; auth_session=2", "auth_session"],
  ["auth_session", "auth_session"],
  ["auth_session;x=1", "auth_session"],
  [";;auth_session=abc;;", "auth_session"],
  ["a=1;;b;auth_session=x;", "auth_session"],
  ["auth_session=a=b=c", "auth_session"],
  ["auth_session==", "auth_session"],
  ["auth_session=", "auth_session"],
  ["auth_session=  ", "auth_session"],
  ["auth_session=;", "auth_session"],
  ["=abc; auth_session=def", "auth_session"],
  ["=abc", ""],
  ["a=1; =2", ""],
  ["auth_session=abc;", "auth_session"],
  ["auth_session=%41%42%43", "auth_session"],
  ["auth_session=%c3%a9%C3%A9", "auth_session"],
  ["auth_session=%F0%9F%98%80", "auth_session"],
  ["auth_session=%E2%82%AC", "auth_session"],
  ["auth_session=%EF%BB%BF", "auth_session"],
  ["auth_session=%20abc%20", "auth_session"],
  ["auth_session=%22abc%22", "auth_session"],
  ["auth_session=%3B%3D%25", "auth_session"],
  ["auth_session=a+b", "auth_session"],
  ["auth_session=%zz", "auth_session"],
  ["auth_session=%", "auth_session"],
  ["auth_session=%2", "auth_session"],
  ["auth_session=%25", "auth_session"],
  ["auth_session=abc%", "auth_session"],
  ["auth_session=%41%", "auth_session"],
  ["auth_session=%E0%A4%A", "auth_session"],
  ["auth_session=%E0%A4", "auth_session"],
  ["auth_session=%C0%80", "auth_session"],
  ["auth_session=%C1%BF", "auth_session"],
  ["auth_session=%E0%80%80", "auth_session"],
  ["auth_session=%F0%80%80%80", "auth_session"],
  ["auth_session=%ED%A0%80", "auth_session"],
  ["auth_session=%ED%BF%BF", "auth_session"],
  ["auth_session=%ED%9F%BF", "auth_session"],
  ["auth_session=%EE%80%80", "auth_session"],
  ["auth_session=%F4%8F%BF%BF", "auth_session"],
  ["auth_session=%F4%90%80%80", "auth_session"],
  ["auth_session=%F5%80%80%80", "auth_session"],
  ["auth_session=%F8%88%80%80%80", "auth_session"],
  ["auth_session=%FF", "auth_session"],
  ["auth_session=%80", "auth_session"],
  ["auth_session=%BF%41", "auth_session"],
  ["auth_session=%C3", "auth_session"],
  ["auth_session=%C3%", "auth_session"],
  ["auth_session=%C3A9", "auth_session"],
  ["auth_session=%C3%41", "auth_session"],
  ["auth_session=%C3%C3%A9", "auth_session"],
  ["auth_session=%41%zz", "auth_session"],
  ["auth_session=%g1", "auth_session"],
  ["auth_session=%1g", "auth_session"],
  ["auth_session=%00%zz", "auth_session"],
  ["auth_session=h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\x96\xe7\x95\x8c", "auth_session"],
  ["auth_session=caf%C3%A9 \xc3\xa9", "auth_session"],
  ["caf\xc3\xa9=1; auth_session=2", "caf\xc3\xa9"],
  ["other=1", "auth_session"],
  ["", "auth_session"],
  ["   ", "auth_session"],
  [";", "auth_session"],
  ["sid=abc; auth_session=def", "sid"],
  ["my cookie=1", "my cookie"],
  ["a=1; b=\"2\"; c=%33", "c"],
  ["auth_session=%00", "auth_session"],
  ["auth_session=a%00b", "auth_session"],
  ["auth_session=\"%00\"", "auth_session"],
];

// Authorization headers
const bearerInputs = [
  "Bearer abc",
  "Bearer",
  "Bearer ",
  "Bearer  abc",
  "bearer abc",
  "BEARER abc",
  "Bearer abc def",
  "Bearer abc ",
  "Basic abc",
  "",
  " Bearer abc",
  "Bearer\x09abc",
  "Bearer\xc2\xa0abc",
  "Bearer abc\x09def",
  "Bearerabc",
  "Bearer \xc3\xa9\xf0\x9f\x98\x80",
  "Bearer a=b;c",
  "Bearer a b c",
  "Bearer abc def ghi",
  "Bearer  ",
  "Bearer   abc",
];

// Milliseconds since the epoch
const dateInputs = [
  0, 1, -1, 999, 1000, -1000, -1001, 59999, 60000, 3599999, 86399999, 86400000, -86400000, -86400001,
  951782400000, 951868799999, 951868800000, 1709164800000, 1709251199999, 1709251200000, 4107456000000,
  4107542400000, -2203891200000, 1700000000000, 2147483647000, 2147483648000, 4294967296000,
  -62198755200000, -62167219200000, -62167219200001, -62135596800000, -62135596800001, -62162035200000,
  253402300799999, 253402300800000, 253402387200000, 3093527980800000, 8640000000000000, 8639999999999999,
  -8640000000000000, -8639999999999999, 2681061957478523, -3372808227539062, 2289314575195312,
  8568825073242188, 3101094360351562, 2991571655273437, -5655778198242188, 6621213283538818,
  3581691970825195, 5659797134399414, 4137166213989258, -2803822860717773, 2351168632507, -2462319374084,
  638972520828, -2129903793334, -2328412771224, 2300588130950, 2970451354980, 2751899719238,
];

// [cookie name, session id or null (no session), idle_expires, secure (env "PROD")]
const sessionCookieInputs = [
  ["auth_session", null, 1700000000000, true],
  ["auth_session", "abcdefghijklmnopqrstuvwxyz0123456789abcd", 1700000000000, true],
  ["auth_session", "abc", 0, true],
  ["auth_session", "a b;c=d,e\"f", -1, true],
  ["auth_session", "\xc3\xa9\xf0\x9f\x98\x80", 1709164800000, true],
  ["auth_session", "", 253402300800000, true],
  ["auth_session", "!'()*-._~", 8640000000000000, true],
  ["auth_session", null, 1700000000000, false],
  ["auth_session", "abcdefghijklmnopqrstuvwxyz0123456789abcd", 1709164800000, false],
  ["auth_session", "abc", 253402300800000, false],
  ["auth_session", "a b;c=d,e\"f", 8640000000000000, false],
  ["auth_session", "\xc3\xa9\xf0\x9f\x98\x80", -8640000000000000, false],
  ["auth_session", "", -62198755200000, false],
  ["auth_session", "!'()*-._~", 1, false],
  ["sid", null, 1700000000000, true],
  ["sid", "abcdefghijklmnopqrstuvwxyz0123456789abcd", 0, true],
  ["sid", "abc", -1, true],
  ["sid", "a b;c=d,e\"f", 1709164800000, true],
  ["sid", "\xc3\xa9\xf0\x9f\x98\x80", 253402300800000, true],
  ["sid", "", 8640000000000000, true],
  ["sid", "!'()*-._~", -8640000000000000, true],
  ["sid", null, 1700000000000, false],
  ["sid", "abcdefghijklmnopqrstuvwxyz0123456789abcd", 253402300800000, false],
  ["sid", "abc", 8640000000000000, false],
  ["sid", "a b;c=d,e\"f", -8640000000000000, false],
  ["sid", "\xc3\xa9\xf0\x9f\x98\x80", -62198755200000, false],
  ["sid", "", 1, false],
  ["sid", "!'()*-._~", 1700000000000, false],
];

// Text for encodeURIComponent: every ASCII character alone, the printable and the control characters
// together, code points at the edges of each UTF-8 length and lead byte, a spread of code points over
// every plane (so that every byte value appears as a lead and as a continuation byte), and mixed text.
const encodeInputs = [];
for (let c = 0; c < 0x80; c++) encodeInputs.push(String.fromCharCode(c));
let printable = "";
for (let c = 0x20; c < 0x7f; c++) printable += String.fromCharCode(c);
let control = "";
for (let c = 0x01; c < 0x20; c++) control += String.fromCharCode(c);
encodeInputs.push(printable, control + "\x7f");
const codePoints = new Set([0x80, 0xbf, 0xc0, 0xff, 0x7ff, 0x800, 0xfff, 0x1000, 0xcfff, 0xd000, 0xd7ff,
                            0xe000, 0xfeff, 0xfffd, 0xffff, 0x10000, 0x3ffff, 0x40000, 0xfffff, 0x100000,
                            0x10ffff]);
for (let cp = 0x80; cp < 0xc0; cp++) codePoints.add(cp); // every continuation byte, after C2
for (let lead = 0xc2; lead <= 0xdf; lead++) codePoints.add((lead - 0xc0) << 6);
for (let lead = 0xe1; lead <= 0xef; lead++) codePoints.add((lead - 0xe0) << 12);
for (let lead = 0xf1; lead <= 0xf4; lead++) codePoints.add((lead - 0xf0) << 18);
for (let cp = 0x80; cp < 0x800; cp += 61) codePoints.add(cp);
for (let cp = 0x800; cp < 0x10000; cp += 1021) if (cp < 0xd800 || cp > 0xdfff) codePoints.add(cp);
for (let cp = 0x10000; cp < 0x110000; cp += 16411) codePoints.add(cp);
for (const cp of [...codePoints].sort((a, b) => a - b)) encodeInputs.push(String.fromCodePoint(cp));
encodeInputs.push(
  fromBytes("\xc2\x80"),
  fromBytes("\xc2\xa0"),
  fromBytes("\xc3\xa9"),
  fromBytes("\xdf\xbf"),
  fromBytes("\xe0\xa0\x80"),
  fromBytes("\xe2\x82\xac"),
  fromBytes("\xed\x9f\xbf"),
  fromBytes("\xee\x80\x80"),
  fromBytes("\xef\xbb\xbf"),
  fromBytes("\xef\xbf\xbf"),
  fromBytes("\xf0\x90\x80\x80"),
  fromBytes("\xf0\x9f\x98\x80"),
  fromBytes("\xf4\x8f\xbf\xbf"),
  fromBytes("h\xc3\xa9llo w\xc3\xb6rld \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80!"),
  fromBytes("a b+c&d=e/f?g#h%i"),
);

// Text for decodeURIComponent
const decodeInputs = [
  "",
  "abc",
  "%41",
  "%4a%4A",
  "%25",
  "%2525",
  "%00",
  "a%00b",
  "%7F",
  "%C2%80",
  "%c2%a0",
  "%DF%BF",
  "%E0%A0%80",
  "%EF%BF%BF",
  "%EF%BB%BF",
  "%F0%90%80%80",
  "%F4%8F%BF%BF",
  "%ED%9F%BF",
  "%EE%80%80",
  "%F0%9F%98%80",
  "%",
  "%4",
  "a%",
  "%zz",
  "%G0",
  "%0G",
  "%80",
  "%BF",
  "%C0%80",
  "%C1%BF",
  "%E0%80%80",
  "%E0%9F%BF",
  "%ED%A0%80",
  "%ED%BF%BF",
  "%F0%80%80%80",
  "%F0%8F%BF%BF",
  "%F4%90%80%80",
  "%F5%80%80%80",
  "%F8%88%80%80%80",
  "%FC%84%80%80%80%80",
  "%FE",
  "%FF",
  "%C3",
  "%C3%",
  "%C3%A",
  "%C3A9",
  "%C3%41",
  "%C3%C3%A9",
  "%E0%A4%A",
  "%E0%A4",
  "%E0%A4%",
  "%F0%9F%98",
  "%F0%9F%98%",
  "%F0%9F%98%8",
  "%E2%82%ACx",
  "+",
  "caf\xc3\xa9%20\xf0\x9f\x98\x80",
  "%e2%82%ac",
];

// Text for String.prototype.trim
const trimInputs = [
  "",
  " ",
  "  abc  ",
  "\x09\x0a\x0b\x0c\x0d abc \x0d\x0c\x0b\x0a\x09",
  "\xc2\xa0\xef\xbb\xbfa b\xe3\x80\x80",
  "a\xc2\xa0b",
  "\xc2\x85x\xc2\x85",
  "\xe2\x80\x8bx\xe2\x80\x8b",
  "\xe1\xa0\x8ex\xe1\xa0\x8e",
  "\xe2\x80\x80\xe2\x80\x8ax\xe2\x80\x89\xe2\x80\xaf",
  "x",
  "\xc3\xa9 ",
  " \xf0\x9f\x98\x80",
];

// ---------------------------------------------------------------------------------------------------
// Outputs

function fromBytes(bytes) {
  const text = Buffer.from(bytes, "latin1").toString("utf8");
  if (Buffer.from(text, "utf8").toString("latin1") !== bytes) {
    throw new Error(`not UTF-8: ${JSON.stringify(bytes)}`);
  }
  return text;
}

// A C++ string_view literal of the UTF-8 bytes of text.
function cpp(text) {
  if (text === null || text === undefined) return "std::nullopt";
  if (!text.isWellFormed()) throw new Error(`not well-formed: ${JSON.stringify(text)}`);
  let out = "\"";
  let escaped = false;
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    if (byte === 0x22 || byte === 0x5c) {
      out += "\\" + c;
      escaped = false;
    } else if (byte >= 0x20 && byte < 0x7f) {
      // A hex digit right after a \x escape would belong to the escape: start a new literal.
      if (escaped && /[0-9a-fA-F]/.test(c)) out += "\" \"";
      out += c;
      escaped = false;
    } else {
      out += "\\x" + byte.toString(16).padStart(2, "0");
      escaped = true;
    }
  }
  return out + "\"sv";
}

const lines = [];
const table = (declaration, rows) => {
  lines.push("", `${declaration} = {`);
  for (const row of rows) lines.push(`    {${row.join(", ")}},`);
  lines.push("};");
};

const readSessionCookie = (header, name) => parseCookie(header)[name] ?? null;
table("const CookieVector kCookieVectors[]",
      cookieInputs.map(([header, name]) => [cpp(fromBytes(header)), cpp(fromBytes(name)),
                                            cpp(readSessionCookie(fromBytes(header), fromBytes(name)))]));

// A Lucia instance that is never asked to reach a database.
const auth = (env, name) =>
  lucia({ adapter: () => ({}), env, ...(name === "auth_session" ? {} : { sessionCookie: { name } }) });
table("const BearerVector kBearerVectors[]",
      bearerInputs.map((header) => [cpp(fromBytes(header)),
                                    cpp(auth("DEV", "auth_session").readBearerToken(fromBytes(header)))]));

table("const HttpDateVector kHttpDateVectors[]",
      dateInputs.map((ms) => [`${ms}LL`, cpp(new Date(ms).toUTCString())]));

table("const SessionCookieVector kSessionCookieVectors[]",
      sessionCookieInputs.map(([name, sessionId, idleExpires, secure]) => {
        const session = sessionId === null
          ? null
          : { sessionId: fromBytes(sessionId), idlePeriodExpiresAt: new Date(idleExpires) };
        const cookie = auth(secure ? "PROD" : "DEV", name).createSessionCookie(session).serialize();
        return [cpp(name), cpp(session?.sessionId), `${idleExpires}LL`, String(secure), cpp(cookie)];
      }));

table("const EncodeVector kEncodeVectors[]",
      [...new Set(encodeInputs)].map((text) => {
        const encoded = encodeURIComponent(text);
        if (decodeURIComponent(encoded) !== text) throw new Error(`no round trip: ${JSON.stringify(text)}`);
        return [cpp(text), cpp(encoded)];
      }));

const decodeOrNull = (text) => {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
};
table("const DecodeVector kDecodeVectors[]",
      decodeInputs.map((text) => [cpp(fromBytes(text)), cpp(decodeOrNull(fromBytes(text)))]));

table("const TrimVector kTrimVectors[]",
      trimInputs.map((text) => [cpp(fromBytes(text)), cpp(fromBytes(text).trim())]));

const whitespace = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  if (String.fromCodePoint(cp).trim() === "") whitespace.push(cp);
}
lines.push("", "// Every code point that String.prototype.trim removes, as UTF-8.",
           "const std::string_view kJsWhitespace[] = {");
for (const cp of whitespace) {
  lines.push(`    ${cpp(String.fromCodePoint(cp))},  // U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
}
lines.push("};");

process.stdout.write(
  [`// Generated by test/vectors/make_cookie_vectors.mjs with lucia@${luciaVersion} and Node ${process.version}:`,
   "// what Lucia and JavaScript return for the inputs of the cookie unit tests. Do not edit by hand: run the",
   "// script again. Included by test/core/cookie_test.cpp, which declares the row types.",
   "// clang-format off",
   ...lines, "// clang-format on", ""].join("\n"));
