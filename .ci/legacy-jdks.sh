#!/usr/bin/env bash
# Puts OpenJDK 8, 11 and 21 from Debian's archive into one folder of their own, for the integration tests.
#
#   bash .ci/legacy-jdks.sh [DIR]      (DIR defaults to ~/.cache/cache-aside-agent/jdks)
#
# Prints the JDK homes, one a line (8, 11, 21). Idempotent: JDKs already in place are kept.
# OpenJDK 11 comes from bullseye and runs on this system's libc as it is. OpenJDK 8 and 21 come from sid,
# built against a newer glibc: sid's libc is unpacked beside them and the JDKs' executables and libraries
# are pointed at it with patchelf. Packages are fetched with apt-get download under a private apt configuration; nothing
# is installed into the system and the system's apt sources are not touched.
set -euo pipefail

dest=${1:-${CACHE_ASIDE_JDKS:-$HOME/.cache/cache-aside-agent/jdks}}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
jdk8="$dest/java-8-openjdk-amd64"
jdk11="$dest/java-11-openjdk-amd64"
jdk21="$dest/java-21-openjdk-amd64"

works() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && "$1/bin/java" -version >/dev/null 2>&1; }

if works "$jdk8" && works "$jdk11" && works "$jdk21"; then
  echo "$jdk8"; echo "$jdk11"; echo "$jdk21"; exit 0
fi

exec 3>&1 1>&2   # progress goes to stderr; stdout carries only the homes

mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

apt_dir="$dest/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
cat > "$apt_dir/sources.list" <<SOURCES
deb [signed-by=$keyring] $mirror bullseye main
deb [signed-by=$keyring] $mirror sid main
deb [signed-by=$keyring] $mirror bookworm main
SOURCES
apt_options=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=-
             -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
             -o Debug::NoLocking=1 -o APT::Sandbox::User=root)

echo "[jdks] reading package lists from $mirror (bullseye, sid, bookworm)"
apt-get "${apt_options[@]}" -qq update

cd "$apt_dir/debs"
rm -f ./*.deb
apt-get "${apt_options[@]}" -qq download \
  openjdk-11-jre-headless/bullseye openjdk-11-jdk-headless/bullseye \
  openjdk-8-jre-headless/sid openjdk-8-jdk-headless/sid \
  openjdk-21-jre-headless/sid openjdk-21-jdk-headless/sid libc6/sid \
  patchelf/bookworm

root="$dest/root"
rm -rf "$root"
mkdir -p "$root"
for deb in ./*.deb; do dpkg -x "$deb" "$root"; done
patchelf_bin() { "$root/usr/bin/patchelf" "$@"; }

# The packages' conf files are symlinks into /etc/java-N-openjdk: point them at the unpacked etc/ instead.
relink_conf() {
  local home=$1 version=$2
  find "$home" -type l | while read -r link; do
    target=$(readlink "$link")
    case "$target" in
      /etc/java-$version-openjdk/*) ln -sfn "$root$target" "$link" ;;
    esac
  done
}

rm -rf "$jdk11" "$jdk8" "$jdk21"
mv "$root/usr/lib/jvm/java-11-openjdk-amd64" "$jdk11"
relink_conf "$jdk11" 11

sid_libs="$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu"
interpreter="$root/lib64/ld-linux-x86-64.so.2"
[ -e "$interpreter" ] || interpreter="$root/usr/lib64/ld-linux-x86-64.so.2"

# Executables get sid's loader; executables and the JVM's own libraries (which load libm and friends by
# name) get sid's libraries first in their search path, then the JDK's own folders.
onto_sid_libc() {
  local home=$1 own_dirs=$2 file current
  while read -r file; do
    head -c 4 "$file" | grep -q 'ELF' || continue
    current=$(patchelf_bin --print-rpath "$file")
    if patchelf_bin --print-interpreter "$file" >/dev/null 2>&1; then
      patchelf_bin --set-interpreter "$interpreter" --set-rpath "$sid_libs:$own_dirs${current:+:$current}" "$file"
    else
      patchelf_bin --set-rpath "$sid_libs${current:+:$current}" "$file"
    fi
  done < <(find "$home" -type f \( -path '*/bin/*' -o -name '*.so' \))
}

mv "$root/usr/lib/jvm/java-8-openjdk-amd64" "$jdk8"
relink_conf "$jdk8" 8
onto_sid_libc "$jdk8" "$jdk8/jre/lib/amd64:$jdk8/jre/lib/amd64/jli:$jdk8/lib/amd64/jli"

mv "$root/usr/lib/jvm/java-21-openjdk-amd64" "$jdk21"
relink_conf "$jdk21" 21
onto_sid_libc "$jdk21" "$jdk21/lib:$jdk21/lib/server"

for home in "$jdk8" "$jdk11" "$jdk21"; do
  works "$home" || { echo "[jdks] $home does not run:"; "$home/bin/java" -version; exit 1; }
  echo "[jdks] $("$home/bin/java" -version 2>&1 | head -n 1) at $home"
done
echo "$jdk8" >&3
echo "$jdk11" >&3
echo "$jdk21" >&3
