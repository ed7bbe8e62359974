/*
 * bind-query: runs one SQL statement with bind parameters and prints its result as psql does.
 *
 *   bind-query 'SELECT * FROM lucia_auth.use_key($1, $2, $3)' email ada@example.com @DEMO_PASSWORD
 *
 * The demo uses it for every statement that carries a password or a session id, so that these travel
 * as parameters of the protocol and never in the SQL text (psql 15 cannot bind parameters). A value
 * written @NAME is read from the environment variable NAME and not printed. It connects as libpq
 * does by default (PGHOST, PGPORT, PGUSER, PGDATABASE). It prints the statement, its parameters and
 * its result, or its error; it exits 1 when the statement fails.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Display width of UTF-8 text: one column per character. */
static int width(const char* s) {
  int w = 0;

  for (; *s; s++)
    if (((unsigned char)*s & 0xc0) != 0x80) w++;
  return w;
}

static void pad(int n) {
  while (n-- > 0) putchar(' ');
}

/* int2, int4, int8, float4, float8, numeric: right-aligned, as psql aligns them. */
static int is_number(Oid type) {
  return type == 21 || type == 23 || type == 20 || type == 700 || type == 701 || type == 1700;
}

static void print_table(PGresult* res) {
  int rows = PQntuples(res);
  int cols = PQnfields(res);
  int* widths = calloc(cols > 0 ? cols : 1, sizeof(int));

  for (int c = 0; c < cols; c++) {
    widths[c] = width(PQfname(res, c));
    for (int r = 0; r < rows; r++)
      if (width(PQgetvalue(res, r, c)) > widths[c]) widths[c] = width(PQgetvalue(res, r, c));
  }
  for (int c = 0; c < cols; c++) {
    int w = width(PQfname(res, c));

    printf(c ? "| " : " ");
    pad((widths[c] - w) / 2);
    printf("%s", PQfname(res, c));
    pad(widths[c] - w - (widths[c] - w) / 2);
    printf(c < cols - 1 ? " " : "\n");
  }
  for (int c = 0; c < cols; c++) {
    printf(c ? "+" : "");
    for (int i = 0; i < widths[c] + 2; i++) putchar('-');
  }
  printf("\n");
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < cols; c++) {
      const char* value = PQgetvalue(res, r, c);
      int fill = widths[c] - width(value);

      printf(c ? "| " : " ");
      if (is_number(PQftype(res, c))) pad(fill);
      printf("%s", value);
      if (!is_number(PQftype(res, c)) && c < cols - 1) pad(fill);
      printf(c < cols - 1 ? " " : "\n");
    }
  }
  printf("\n");
  free(widths);
}

int main(int argc, char** argv) {
  PGconn* conn;
  PGresult* res;
  const char** values;
  int nparams = argc - 2;
  int status = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: %s SQL [VALUE | @ENVIRONMENT_VARIABLE ...]\n", argv[0]);
    return 2;
  }
  values = calloc(nparams > 0 ? nparams : 1, sizeof(char*));
  for (int i = 0; i < nparams; i++) {
    const char* arg = argv[i + 2];

    values[i] = arg[0] == '@' ? getenv(arg + 1) : arg;
    if (values[i] == NULL) {
      fprintf(stderr, "%s: environment variable %s is not set\n", argv[0], arg + 1);
      return 2;
    }
  }

  /* What is sent: the statement, and each parameter beside it. */
  printf("sent: %s\n", argv[1]);
  for (int i = 0; i < nparams; i++) {
    const char* arg = argv[i + 2];

    printf(i ? ", " : "      with ");
    if (arg[0] == '@')
      printf("$%d = $%s", i + 1, arg + 1);
    else
      printf("$%d = '%s'", i + 1, arg);
  }
  printf(nparams ? "\n\n" : "\n");

  conn = PQconnectdb("");
  if (PQstatus(conn) != CONNECTION_OK) {
    fprintf(stderr, "%s: %s", argv[0], PQerrorMessage(conn));
    return 2;
  }
  res = PQexecParams(conn, argv[1], nparams, NULL, values, NULL, NULL, 0);
  if (PQresultStatus(res) == PGRES_TUPLES_OK && PQnfields(res) == 1 && PQftype(res, 0) == 2278)
    printf("\n"); /* a function returning void: nothing to show */
  else if (PQresultStatus(res) == PGRES_TUPLES_OK)
    print_table(res);
  else if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    printf("ERROR:  %s (SQLSTATE %s)\n\n", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
           PQresultErrorField(res, PG_DIAG_SQLSTATE));
    status = 1;
  }
  PQclear(res);
  PQfinish(conn);
  free(values);
  return status;
}
