# fuzz/fuzz.mk: libFuzzer harnesses (issue 14), included by the Makefile.
#   make fuzz        builds build/fuzz/fuzz_* with clang (fuzzer, ASan, UBSan)
#   make fuzz-smoke  runs each harness a few seconds on seeds from tests/data
#                    and examples, after every input in tests/data/fuzz-regressions
# The library code is built again with coverage (fuzzer-no-link); the hook
# harness links filters/log without its main.c, the import harness
# filters/import without its main.c.
FUZZ_CC      = clang
FUZZ_DIR     = build/fuzz
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
FUZZ_CFLAGS  = -std=c11 -g -O1 $(WARN) -D_DEFAULT_SOURCE \
               -D_POSIX_C_SOURCE=200809L -DJSMN_STRICT \
               -DOAK_DATADIR='"$(DATADIR)"' -Icommon $(FUZZ_SAN)
FUZZ_NAMES   = $(basename $(notdir $(wildcard fuzz/fuzz_*.c)))
FUZZ_BINS    = $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
FUZZ_LIB_SRC = $(COMMON_SRC) \
               $(filter-out filters/log/main.c,$(wildcard filters/log/*.c))
FUZZ_LIB_OBJ = $(FUZZ_LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/libfuzz.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $(FUZZ_LIB_OBJ)

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(FUZZ_DIR)/libfuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_DIR)/libfuzz.a $(LDLIBS)

# oak-import's harness links filters/import without its main.c; its
# objects are linked as they are (session.o would clash in the archive).
FUZZ_IMPORT_OBJ = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(filter-out \
                  filters/import/main.c,$(wildcard filters/import/*.c)))

$(FUZZ_DIR)/fuzz_import: fuzz/fuzz_import.c fuzz/fuzz.h $(FUZZ_IMPORT_OBJ) \
		$(FUZZ_DIR)/libfuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_TOP='"$(CURDIR)"' -fsanitize=fuzzer \
	    -o $@ $< $(FUZZ_IMPORT_OBJ) $(FUZZ_DIR)/libfuzz.a $(LDLIBS)

fuzz: $(FUZZ_BINS)

fuzz-smoke: fuzz all
	@fuzz/smoke $(FUZZ_DIR) $(BUILD)/bin

.PHONY: fuzz fuzz-smoke
-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_IMPORT_OBJ:.o=.d)
