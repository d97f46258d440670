# pdf.mk - build-time fonts for the PDF backend.
#
# DejaVu Sans cut down to the characters monographs use (Latin, Greek,
# punctuation, super- and subscripts, arrows, mathematical operators,
# shapes), without hinting or glyph names and with composite glyphs
# flattened: small to embed, quick for libharu to load and look up.
# Characters outside the subset fall back to the full system fonts.

PDF_FONT_DIR   := build/fonts
PDF_FONT_SRC   := /usr/share/fonts/truetype/dejavu
PDF_FONT_NAMES := DejaVuSans DejaVuSans-Bold DejaVuSans-Oblique DejaVuSansMono
PDF_FONTS      := $(PDF_FONT_NAMES:%=$(PDF_FONT_DIR)/%.ttf)
# Debian's python3 has fontTools; a python3 earlier in PATH may not.
PDF_PYTHON     ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

# Characters beyond U+FFFF (libharu reads only the BMP) in the private use
# area, with a map back to their code points.
PDF_ASTRAL     := $(PDF_FONT_DIR)/DejaVuSans-Astral.ttf

EXTRA_BUILD += $(PDF_FONTS) $(PDF_ASTRAL)

$(PDF_ASTRAL): $(PDF_FONT_SRC)/DejaVuSans.ttf scripts/pdf-subset-font $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(PDF_PYTHON) scripts/pdf-subset-font --astral $< $@

$(PDF_FONT_DIR)/%.ttf: $(PDF_FONT_SRC)/%.ttf scripts/pdf-subset-font $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(PDF_PYTHON) scripts/pdf-subset-font $< $@

pdf-fonts: $(PDF_FONTS) $(PDF_ASTRAL)
.PHONY: pdf-fonts
