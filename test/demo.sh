#!/usr/bin/env bash
# The main job: build and install smarkpi, start a throwaway cluster, load the
# sample CRM and print the joint sales-and-marketing KPI dashboard.
source "$(dirname "$0")/pg_env.sh"

ensure_packages
build_and_install
start_cluster

psql_q -c "CREATE DATABASE smarkpi_demo"
psql_q -d smarkpi_demo -c "CREATE EXTENSION smarkpi"
say "loading the sample CRM (examples/sample_crm.sql)"
psql_q -d smarkpi_demo -f "$SMARKPI_ROOT/examples/sample_crm.sql" >/dev/null
psql_q -d smarkpi_demo -f "$SMARKPI_ROOT/examples/dashboard.sql"
