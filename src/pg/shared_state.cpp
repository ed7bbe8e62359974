#include "pg/shared_state.hpp"

extern "C" {
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/shmem.h"
}

#include <cstring>

namespace lucia::pg {

namespace {

struct SharedState {
  HashSlots slots;
  ThrottleCounts throttle;
};

constexpr const char* kName = "lucia_auth";

SharedState* state = nullptr;
shmem_request_hook_type previous_request_hook = nullptr;
shmem_startup_hook_type previous_startup_hook = nullptr;

void RequestSharedState() {
  if (previous_request_hook != nullptr) previous_request_hook();
  RequestAddinShmemSpace(MAXALIGN(sizeof(SharedState)));
  RequestNamedLWLockTranche(kName, 1);
}

// Runs in the postmaster at start and after every crash reinitialisation (the backends it forks inherit
// the pointer), and in each backend where backends are not forked.
void StartSharedState() {
  if (previous_startup_hook != nullptr) previous_startup_hook();
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found = false;
  auto* shared = static_cast<SharedState*>(ShmemInitStruct(kName, sizeof(SharedState), &found));
  if (!found) {
    std::memset(shared, 0, sizeof(SharedState));
    SpinLockInit(&shared->slots.mutex);
    ConditionVariableInit(&shared->slots.freed);
    shared->throttle.lock = &(GetNamedLWLockTranche(kName))->lock;
    core::NewThrottleKey(shared->throttle.key);
  }
  LWLockRelease(AddinShmemInitLock);
  state = shared;
}

}  // namespace

void InstallSharedStateHooks() {
  previous_request_hook = shmem_request_hook;
  shmem_request_hook = RequestSharedState;
  previous_startup_hook = shmem_startup_hook;
  shmem_startup_hook = StartSharedState;
}

HashSlots* SharedHashSlots() noexcept { return state != nullptr ? &state->slots : nullptr; }
ThrottleCounts* SharedThrottleCounts() noexcept { return state != nullptr ? &state->throttle : nullptr; }

}  // namespace lucia::pg
