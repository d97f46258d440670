# medexport - drug monographs from Markdown to PDF leaflets, XML, JSON and
# text.
#
#   make            build ./medexport (never installs: a missing package is
#                   named, with the command that installs it)
#   make quickstart install what is missing (make deps), build, export the
#                   seed
#   make check      every test on the project's own files, in minutes
#   make check-all  and the whole shared corpus and the scaling test (CI)
#   make install    PREFIX=/usr/local DESTDIR= (mk/install.mk)
#   make samples    regenerate samples/ from content/
#   make bench      benchmark against ../shared/corpus/rxhive (and pandoc);
#                   BASELINE=path also times an earlier binary, interleaved
#   make SANITIZE=1 build with AddressSanitizer and UBSan
#
# Sources are every *.c below src/ (see docs/design.md for the layout);
# src/cli/ is the command, the rest is libmedexport.  mk/*.mk add rules of
# the backends.

CC      ?= cc
PKGS    := libcmark libxml-2.0 yaml-0.1 libutf8proc fontconfig libunibreak json-c nettle
CORPUS  ?= ../shared/corpus/rxhive

ifeq ($(SANITIZE),1)
FLAVOR  := san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT     := -O1 -g
else
FLAVOR  := release
SANFLAGS :=
OPT     := -O2 -g
endif

B        := build/$(FLAVOR)
WARN     := -Wall -Wextra -Wpedantic
CFLAGS   ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
	-DMX_DATADIR='"$(CURDIR)"' -Isrc $(PKG_CFLAGS) -MMD -MP
LDFLAGS_ALL = $(LDFLAGS) $(SANFLAGS)
LIBS     = $(PKG_LIBS) -lhpdf -lhyphen -lpthread -lm

DEPS_STAMP := build/.deps-installed
TEST_DEPS_STAMP := build/.test-deps-installed
SRC      := $(sort $(shell find src -name '*.c'))
CLI_SRC  := $(filter src/cli/%,$(SRC))
LIB_SRC  := $(filter-out $(CLI_SRC),$(SRC))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(B)/%.o)
CLI_OBJ  := $(CLI_SRC:src/%.c=$(B)/%.o)
HDR      := $(sort $(shell find src -name '*.h'))
LIB      := $(B)/libmedexport.a

all: medexport

# Backend rules (fonts, fuzzing, ...) add to EXTRA_BUILD; read them before
# the rules that use it.
-include mk/*.mk

# The first command of the README: install (what building and testing
# need), build, export the seed.
quickstart: deps
	$(MAKE) medexport
	./medexport --txt --xml --pdf -o out content/tolperisone.md
	@echo "wrote out/tolperisone.txt out/tolperisone.xml out/tolperisone.pdf"

# make builds and nothing else: a missing package is named, with the
# command that installs it, and the build stops.  make quickstart and
# .ci/run install (scripts/install-deps).
$(DEPS_STAMP): scripts/install-deps
	@mkdir -p build
	@scripts/install-deps --check --build
	@touch $@

$(TEST_DEPS_STAMP): scripts/install-deps
	@mkdir -p build
	@scripts/install-deps --check
	@touch $@

deps:
	scripts/install-deps

# pkg-config runs only after the packages are there.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

$(B)/%.o: src/%.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# Linking is cheap, and ./medexport may come from the other flavour.
medexport: $(CLI_OBJ) $(LIB) $(EXTRA_BUILD) FORCE
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

# Unit tests (cmocka): tests/unit/test_*.c, each linked with the library.
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

$(B)/tests/%: tests/unit/%.c tests/unit/capture.h $(LIB) | $(TEST_DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(LIBS) $(shell pkg-config --libs cmocka)

unit: $(TEST_DEPS_STAMP) $(UNIT_BIN)
	@for t in $(UNIT_BIN); do echo "== $$t"; $(CHECK_ENV) $$t || exit 1; done

# Under sanitizers any report aborts (status 134), which every test treats
# as a crash, whatever exit status it otherwise accepts.
ifeq ($(SANITIZE),1)
CHECK_ENV := ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
	UBSAN_OPTIONS=abort_on_error=1:print_stacktrace=1
endif

# make check: every test on the project's own files (a few minutes; the
# corpus parts skip and say so).  make check-all: the same with the whole
# shared corpus and the scaling test (CI runs it; .ci/run).
check: $(TEST_DEPS_STAMP) medexport unit
	$(CHECK_ENV) CORPUS=none MX_CHECK_ALL=0 tests/run-all

check-all: $(TEST_DEPS_STAMP) medexport unit
	$(CHECK_ENV) CORPUS=$(CORPUS) MX_CHECK_ALL=1 tests/run-all

samples: medexport
	scripts/make-samples

# BASELINE=path times an earlier binary in the same runs (scripts/bench).
bench: medexport
	scripts/install-deps --bench
	CORPUS=$(CORPUS) BENCH_BASELINE=$(BASELINE) scripts/bench

format:
	clang-format -i $(SRC) $(HDR) tests/unit/*.c tests/unit/*.h

format-check:
	clang-format --dry-run --Werror $(SRC) $(HDR) tests/unit/*.c tests/unit/*.h

clean:
	rm -rf build medexport

FORCE:
.PHONY: all deps quickstart unit check check-all samples bench format format-check clean FORCE

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
