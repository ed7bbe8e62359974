// The signed-in user as the identity of the transaction: what lucia_auth.authenticate() sets and
// lucia_auth.current_user_id() returns, for row-level security policies.
//
// The identity is the value of a setting that only this file can give a value to: its check hook
// refuses every value but the one SetIdentity is assigning, and the leader's value while a parallel
// worker starts. SetIdentity assigns it as SET LOCAL would, so that it ends with the transaction and
// with a subtransaction rolled back after it was set, and reaches parallel workers with the rest of the
// transaction's settings.
#pragma once

extern "C" {
#include "postgres.h"
}

namespace lucia::pg {

// Defines the setting that carries the identity; called once, at module load.
void DefineIdentitySetting();

// Makes user_id (a text datum) the identity of the current transaction.
void SetIdentity(Datum user_id);

// Leaves the current transaction without an identity.
void ClearIdentity();

}  // namespace lucia::pg
