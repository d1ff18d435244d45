# sparkgen / sparklint: one Makefile, GNU make, C11, pkg-config.
# `make` builds both programs; `make test` runs every test (installing the
# Debian packages it needs first); `make check` runs the suite under
# ASan+UBSan; `make bench` prints the benchmark table.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/sparkgen
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR?= $(PREFIX)/share/bash-completion/completions
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g

DEPS       := yaml-0.1 jansson libpcre2-8 lua5.4
TEST_DEPS  := cmocka
# Debian packages behind the above, plus what the tests use.
DEB_BUILD  := make gcc pkg-config libyaml-dev libjansson-dev libpcre2-dev liblua5.4-dev
DEB_TEST   := libcmocka-dev python3 python3-yaml node:nodejs npm:npm git:git \
              clang libclang-rt-dev valgrind pre-commit:pre-commit jq:jq \
              man:man-db groff:groff-base /usr/bin/time:time

DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS) 2>/dev/null)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEPS) 2>/dev/null)
TEST_CFLAGS:= $(shell $(PKG_CONFIG) --cflags $(TEST_DEPS) 2>/dev/null)
TEST_LIBS  := $(shell $(PKG_CONFIG) --libs $(TEST_DEPS) 2>/dev/null)
WARN       := -std=c11 -Wall -Wextra -Wshadow -Wmissing-prototypes -Wpedantic \
              -Wno-format-zero-length
VERSION    := 0.1.0
SK_REPO_URL?= https://github.com/sparkgen/sparkgen
DEFS       := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              -DSK_DATADIR='"$(DATADIR)"' -DSK_VERSION='"$(VERSION)"' \
              -DSK_REPO_URL='"$(SK_REPO_URL)"'

# Both programs are linked statically (-static-pie) unless STATIC=0: a run
# on one small file, the pre-commit case, then starts in about 1.3 ms less,
# what the dynamic loader spends on six libraries (bench/RESULTS.md,
# 2026-12-05).  STATIC=0 links the shared libraries, as a distribution's
# package would; the sanitizer builds always do.
STATIC     ?= 1
ifneq ($(SAN),)
override STATIC := 0
endif
ifeq ($(STATIC),1)
PROG_LDFLAGS := -static-pie
PROG_LIBS  := $(shell $(PKG_CONFIG) --static --libs $(DEPS) 2>/dev/null)
else
PROG_LDFLAGS :=
PROG_LIBS  := $(DEP_LIBS)
endif

ifeq ($(SAN),1)
SANFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all
BUILD      ?= build/san
OUT        ?= build/san
else ifeq ($(SAN),thread)
SANFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
BUILD      ?= build/tsan
OUT        ?= build/tsan
else
BUILD      ?= build/obj
OUT        ?= .
endif

SK_CFLAGS   = $(WARN) $(DEFS) $(DEP_CFLAGS) -Ilib $(CPPFLAGS) $(CFLAGS) $(SANFLAGS)
SK_LDFLAGS  = $(SANFLAGS) $(LDFLAGS)

LIB_SRC    := $(sort $(wildcard lib/*.c))
GEN_SRC    := $(sort $(filter-out gen/main.c,$(wildcard gen/*.c)))
LINT_SRC   := $(sort $(filter-out lint/main.c,$(wildcard lint/*.c)))
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ    := $(GEN_SRC:%.c=$(BUILD)/%.o)
LINT_OBJ   := $(LINT_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC   := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN   := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

LIBSK      := $(BUILD)/libsk.a
LIBGEN     := $(BUILD)/libgen.a
LIBLINT    := $(BUILD)/liblint.a
PROGS      := $(OUT)/sparkgen $(OUT)/sparklint

.PHONY: all test check unit bench install uninstall clean deps deps-check demo fuzz golden tsan
.DEFAULT_GOAL := all

all: $(PROGS)

# Any change of the effective flags rebuilds everything.  Missing libraries
# stop the build here, with the command that installs them, rather than at
# the first #include.
FLAGS_NOW  := $(CC) $(SK_CFLAGS) $(SK_LDFLAGS) $(PROG_LDFLAGS)
$(BUILD)/.flags: FORCE
	@$(PKG_CONFIG) --exists $(DEPS) || { \
	  echo "missing build dependencies ($(DEPS)); run: make deps" >&2; \
	  echo "  (or: apt-get install $(DEB_BUILD))" >&2; exit 1; }
	@mkdir -p $(@D)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' > $@
FORCE:

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(SK_CFLAGS) -Igen -Ilint $(TEST_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBSK): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(LIBGEN): $(GEN_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(LIBLINT): $(LINT_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The built-in rules and modules as bytecode in sparklint, so that it does
# not compile them at every start (lib/embed.h: used only for files whose
# text is the same, and only with the same liblua).  The tool that compiles
# them is linked as sparklint is, so that its liblua is sparklint's.
EMBED_LUA  := $(sort $(wildcard rules/*.lua rules/lib/*.lua))

# $(call programs,OUT,HOST,LDFLAGS,LIBS): sparkgen and sparklint in OUT,
# linked with LDFLAGS and LIBS, and the bytecode for that liblua made in HOST.
define programs
$(2)/embed-rules: tools/embed-rules.c $$(LIBSK) $$(BUILD)/.flags
	@mkdir -p $$(@D)
	$$(CC) $$(SK_CFLAGS) -o $$@ $$< $$(LIBSK) $$(SK_LDFLAGS) $(3) $(4) -lm
$(2)/rules-embed.c: $(2)/embed-rules $$(EMBED_LUA)
	$(2)/embed-rules $$@.tmp $$(EMBED_LUA) && mv $$@.tmp $$@
$(2)/rules-embed.o: $(2)/rules-embed.c
	$$(CC) $$(SK_CFLAGS) -c -o $$@ $$<
$(1)/sparkgen: $$(BUILD)/gen/main.o $$(LIBGEN) $$(LIBSK)
	@mkdir -p $$(@D)
	$$(CC) $$(SK_LDFLAGS) $(3) -o $$@ $$^ $(4) -lm -lpthread
$(1)/sparklint: $$(BUILD)/lint/main.o $(2)/rules-embed.o $$(LIBLINT) $$(LIBSK)
	$$(CC) $$(SK_LDFLAGS) $(3) -o $$@ $$^ $(4) -lm -lpthread
endef
$(eval $(call programs,$(OUT),$(BUILD)/host,$(PROG_LDFLAGS),$(PROG_LIBS)))

# The programs linked with the shared libraries, for tests/valgrind: memcheck
# cannot follow malloc in a static program.  With STATIC=0, the programs.
ifeq ($(STATIC),1)
VG_PROGS   := $(BUILD)/dyn/sparkgen $(BUILD)/dyn/sparklint
$(eval $(call programs,$(BUILD)/dyn,$(BUILD)/dyn,,$(DEP_LIBS)))
else
VG_PROGS   := $(PROGS)
endif

$(BUILD)/tests/%: tests/unit/%.c $(LIBGEN) $(LIBLINT) $(LIBSK) $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(SK_CFLAGS) -Igen -Ilint $(TEST_CFLAGS) -o $@ $< \
		$(LIBGEN) $(LIBLINT) $(LIBSK) $(SK_LDFLAGS) $(DEP_LIBS) $(TEST_LIBS) -lm -lpthread

unit: $(UNIT_BIN) $(TOOL_BIN) $(BUILD)/tools/sparkgen-hooks $(VG_PROGS)

# sparkgen with its test hooks compiled in (SPARKGEN_TEST_FAIL_AFTER=N makes
# the N-th file-system change of a tree commit fail): tests/gitops only.
# It depends on main.o so that header changes (main.o's .d) rebuild it.
$(BUILD)/tools/sparkgen-hooks: gen/main.c $(BUILD)/gen/main.o $(LIBGEN) $(LIBSK) $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(SK_CFLAGS) -DSK_TEST_HOOKS -Igen -o $@ gen/main.c $(LIBGEN) $(LIBSK) \
		$(SK_LDFLAGS) $(DEP_LIBS) -lm -lpthread

# Small test-only programs (tests/tools/*.c), e.g. the emitter driver.
$(BUILD)/tools/%: tests/tools/%.c $(LIBSK) $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(SK_CFLAGS) -o $@ $< $(LIBSK) $(SK_LDFLAGS) $(DEP_LIBS) -lm

# Install what is missing (sudo when not root).  Quiet when nothing is.
deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

deps-check:
	@$(PKG_CONFIG) --exists $(DEPS) $(TEST_DEPS) || { \
	  echo "missing build dependencies; run: make deps"; \
	  echo "  (apt-get install $(DEB_BUILD) $(DEB_TEST))"; exit 1; }

# The README's first command: build, generate the bundled example, lint it.
demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh $(OUT)

# The README's second command.
test: deps
	@$(MAKE) --no-print-directory all unit
	@SPARKGEN=$(OUT)/sparkgen SPARKLINT=$(OUT)/sparklint UNITDIR=$(BUILD)/tests TOOLDIR=$(BUILD)/tools \
		VG_SPARKGEN=$(word 1,$(VG_PROGS)) VG_SPARKLINT=$(word 2,$(VG_PROGS)) \
		bash tests/run.sh

check: deps
	@$(MAKE) --no-print-directory SAN=1 CFLAGS="-O1 -g" all unit
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		SPARKGEN=build/san/sparkgen SPARKLINT=build/san/sparklint UNITDIR=build/san/tests TOOLDIR=build/san/tools \
		SK_SANITIZED=1 bash tests/run.sh

# The threaded paths (sparklint -j, sparkgen -j) under ThreadSanitizer.
tsan: deps
	@$(MAKE) --no-print-directory SAN=thread all
	@SPARKGEN=build/tsan/sparkgen SPARKLINT=build/tsan/sparklint bash tests/tsan.sh

# Rewrite tests/golden/ from the current build; review the diff before committing.
golden: all
	SPARKGEN=$(OUT)/sparkgen bash tests/gen/regen-golden.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh

fuzz:
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

# Everything under $(DATADIR) is found by the installed programs relative to
# their own path (bin/../share/sparkgen), so a DESTDIR staging tree works as
# it is; the compiled-in $(DATADIR) is the last resort.  No "-install": a
# file that is missing fails the install.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules/lib \
		$(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/schema \
		$(DESTDIR)$(DATADIR)/docs/rules $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 644 rules/*.lua $(DESTDIR)$(DATADIR)/rules/
	install -m 644 rules/lib/*.lua $(DESTDIR)$(DATADIR)/rules/lib/
	install -m 644 docs/rules/*.md $(DESTDIR)$(DATADIR)/docs/rules/
	install -m 644 templates/*.yaml templates/lib.lua $(DESTDIR)$(DATADIR)/templates/
	install -m 644 schema/sparkgen.schema.json $(DESTDIR)$(DATADIR)/schema/
	install -m 644 docs/man/sparkgen.1 docs/man/sparklint.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completions/sparkgen.bash $(DESTDIR)$(BASHCOMPDIR)/sparkgen
	install -m 644 completions/sparklint.bash $(DESTDIR)$(BASHCOMPDIR)/sparklint

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sparkgen $(DESTDIR)$(BINDIR)/sparklint
	rm -f $(DESTDIR)$(MANDIR)/man1/sparkgen.1 $(DESTDIR)$(MANDIR)/man1/sparklint.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/sparkgen $(DESTDIR)$(BASHCOMPDIR)/sparklint
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build sparkgen sparklint

-include $(LIB_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(LINT_OBJ:.o=.d) \
	$(BUILD)/gen/main.d $(BUILD)/lint/main.d
