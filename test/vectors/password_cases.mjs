// The passwords that both vector scripts hash (make_password_vectors.mjs, make_import_vectors.mjs), and
// how they write a string as an SQL literal.

export const sqlString = (s) => "'" + s.replaceAll("'", "''") + "'";

// name, password as a SQL expression, password as a JS string
export const cases = [
  ["ascii", "'correct horse battery staple'", "correct horse battery staple"],
  ["empty", "''", ""],
  ["quote", "'it''s a pa$$word'", "it's a pa$$word"],
  ["latin", "'pässwörd✓'", "pässwörd✓"],
  ["emoji", "'🔐 clé 鍵'", "🔐 clé 鍵"],
  ["ligature", "'ﬁancé'", "ﬁancé"],
  ["angstrom", "U&'\\212B'", "\u212B"],
  ["combining", "U&'A\\030A'", "A\u030A"],
  ["long_ascii", "repeat('ab', 5000)", "ab".repeat(5000)],
  ["long_multibyte", "repeat('ü', 10000)", "ü".repeat(10000)],
];
