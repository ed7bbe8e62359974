# PGXS build of the lucia_auth extension: `make`, `make install`, `make installcheck`.
EXTENSION = lucia_auth
MODULE_big = lucia_auth
DATA = lucia_auth--0.1.0.sql

CORE_SRCS = $(sort $(wildcard src/core/*.cpp))
PG_SRCS = $(sort $(wildcard src/pg/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

REGRESS = install passwords password_lucia_vectors random_strings tables users keys sessions requests \
	security bad_input
ISOLATION = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))

PG_CONFIG ?= pg_config

PG_CPPFLAGS = -Isrc
PG_CXXFLAGS = -std=c++17 -Wno-register
# CI builds with every warning an error.
ifdef LUCIA_WERROR
PG_CXXFLAGS += -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-cast-function-type
endif
SHLIB_LINK = -lsodium -lstdc++

# The module is C++: no LLVM bitcode for JIT inlining, so building it does not need clang.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
