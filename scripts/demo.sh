#!/bin/sh
# make demo: build the demo case database and show the dispute.
set -eu
cd "$(dirname "$0")/.."
./lcase --version
./lcase --help | sed -n '1,3p'
