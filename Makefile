# oak-telemetry: one non-recursive Makefile.
#   make            build every program into build/bin
#   make check      C unit tests and bats tests: "N passed, N failed"
#   make SAN=1 check   the same under ASan + UBSan (in build/san)
#   make bench      throughput and memory on generated telemetry
#   make install    PREFIX=/usr/local DESTDIR=
.SUFFIXES:
.SECONDARY:

CC      ?= cc
PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man
DATADIR  = $(PREFIX)/share/oak-telemetry

WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wformat=2 -Werror
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 $(CFLAGS) $(WARN) -D_DEFAULT_SOURCE \
             -D_POSIX_C_SOURCE=200809L -DJSMN_STRICT \
             -DOAK_DATADIR='"$(DATADIR)"' -Icommon
LDLIBS  = -luuid -lm -lpcre2-8

ifeq ($(SAN),1)
BUILD   = build/san
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
BUILD   = build
endif

COMMON_SRC = $(wildcard common/*/*.c)
COMMON_OBJ = $(COMMON_SRC:%.c=$(BUILD)/%.o)
LIBCOMMON  = $(BUILD)/libcommon.a

# A filter is filters/NAME.c, or a folder filters/NAME/ of .c files.
FILTER_FILES = $(basename $(notdir $(wildcard filters/*.c)))
FILTER_DIRS  = $(notdir $(patsubst %/,%,$(wildcard filters/*/)))
FILTERS      = $(FILTER_FILES) $(FILTER_DIRS)
PROGS        = $(FILTERS:%=$(BUILD)/bin/oak-%)
PIPELINES    = $(notdir $(wildcard pipelines/*))

UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BINS  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

all: $(PROGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Programs that find installed data are rebuilt when PREFIX changes.
$(BUILD)/datadir: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@
$(BUILD)/common/schema/kind.o: $(BUILD)/datadir
$(BUILD)/common/claude/pricing.o: $(BUILD)/datadir
FORCE:

$(LIBCOMMON): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $(COMMON_OBJ)

$(FILTER_FILES:%=$(BUILD)/bin/oak-%): $(BUILD)/bin/oak-%: $(BUILD)/filters/%.o $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBCOMMON) $(LDLIBS)

define filter_dir
$(BUILD)/bin/oak-$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard filters/$(1)/*.c)) $(LIBCOMMON)
	@mkdir -p $$(@D)
	$(CC) $(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIBCOMMON) $(LDLIBS)
endef
$(foreach d,$(FILTER_DIRS),$(eval $(call filter_dir,$(d))))

$(BUILD)/unit/%: $(BUILD)/tests/unit/%.o $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBCOMMON) $(LDLIBS)

# The scanner's portable string loop (8 bytes a word, no SSE2) and key
# compare under the same unit tests as the SSE2 ones every x86-64 build
# takes.
PORTABLE_UNITS = $(BUILD)/unit/test_json_read_portable \
                 $(BUILD)/unit/test_json_strict_portable \
                 $(BUILD)/unit/test_json_shape_portable
$(BUILD)/portable/strict.o: common/json/strict.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -U__SSE2__ -MMD -MP -c -o $@ $<

$(BUILD)/unit/%_portable: $(BUILD)/tests/unit/%.o $(BUILD)/portable/strict.o \
                          $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBCOMMON) $(LDLIBS)

check: $(PROGS) $(UNIT_BINS) $(PORTABLE_UNITS)
	@tests/run $(BUILD)

$(BUILD)/tools/jsmn-floor: $(BUILD)/tools/jsmn-floor.o $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBCOMMON) $(LDLIBS)

bench: all $(BUILD)/tools/jsmn-floor
	@tools/bench $(BUILD)
	@tools/bench-import $(BUILD)

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	         $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/schemas
	for p in $(PROGS); do cp $$p $(DESTDIR)$(BINDIR)/; done
	for p in $(PIPELINES); do \
	    cp pipelines/$$p $(DESTDIR)$(BINDIR)/oak-$$p; \
	    chmod 755 $(DESTDIR)$(BINDIR)/oak-$$p; done
	for m in $(wildcard man/*.1); do cp $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(wildcard man/*.5); do cp $$m $(DESTDIR)$(MANDIR)/man5/; done
	for s in $(wildcard schemas/*.json); do \
	    cp $$s $(DESTDIR)$(DATADIR)/schemas/; done
	cp data/pricing.json $(DESTDIR)$(DATADIR)/
	mkdir -p $(DESTDIR)$(DATADIR)/sql
	for s in $(wildcard sql/*.sql); do cp $$s $(DESTDIR)$(DATADIR)/sql/; done

# The sample telemetry is the week 2025-W42.
demo: all
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" pipelines/weekly-report \
	    examples/telemetry --week 2025-W42 --extended

clean:
	rm -rf build

.PHONY: all check bench install demo clean FORCE
-include $(COMMON_OBJ:.o=.d) $(wildcard $(BUILD)/portable/*.d $(BUILD)/filters/*.d $(BUILD)/filters/*/*.d $(BUILD)/tests/unit/*.d)

# Fuzzing (issue 14): make fuzz, make fuzz-smoke; see fuzz/fuzz.mk.
include fuzz/fuzz.mk

# make bench-peers (issue 13): oak-performance-stats and oak-weekly-report
# against DuckDB on the bench's telemetry; installs @duckdb/node-api under
# $(BUILD)/duckdb (only here; never committed). SQL in tools/bench-duckdb.mjs.
bench-peers: all
	@[ -d $(BUILD)/duckdb/node_modules/@duckdb/node-api ] || \
	    { mkdir -p $(BUILD)/duckdb && npm install --silent --no-audit \
	      --no-fund --prefix $(BUILD)/duckdb @duckdb/node-api@1.5.6-r.1; }
	@tools/bench-peers $(BUILD)
.PHONY: bench-peers
