# reliability.mk - fuzzing and memcheck (see docs/reliability.md).
#
#   make fuzz [FUZZ_SECONDS=60]  libFuzzer + ASan + UBSan harness, run from
#                                seeds in content/, tests/golden/, tests/bad/,
#                                tests/fuzz/regress/ and tests/fuzz/make-seeds
#                                FUZZ_FLAGS="..." adds libFuzzer flags, e.g.
#                                "-fork=1 -ignore_crashes=1" to go on past
#                                findings
#   make fuzz-build              only build build/fuzz/fuzz_medexport
#   make fuzz-regress            run the harness once over every input in
#                                tests/fuzz/regress/ (no fuzzing)
#   make valgrind                a sample of the corpus and content/ through
#                                every backend under memcheck
#
# The fuzz flavour compiles the library sources itself into build/fuzz/ with
# clang, whatever CC and SANITIZE say: libFuzzer needs clang's coverage
# instrumentation in every object.

FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_MAX_LEN  ?= 65536
FUZZ_TIMEOUT  ?= 30
FUZZ_FLAGS    ?=
FUZZ_DIR      := build/fuzz
FUZZ_BIN      := $(FUZZ_DIR)/fuzz_medexport
FUZZ_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_CFLAGS    = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-O1 -g $(WARN) $(FUZZ_SANFLAGS) -DMX_DATADIR='"$(CURDIR)"' -Isrc \
	$(PKG_CFLAGS) -MMD -MP
FUZZ_OBJ      := $(LIB_SRC:src/%.c=$(FUZZ_DIR)/%.o)
FUZZ_DICT     := tests/fuzz/medexport.dict
FUZZ_SEEDS     = content/*.md tests/golden/*.md tests/bad/*.md \
	$(wildcard tests/fuzz/regress/*)

$(FUZZ_DIR)/%.o: src/%.c $(DEPS_STAMP) | $(TEST_DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_medexport.o: tests/fuzz/fuzz_medexport.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BIN): $(FUZZ_DIR)/fuzz_medexport.o $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_SANFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# EXTRA_BUILD (the PDF fonts) is expanded in the recipe, when every mk/*.mk
# has been read, whatever order they were included in.
fuzz-build: $(TEST_DEPS_STAMP) $(FUZZ_BIN)
	@$(if $(strip $(EXTRA_BUILD)),$(MAKE) -s --no-print-directory $(EXTRA_BUILD))

# Seeds are copied afresh each run; the corpus libFuzzer grows stays in
# build/fuzz/corpus between runs and is never committed.  A crash, leak or
# timeout stops the run with the input in build/fuzz/artifacts/.
fuzz: fuzz-build
	@rm -rf $(FUZZ_DIR)/seeds
	@mkdir -p $(FUZZ_DIR)/seeds $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	@cp $(FUZZ_SEEDS) $(FUZZ_DIR)/seeds/
	@tests/fuzz/make-seeds $(FUZZ_DIR)/seeds
	$(FUZZ_BIN) -dict=$(FUZZ_DICT) -max_len=$(FUZZ_MAX_LEN) \
		-timeout=$(FUZZ_TIMEOUT) -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/ -print_final_stats=1 \
		$(FUZZ_FLAGS) $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds

fuzz-regress: fuzz-build
	@set -- tests/fuzz/regress/*; \
	if [ -e "$$1" ]; then \
		$(FUZZ_BIN) -timeout=$(FUZZ_TIMEOUT) "$$@"; \
	else \
		echo "fuzz-regress: no inputs in tests/fuzz/regress/"; \
	fi

# memcheck wants the release build: valgrind and ASan do not mix.
valgrind:
	$(MAKE) SANITIZE= medexport
	CORPUS=$(CORPUS) scripts/valgrind-sample

.PHONY: fuzz fuzz-build fuzz-regress valgrind

-include $(FUZZ_OBJ:.o=.d) $(FUZZ_DIR)/fuzz_medexport.d
