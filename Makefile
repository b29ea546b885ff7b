# smarkpi -- PGXS build.  Test and demo entry points live in test/.
PG_CONFIG ?= pg_config

EXTENSION = smarkpi
MODULE_big = smarkpi
OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c src/*/*.c))
DATA = $(wildcard sql/$(EXTENSION)--*.sql)

PG_CPPFLAGS += -I$(srcdir)/src
# the version the module reports (PG_MODULE_MAGIC_EXT on 18+) is the control file's
SMARKPI_VERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(dir $(lastword $(MAKEFILE_LIST)))$(EXTENSION).control)
PG_CPPFLAGS += -DSMARKPI_VERSION='"$(SMARKPI_VERSION)"'

# pg_regress tests, in order (listed explicitly: sql/ also holds the install script)
REGRESS = setup api funnel_rates money durations velocity customer_voice channel_rates retention growth clv attribution markov_attribution ordered_funnels summaries states windows_parallel crosscheck planner badinput invalid_rows mutation security
REGRESS_OPTS = --inputdir=.

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
