#!/bin/sh
# make demo: build the demo case database from the Amazon-Nokia dataset
# under out/ and print a short summary of the dispute.
set -eu
cd "$(dirname "$0")/.."
./lcase --version
mkdir -p out
rm -f out/demo.db out/demo.db-wal out/demo.db-shm
./lcase init out/demo.db
./lcase --db out/demo.db import data/amazon-nokia.json
echo
./lcase scripts/dispute-summary.lua out/demo.db amazon-nokia
echo
echo "Try: ./lcase --db out/demo.db sql \"select jurisdiction, filed, patents_asserted from cases order by filed\""
