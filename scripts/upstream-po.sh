#!/usr/bin/env bash
# Writes the project's Thai for Wagtail and wagtail-localize back out as their own catalogs, one file
# per catalog as their translators keep them (Transifex resources), so the strings can go upstream:
#   build/upstream-po/<package>/<path>/locale/th/LC_MESSAGES/<domain>.po
# Each file holds every message of that catalog's English template: the package's Thai where ours
# has none, ours (locale/packages/th/, then locale/th/) where we have it. Needs GNU gettext (msgcat, msgmerge).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
out=build/upstream-po
rm -rf "$out"
count=0
for template in "$site"/wagtail/locale/en/LC_MESSAGES/*.po "$site"/wagtail/*/locale/en/LC_MESSAGES/*.po \
  "$site"/wagtail/contrib/*/locale/en/LC_MESSAGES/*.po "$site"/wagtail_localize/locale/en/LC_MESSAGES/*.po \
  "$site"/wagtail_localize/*/locale/en/LC_MESSAGES/*.po; do
  [ -f "$template" ] || continue
  domain=$(basename "$template" .po)
  ours=locale/packages/th/LC_MESSAGES/$domain.po
  theirs=${template/\/en\//\/th\/}
  target=$out/${template#"$site"/}
  target=${target/\/en\//\/th\/}
  mkdir -p "$(dirname "$target")"
  # Ours for the packages first, then the project's own catalog (the messages it shares with them,
  # checked to fit their use by tests/training/test_translation_clashes.py), then theirs.
  sources=("$ours")
  [ -f "locale/th/LC_MESSAGES/$domain.po" ] && sources+=("locale/th/LC_MESSAGES/$domain.po")
  [ -f "$theirs" ] && sources+=("$theirs")
  msgcat --use-first -o "$target.all" "${sources[@]}"
  # The English template decides which messages belong to this catalog.
  msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$target" "$target.all" "$template"
  rm -f "$target.all"
  msgattrib --no-obsolete -o "$target" "$target"
  count=$((count + 1))
done
echo "Wrote $count catalogs under $out/ ($(find "$out" -name '*.po' -exec msgattrib --translated {} \; | grep -c '^msgid ') translated messages)."
