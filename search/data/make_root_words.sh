#!/usr/bin/env bash
# Regenerates root_words_id.txt from the Indonesian Hunspell dictionary.
#   apt-get download hunspell-id && dpkg-deb -x hunspell-id_*.deb x
#   search/data/make_root_words.sh x/usr/share/hunspell/id_ID.dic > search/data/root_words_id.txt
# Keeps lower-case entries of letters and hyphens; drops unflagged entries of
# four letters or fewer (spelling-only words such as "ab", "ase", "bija" that
# the stemmer would otherwise reach by stripping real affixes) and the
# entries listed in EXCLUDE, each seen to capture common words by
# overstemming ("pemerintah" -> "perin", "kependudukan" -> "dudu").
set -euo pipefail
dic=${1:?path to id_ID.dic}
EXCLUDE="perin dudu urang andung mandu puru dep tap alah bon"
cat <<'HEAD'
# Indonesian root words for Berguru's stemmer (search/src/stem.rs).
# Source: the Indonesian Hunspell dictionary id_ID.dic (LibreOffice
# dictionaries, "Kamus Indonesia" by Benitius Brevoort et al., version 2
# checked against the lemmas of KBBI 3rd edition; maintained by Ali Ahmadi),
# as packaged by Debian: hunspell-id 1:7.5.0-1.
# Licence: LGPL-3 (Debian's copyright file for dictionaries/id/id_ID.*; the
# .aff header says GPL). See search/data/README.md.
# Derived by search/data/make_root_words.sh: affix flags removed, lower-case
# entries only, short unflagged entries and a few overstemming entries left out.
HEAD
iconv -f ISO-8859-1 -t UTF-8 "$dic" | tail -n +2 \
  | awk -F/ '{ w = $1; gsub(/ /, "", w); f = (NF > 1) ? "F" : "-"; print w "\t" f }' \
  | grep -P '^[a-z][a-z-]*\t' \
  | awk -F'\t' '!(length($1) <= 4 && $2 == "-") { print $1 }' \
  | grep -vxF -f <(tr ' ' '\n' <<<"$EXCLUDE") \
  | LC_ALL=C sort -u
