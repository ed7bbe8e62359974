// Module entry: loads libsodium and defines the settings (and the one that carries the identity).
extern "C" {
#include "postgres.h"

#include "fmgr.h"
}

#include "core/crypto.hpp"
#include "pg/identity.hpp"
#include "pg/settings.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);

void _PG_init(void) {
  if (!lucia::core::InitCrypto()) {
    ereport(ERROR, (errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
                    errmsg("lucia_auth: libsodium could not be initialised")));
  }
  lucia::pg::DefineIdentitySetting();
  lucia::pg::DefineSettings();
}
}
