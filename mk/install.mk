# install.mk - make install: the command, libmedexport (shared and static)
# with its header and pkg-config file, the man page, the styles and
# schemas, and the build-time fonts.
#
#   make install [PREFIX=/usr/local] [DESTDIR=...] [bindir= libdir= ...]
#   make uninstall [PREFIX=...] [DESTDIR=...]
#
# What is installed is built apart, in build/install/: position-independent
# objects with the data directory compiled in as $(PKGDATADIR) (the
# development build keeps using the clone), a shared library that exports
# only the mx_ symbols of medexport.h (mk/libmedexport.map), and a
# medexport linked against it.  MEDEXPORT_DATADIR still overrides the
# data directory at run time.

# The GNU directory variables; PREFIX is also taken for prefix.
PREFIX      ?= /usr/local
prefix      ?= $(PREFIX)
exec_prefix ?= $(prefix)
bindir      ?= $(exec_prefix)/bin
libdir      ?= $(exec_prefix)/lib
includedir  ?= $(prefix)/include
datarootdir ?= $(prefix)/share
datadir     ?= $(datarootdir)
mandir      ?= $(datarootdir)/man
pkgconfigdir ?= $(libdir)/pkgconfig
BINDIR     := $(bindir)
LIBDIR     := $(libdir)
INCLUDEDIR := $(includedir)
PKGDATADIR := $(datadir)/medexport
MANDIR     := $(mandir)
PKGCONFIGDIR := $(pkgconfigdir)

MX_LIBVERSION := $(shell sed -n 's/^\#define MX_VERSION "\(.*\)"/\1/p' src/medexport.h)
MX_SOVERSION  := $(firstword $(subst ., ,$(MX_LIBVERSION)))
IB            := build/install
SONAME        := libmedexport.so.$(MX_SOVERSION)
SOLIB         := $(IB)/libmedexport.so.$(MX_LIBVERSION)
INST_LIB_OBJ  := $(LIB_SRC:src/%.c=$(IB)/%.o)
INST_CLI_OBJ  := $(CLI_SRC:src/%.c=$(IB)/%.o)
INST_CFLAGS    = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	$(WARN) -O2 -g -fPIC -DMX_DATADIR='"$(PKGDATADIR)"' -Isrc \
	$(PKG_CFLAGS) -MMD -MP

$(IB)/%.o: src/%.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(INST_CFLAGS) $(CFLAGS) -c $< -o $@

$(SOLIB): $(INST_LIB_OBJ) mk/libmedexport.map
	$(CC) -shared -Wl,-soname,$(SONAME) \
		-Wl,--version-script=mk/libmedexport.map $(LDFLAGS) \
		-o $@ $(INST_LIB_OBJ) $(LIBS)

$(IB)/libmedexport.a: $(INST_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(IB)/medexport: $(INST_CLI_OBJ) $(SOLIB)
	$(CC) $(LDFLAGS) -o $@ $(INST_CLI_OBJ) $(SOLIB) -lpthread

$(IB)/medexport.pc: mk/medexport.pc.in src/medexport.h
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(prefix)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(MX_LIBVERSION)|' \
		-e 's|@REQUIRES@|$(PKGS)|' -e 's|@LIBS_PRIVATE@|-lhpdf -lhyphen -lpthread -lm|' \
		$< >$@

# EXTRA_BUILD (the fonts) is expanded in the recipe, once every mk/*.mk
# has been read.
install-build: $(IB)/medexport $(SOLIB) $(IB)/libmedexport.a $(IB)/medexport.pc
	@$(if $(strip $(EXTRA_BUILD)),$(MAKE) -s --no-print-directory $(EXTRA_BUILD))

install: install-build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(PKGDATADIR)/styles $(DESTDIR)$(PKGDATADIR)/fonts
	install -m 755 $(IB)/medexport $(DESTDIR)$(BINDIR)/medexport
	install -m 644 $(SOLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libmedexport.so.$(MX_LIBVERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmedexport.so
	install -m 644 $(IB)/libmedexport.a $(DESTDIR)$(LIBDIR)/
	install -m 644 $(IB)/medexport.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 644 src/medexport.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 docs/medexport.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/medexport.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 docs/medexport-style.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 styles/*.yaml styles/*.xsd styles/*.json $(DESTDIR)$(PKGDATADIR)/styles/
	install -m 644 $(PDF_FONTS) $(PDF_ASTRAL) $(PDF_FONT_DIR)/*.map $(DESTDIR)$(PKGDATADIR)/fonts/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/medexport $(DESTDIR)$(LIBDIR)/libmedexport.* \
		$(DESTDIR)$(PKGCONFIGDIR)/medexport.pc $(DESTDIR)$(INCLUDEDIR)/medexport.h \
		$(DESTDIR)$(MANDIR)/man1/medexport.1 $(DESTDIR)$(MANDIR)/man3/medexport.3 \
		$(DESTDIR)$(MANDIR)/man5/medexport-style.5
	rm -rf $(DESTDIR)$(PKGDATADIR)

.PHONY: install install-build uninstall

-include $(INST_LIB_OBJ:.o=.d) $(INST_CLI_OBJ:.o=.d)
