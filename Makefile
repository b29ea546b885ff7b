# smarkpi -- PGXS build.  Test and demo entry points live in test/.
PG_CONFIG ?= pg_config

EXTENSION = smarkpi
MODULE_big = smarkpi
OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c src/*/*.c))
DATA = $(wildcard sql/$(EXTENSION)--*.sql)

PG_CPPFLAGS += -I$(srcdir)/src
SMARKPI_SRC := $(dir $(lastword $(MAKEFILE_LIST)))
# the version the module reports (PG_MODULE_MAGIC_EXT on 18+) is the control file's
SMARKPI_VERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(SMARKPI_SRC)$(EXTENSION).control)
# the release (PGXN's semantic version): the extension version and a patch number
SMARKPI_RELEASE := $(shell sed -n 's/^   "version": "\(.*\)",/\1/p' $(SMARKPI_SRC)META.json)
PG_CPPFLAGS += -DSMARKPI_VERSION='"$(SMARKPI_VERSION)"'

# pg_regress tests, in order (listed explicitly: sql/ also holds the install script)
REGRESS = setup api funnel_rates money durations velocity customer_voice channel_rates retention cohort_retention growth clv distinct_sketch attribution markov_attribution ordered_funnels pipeline_history summaries states windows_parallel crosscheck planner badinput invalid_rows mutation security
REGRESS_OPTS = --inputdir=.

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXN: the release as a zip of the committed tree (git archive of HEAD)
.PHONY: dist
dist:
	git -C $(SMARKPI_SRC) archive --format zip --prefix=$(EXTENSION)-$(SMARKPI_RELEASE)/ \
		-o $(abspath $(EXTENSION)-$(SMARKPI_RELEASE).zip) HEAD
