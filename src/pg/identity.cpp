// authenticate and current_user_id: the signed-in user as the identity of the transaction.
#include "pg/identity.hpp"

extern "C" {
#include "access/parallel.h"
#include "utils/builtins.h"
#include "utils/guc.h"
}

#include "pg/boundary.hpp"
#include "pg/session_reader.hpp"

namespace lucia::pg {

namespace {

using core::ErrorCode;

constexpr char kIdentitySetting[] = "lucia_auth.authenticated_user_id";

// The setting's value: the user id, or nullptr when the transaction has no identity (its boot value,
// and what RESET and the end of the transaction give back). A user id may be the empty string.
char* identity = nullptr;

// True only while SetIdentity assigns the setting.
bool assigning_identity = false;

// Accepts a value only from SetIdentity, from the leader while a parallel worker restores the leader's
// settings (which SetIdentity's source marks: a worker starting up also applies the role's and the
// database's settings, and the configuration file's), and the boot value as PostgreSQL defines or
// re-initializes the setting. So SET, SET LOCAL, set_config(), a function's SET clause, ALTER
// ROLE/DATABASE … SET, ALTER SYSTEM, postgresql.conf and connection options are all refused, for
// superusers too; RESET (which PostgreSQL does without asking the hook, and only superusers may do) can
// only take the identity away.
bool CheckIdentity(char** newval, void** extra, GucSource source) {
  if (assigning_identity || (InitializingParallelWorker && source == PGC_S_SESSION)) return true;
  if (source == PGC_S_DEFAULT && *newval == nullptr) return true;
  GUC_check_errcode(ERRCODE_INSUFFICIENT_PRIVILEGE);
  GUC_check_errmsg("parameter \"%s\" can only be set by lucia_auth.authenticate()", kIdentitySetting);
  return false;
}

// Assigns value (nullptr: no identity) as SET LOCAL does.
void AssignIdentity(const char* value) {
  assigning_identity = true;
  PG_TRY();
  {
    (void)set_config_option(kIdentitySetting, value, PGC_SUSET, PGC_S_SESSION, GUC_ACTION_LOCAL, true, ERROR,
                            false);
  }
  PG_FINALLY();
  { assigning_identity = false; }
  PG_END_TRY();
}

}  // namespace

void DefineIdentitySetting() {
  // Hidden from SHOW ALL and pg_settings (so UPDATE pg_settings finds no row), left alone by RESET ALL
  // and DISCARD ALL, refused in configuration files and by ALTER SYSTEM.
  DefineCustomStringVariable(
      kIdentitySetting, "The user signed in by lucia_auth.authenticate() in this transaction.",
      "Set only by lucia_auth.authenticate(); read it with lucia_auth.current_user_id().", &identity, nullptr,
      PGC_SUSET, GUC_NO_SHOW_ALL | GUC_NO_RESET_ALL | GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE, CheckIdentity,
      nullptr, nullptr);
}

void SetIdentity(Datum user_id) { AssignIdentity(text_to_cstring(DatumGetTextPP(user_id))); }

void ClearIdentity() {
  if (identity != nullptr) AssignIdentity(nullptr);
}

// SQL: authenticate(session_id text) returns session_record
//
// validate_session, and the session's user becomes the identity of the transaction. A session that is
// not valid raises AUTH_INVALID_SESSION_ID and leaves the identity as it was; a later call with another
// valid session replaces it.
LUCIA_FUNCTION(lucia_authenticate) {
  text* token = RequiredSessionId(fcinfo, 0);
  ValidSession session = ReadValidSession(token, SessionRead::kValidate);
  SetIdentity(session.columns.user_id);
  return SessionRow(fcinfo, session, token);
}

// SQL: current_user_id() returns text
//
// The identity of the transaction, or NULL. Reads one variable: cheap enough for a policy evaluated on
// every row, and right in parallel workers, which receive it with the leader's settings.
LUCIA_FUNCTION(lucia_current_user_id) {
  if (identity == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(cstring_to_text(identity));
}

}  // namespace lucia::pg
