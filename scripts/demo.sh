#!/bin/sh
# make demo: build the Amazon-Nokia demo case database under out/, run the
# default rules, print the dispute brief, and write it as out/brief.html.
set -eu
cd "$(dirname "$0")/.."
LCASE=./lcase
DB=out/demo.db

$LCASE --version
mkdir -p out
rm -f "$DB" "$DB-wal" "$DB-shm"
$LCASE --db "$DB" import data/amazon-nokia.json
# the dispute after the article, to its settlement (each fact with its own source)
$LCASE --db "$DB" import data/amazon-nokia-2025.json

# the rules engine: run the default rules when this build has them
if $LCASE help rules >/dev/null 2>&1; then
  $LCASE --db "$DB" rules run default || echo "demo: some rules failed (see above); the brief shows what was found"
else
  echo "demo: this build has no rules command yet; the brief will have no findings"
fi

echo
$LCASE --db "$DB" report brief --dispute amazon-nokia
echo
$LCASE -q --db "$DB" report brief --dispute amazon-nokia -o out/brief.html
echo "The brief as a web page: $(pwd)/out/brief.html"
echo "  open it with:  xdg-open out/brief.html   (or any browser: file://$(pwd)/out/brief.html)"
echo "  more:  ./lcase --db $DB report timeline | matrix | findings | party --party nokia  [-t markdown|html|csv|json|dot]"
echo "  or query it:  ./lcase --db $DB sql \"select jurisdiction, filed, patents_asserted from cases order by filed\""
