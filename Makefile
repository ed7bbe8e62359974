# PGXS build of the lucia_auth extension: `make`, `make install`, `make installcheck`.
EXTENSION = lucia_auth
MODULE_big = lucia_auth
DATA = $(sort $(wildcard sql/lucia_auth--*.sql))

CORE_SRCS = $(sort $(wildcard src/core/*.cpp))
PG_SRCS = $(sort $(wildcard src/pg/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

# Tests live under test/ (pg_regress: test/sql, test/expected; isolation: test/specs; TAP: test/t).
# Each regression file stands alone (test/sql/include/setup.sql and teardown.sql), so one can run by
# itself: make installcheck REGRESS=keys.
REGRESS = $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS = --inputdir=test --load-extension=lucia_auth
ISOLATION = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --load-extension=lucia_auth
TAP_TESTS = 1
PROVE_TESTS = test/t/*.pl

PG_CONFIG ?= pg_config

PG_CPPFLAGS = -Isrc
PG_CXXFLAGS = -std=c++17 -Wno-register
# CI builds with every warning an error.
ifdef LUCIA_WERROR
PG_CXXFLAGS += -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-cast-function-type
endif
SHLIB_LINK = -lsodium -lcrypt -lstdc++

# The module is C++: no LLVM bitcode for JIT inlining, so building it does not need clang.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Rebuild an object when a header it includes changes (PGXS tracks only the sources).
override CXXFLAGS += -MMD -MP
-include $(OBJS:.o=.d)

# The isolation specs alone (installcheck runs them too, after pg_regress). TAP tests (test/t/*.pl)
# need initdb, which refuses to run as root: test/t/run.sh runs them as user postgres.
.PHONY: installcheck-isolation
installcheck-isolation: submake $(REGRESS_PREP)
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)

# The benchmark: lucia_auth next to its references on a throwaway cluster (BENCH_QUICK=1: a smoke run).
.PHONY: bench
bench:
	./scripts/bench.sh

# validate_session through a Citus coordinator with two workers, next to one node (its own clusters).
.PHONY: bench-citus
bench-citus:
	./scripts/bench-citus.sh
