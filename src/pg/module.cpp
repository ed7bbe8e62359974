// Module entry: loads libsodium, defines the settings (and the one that carries the identity) and,
// when preloaded, reserves shared memory.
extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
}

#include "core/crypto.hpp"
#include "pg/identity.hpp"
#include "pg/settings.hpp"
#include "pg/shared_state.hpp"

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
  // The hash cap and throttling live in shared memory, which only a library loaded at server start can
  // reserve; loaded later, lucia_auth works without them.
  if (process_shared_preload_libraries_in_progress) lucia::pg::InstallSharedStateHooks();
}
}
