#include "pg/hash_slots.hpp"

extern "C" {
#include "postgres.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"
}

#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "pg/settings.hpp"
#include "pg/shared_state.hpp"

namespace lucia::pg {

namespace {

// This backend's part in the slots. Changed under the slots' mutex together with the shared counts, so
// that an error or exit at any point gives back exactly what is taken.
enum class Part { kNone, kWaiting, kHolding };
Part part = Part::kNone;
int depth = 0;                                        // nested EnterHashing calls
SubTransactionId taken_in = InvalidSubTransactionId;  // where the outermost call was made
bool callbacks_registered = false;

// A waiter looks again at least this often, should a wake-up be lost to a waiter that left meanwhile.
constexpr long kRecheckMs = 1000;

void GiveBack() noexcept {
  HashSlots* slots = SharedHashSlots();
  depth = 0;
  taken_in = InvalidSubTransactionId;
  if (slots == nullptr || part == Part::kNone) {
    part = Part::kNone;
    return;
  }
  SpinLockAcquire(&slots->mutex);
  if (part == Part::kHolding) {
    --slots->running;
  } else {
    --slots->waiting;
  }
  part = Part::kNone;
  bool wake = slots->waiting > 0;
  SpinLockRelease(&slots->mutex);
  if (wake) ConditionVariableSignal(&slots->freed);
}

void AtTransactionEnd(XactEvent event, void*) {
  // Abort: an error ended the call. Commit with a slot still taken cannot follow a call that returned,
  // but nothing may outlive the transaction.
  if (depth > 0 || part != Part::kNone) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_COMMIT ||
        event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PREPARE) {
      GiveBack();
    }
  }
}

// An error caught by an exception block (PL/pgSQL's BEGIN … EXCEPTION) aborts the subtransaction the
// call was made in.
void AtSubtransactionEnd(SubXactEvent event, SubTransactionId subtransaction, SubTransactionId, void*) {
  if (event == SUBXACT_EVENT_ABORT_SUB && (depth > 0 || part != Part::kNone) && subtransaction == taken_in) {
    GiveBack();
  }
}

void AtBackendExit(int, Datum) { GiveBack(); }

void RegisterCallbacks() {
  if (callbacks_registered) return;
  RegisterXactCallback(AtTransactionEnd, nullptr);
  RegisterSubXactCallback(AtSubtransactionEnd, nullptr);
  before_shmem_exit(AtBackendExit, 0);
  callbacks_registered = true;
}

pg_attribute_noreturn() void RaiseQueueTimeout(int timeout_ms, int cap) {
  ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_RESOURCES),
                  errmsg("lucia_auth: no password hash slot became free within %d ms", timeout_ms),
                  errdetail("lucia_auth.max_concurrent_hashes = %d hashes run at once in the server, and "
                            "lucia_auth.hash_queue_timeout is how long a call waits for one.",
                            cap),
                  errhint("Retry later. The server is hashing as many passwords as it allows.")));
  pg_unreachable();
}

// CPUs this process may run on: its affinity mask, bounded by a cgroup v2 CPU quota.
int AvailableCpus() noexcept {
  long cpus = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = CPU_COUNT(&set);
  if (cpus <= 0) cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (FILE* file = std::fopen("/sys/fs/cgroup/cpu.max", "r")) {
    char quota[32];
    long period = 0;
    if (std::fscanf(file, "%31s %ld", quota, &period) == 2 && std::strcmp(quota, "max") != 0 && period > 0) {
      long limit = (std::atol(quota) + period - 1) / period;
      if (limit > 0 && limit < cpus) cpus = limit;
    }
    std::fclose(file);
  }
  return cpus > 0 ? static_cast<int>(cpus) : 1;
}

}  // namespace

int DefaultMaxConcurrentHashes() noexcept {
  // One hash per CPU. A hash is a single thread that computes without waiting, so more at once than
  // there are CPUs adds no throughput, only memory (32 MiB each) and crowding. And the kernel shares
  // the CPUs between runnable threads alike: with at most one hash per CPU, R other busy backends keep
  // R / (R + CPUs) of the machine, which is at least half of what they would get without any hashing
  // (each keeps half a CPU when R <= CPUs; R / (R + CPUs) > 1/2 of the machine when R > CPUs), however
  // many clients log in at once; the hashes keep the rest. Half the CPUs would leave logins a quarter
  // of the machine or less while sessions are validated flat out.
  int cap = AvailableCpus();
  if (cap > kMaxConcurrentHashesLimit) cap = kMaxConcurrentHashesLimit;
  return cap >= 1 ? cap : 1;
}

void EnterHashing() {
  if (depth > 0) {
    ++depth;
    return;
  }
  HashSlots* slots = SharedHashSlots();
  int cap = MaxConcurrentHashes();
  if (slots == nullptr || cap == 0) {
    // No cap: count the call so that LeaveHashing matches it.
    RegisterCallbacks();
    depth = 1;
    taken_in = GetCurrentSubTransactionId();
    return;
  }
  RegisterCallbacks();
  SubTransactionId here = GetCurrentSubTransactionId();
  SpinLockAcquire(&slots->mutex);
  // A free slot is taken at once only when nobody waits for one: waiters go first, in turn.
  if (slots->running < cap && slots->waiting == 0) {
    ++slots->running;
    part = Part::kHolding;
    depth = 1;
    taken_in = here;
    SpinLockRelease(&slots->mutex);
    return;
  }
  ++slots->waiting;
  part = Part::kWaiting;
  depth = 1;
  taken_in = here;
  SpinLockRelease(&slots->mutex);

  int timeout_ms = HashQueueTimeoutMs();
  TimestampTz start = GetCurrentTimestamp();
  ConditionVariablePrepareToSleep(&slots->freed);
  for (;;) {
    SpinLockAcquire(&slots->mutex);
    if (slots->running < cap) {
      ++slots->running;
      --slots->waiting;
      part = Part::kHolding;
      SpinLockRelease(&slots->mutex);
      break;
    }
    SpinLockRelease(&slots->mutex);
    long sleep_ms = kRecheckMs;
    if (timeout_ms > 0) {
      long remaining = timeout_ms - static_cast<long>((GetCurrentTimestamp() - start) / 1000);
      if (remaining <= 0) {
        ConditionVariableCancelSleep();
        GiveBack();
        RaiseQueueTimeout(timeout_ms, cap);
      }
      if (remaining < sleep_ms) sleep_ms = remaining;
    }
    // Interruptible: a cancel or statement_timeout raises its error here, and the transaction's abort
    // gives back this backend's place in the queue.
    ConditionVariableTimedSleep(&slots->freed, sleep_ms, PG_WAIT_EXTENSION);
  }
  ConditionVariableCancelSleep();
}

void LeaveHashing() noexcept {
  if (depth == 0) return;
  if (--depth > 0) return;
  GiveBack();
}

}  // namespace lucia::pg
