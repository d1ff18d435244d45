# tests/fuzz/fuzz.mk: libFuzzer targets (clang only), run from the repository
# root by `make fuzz FUZZ_SECONDS=N`.  The project's sources are compiled
# again into $(FUZZ_BUILD) with coverage + ASan + UBSan; each target is
# tests/fuzz/fuzz_<name>.c.
#
#   make -f tests/fuzz/fuzz.mk [run]    build, then fuzz every target for
#                                       FUZZ_SECONDS each; fails on any crash,
#                                       leak, timeout or out-of-memory
#   make -f tests/fuzz/fuzz.mk build    only build the targets
#   make -f tests/fuzz/fuzz.mk replay   run corpus + regression inputs once
#   make -f tests/fuzz/fuzz.mk fuzz-ydoc  one target (any name in FUZZ_TARGETS)
#
# Seeds: tests/fuzz/corpus/<target>/ (made by tests/fuzz/seed.sh from the
# fixtures and tests/fuzz/seeds/).  New inputs found while fuzzing go to
# $(FUZZ_BUILD)/corpus/<target>/ (never into the source tree).  A crasher is
# copied to tests/fuzz/regress/<target>/ so that tests/fuzz/suite.sh (part
# of `make test`) replays it from then on.  Reproduce one finding with
#   build/fuzz/fuzz_<target> FILE      (FUZZ_VERBOSE=1 prints diagnostics)

SHELL        := bash
PKG_CONFIG   ?= pkg-config
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build/fuzz
FUZZ_RSS_MB  ?= 2048
FUZZ_TIMEOUT ?= 10
FUZZ_ARGS    ?=
# Extra compiler flags, e.g. -fno-sanitize=pointer-overflow to look past a
# known finding (use another FUZZ_BUILD for such a build).
FUZZ_CFLAGS  ?=

DEPS       := yaml-0.1 jansson libpcre2-8 lua5.4
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS) 2>/dev/null)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEPS) 2>/dev/null)

SANITIZE   := address,undefined
FZ_CFLAGS  := -std=c11 -g -O1 -fno-omit-frame-pointer \
              -fsanitize=fuzzer-no-link,$(SANITIZE) -fno-sanitize-recover=all \
              -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              -DSK_DATADIR='"$(CURDIR)"' -DSK_VERSION='"fuzz"' \
              -DFUZZ_ROOT='"$(CURDIR)"' \
              $(DEP_CFLAGS) -Ilib -Igen -Ilint $(FUZZ_CFLAGS)
FZ_LDFLAGS := -fsanitize=fuzzer,$(SANITIZE) $(FUZZ_CFLAGS)
# Our own harnesses are held to the house warnings; the code under test is
# compiled quietly (its warnings are the gcc build's business).
FZ_WARN    := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wpedantic

LIB_SRC    := $(sort $(wildcard lib/*.c))
GEN_SRC    := $(sort $(filter-out gen/main.c,$(wildcard gen/*.c)))
LINT_SRC   := $(sort $(filter-out lint/main.c,$(wildcard lint/*.c)))
LIB_OBJ    := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
GEN_OBJ    := $(GEN_SRC:%.c=$(FUZZ_BUILD)/%.o)
LINT_OBJ   := $(LINT_SRC:%.c=$(FUZZ_BUILD)/%.o)

# Dictionaries per target (libFuzzer -dict).
dict_for = $(wildcard $(if $(filter $1,yemit),tests/fuzz/json.dict,$(if $(filter $1,luahost),tests/fuzz/lua.dict,tests/fuzz/yaml.dict)))

# A target needs lib/ only, unless it is listed here.
FUZZ_GEN_TARGETS  := cache gen tmpl
FUZZ_LINT_TARGETS := lint

FUZZ_TARGETS ?= $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: run build replay $(FUZZ_TARGETS:%=fuzz-%)
.DEFAULT_GOAL := run

build: $(FUZZ_BINS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC(fuzz) $<"
	@$(FUZZ_CC) $(FZ_CFLAGS) -w -MMD -MP -c -o $@ $<
$(FUZZ_BUILD)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FZ_CFLAGS) $(FZ_WARN) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/libsk.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(FUZZ_BUILD)/libgen.a: $(GEN_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(FUZZ_BUILD)/liblint.a: $(LINT_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

libs_for = $(if $(filter $1,$(FUZZ_GEN_TARGETS)),$(FUZZ_BUILD)/libgen.a) \
           $(if $(filter $1,$(FUZZ_LINT_TARGETS)),$(FUZZ_BUILD)/liblint.a) \
           $(FUZZ_BUILD)/libsk.a

.SECONDEXPANSION:
$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $$(call libs_for,$$*)
	$(FUZZ_CC) $(FZ_LDFLAGS) -o $@ $^ $(DEP_LIBS) -lm -lpthread

# Fuzz one target: seeds from the source tree, new inputs into the build
# tree; on a finding, copy the artifact to tests/fuzz/regress/<target>/.
$(FUZZ_TARGETS:%=fuzz-%): fuzz-%: $(FUZZ_BUILD)/fuzz_%
	@mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/artifacts/$* tests/fuzz/corpus/$*
	@echo "fuzz: $* for $(FUZZ_SECONDS) s"
	@$< -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=$(FUZZ_RSS_MB) \
		-timeout=$(FUZZ_TIMEOUT) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_BUILD)/artifacts/$*/ \
		$(addprefix -dict=,$(call dict_for,$*)) \
		$(FUZZ_ARGS) $(FUZZ_BUILD)/corpus/$* tests/fuzz/corpus/$* \
		$(wildcard tests/fuzz/regress/$*) \
		>$(FUZZ_BUILD)/fuzz-$*.log 2>&1; rc=$$?; \
	grep -E '^(stat::|Done|INFO: .*corpus)' $(FUZZ_BUILD)/fuzz-$*.log | tail -n 12; \
	if [ $$rc -ne 0 ]; then \
		tail -n 60 $(FUZZ_BUILD)/fuzz-$*.log; \
		mkdir -p tests/fuzz/regress/$*; \
		for f in $(FUZZ_BUILD)/artifacts/$*/{crash,leak,timeout,oom}-*; do \
			[ -f "$$f" ] || continue; \
			known=; for r in tests/fuzz/regress/$*/*; do \
				[ -f "$$r" ] && cmp -s "$$f" "$$r" && known=$$r; \
			done; \
			if [ -n "$$known" ]; then \
				echo "fuzz: $*: known finding $$known"; \
			else \
				cp "$$f" tests/fuzz/regress/$*/ && \
				echo "fuzz: $*: saved tests/fuzz/regress/$*/$${f##*/}"; \
			fi; \
			rm -f "$$f"; \
		done; \
		echo "fuzz: $* FAILED (exit $$rc; log: $(FUZZ_BUILD)/fuzz-$*.log)"; exit 1; \
	fi

# Every target, one after the other (each for FUZZ_SECONDS); keep going so
# one finding does not hide another, fail at the end.
run: build
	@fail=; for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk fuzz-$$t || fail="$$fail $$t"; \
	done; \
	if [ -n "$$fail" ]; then echo "fuzz: failed:$$fail"; exit 1; fi; \
	echo "fuzz: all targets ran $(FUZZ_SECONDS) s without a finding"

replay: build
	@bash tests/fuzz/suite.sh --built

-include $(LIB_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(LINT_OBJ:.o=.d) \
	$(FUZZ_TARGETS:%=$(FUZZ_BUILD)/tests/fuzz/fuzz_%.d)
.SECONDARY:
