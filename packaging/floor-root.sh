# packaging/floor-root.sh: sourced by packaging/build-floor and packaging/smoke-test --root.
# A Debian root of an older release (bullseye: glibc 2.31) made with debootstrap, kept as a
# tarball under the cache folder, and the mounts a chroot into it needs, undone on exit.
# Bash; needs root, debootstrap, tar, mount.

FLOOR_CACHE=${ZICHA_FLOOR_CACHE:-/var/cache/zicha-floor}
FLOOR_SUITE=${ZICHA_FLOOR_SUITE:-bullseye}
FLOOR_MIRROR=${ZICHA_FLOOR_MIRROR:-http://deb.debian.org/debian}
FLOOR_SECURITY=${ZICHA_FLOOR_SECURITY:-http://deb.debian.org/debian-security}
FLOOR_MOUNTS=()  # mount points made by root_mount, undone in reverse by root_unmount

floor_log() { printf '[%s] %s\n' "${FLOOR_WHO:-floor}" "$*" >&2; }
floor_die() { floor_log "FAILED: $*"; exit 1; }

# base_tarball: the minimal root of the suite as a tarball (debootstrap --variant=minbase, once)
base_tarball() {
  local tarball=$FLOOR_CACHE/$FLOOR_SUITE-base.tar.gz tmp log
  if [ -s "$tarball" ]; then echo "$tarball"; return; fi
  command -v debootstrap >/dev/null || floor_die "debootstrap is not installed (apt-get install debootstrap)"
  mkdir -p "$FLOOR_CACHE"
  tmp=$FLOOR_CACHE/$FLOOR_SUITE-base.new
  log=$FLOOR_CACHE/debootstrap-$FLOOR_SUITE.log
  rm -rf "$tmp"
  floor_log "debootstrap $FLOOR_SUITE into $tmp (log: $log)"
  debootstrap --variant=minbase "$FLOOR_SUITE" "$tmp" "$FLOOR_MIRROR" >"$log" 2>&1 ||
    floor_die "debootstrap $FLOOR_SUITE from $FLOOR_MIRROR; see $log"
  cat >"$tmp/etc/apt/sources.list" <<EOF
deb $FLOOR_MIRROR $FLOOR_SUITE main
deb $FLOOR_MIRROR $FLOOR_SUITE-updates main
deb $FLOOR_SECURITY $FLOOR_SUITE-security main
EOF
  rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
  tar -C "$tmp" --numeric-owner -czf "$tarball.new" . || floor_die "tar of $tmp"
  mv "$tarball.new" "$tarball"
  rm -rf "$tmp"
  echo "$tarball"
}

# new_root DIR: DIR (which must not exist) becomes a fresh copy of the base root
new_root() {
  local dir=$1 tarball
  tarball=$(base_tarball)
  [ ! -e "$dir" ] || floor_die "$dir exists already"
  mkdir -p "$dir"
  tar -C "$dir" --numeric-owner -xzf "$tarball" || floor_die "unpacking $tarball into $dir"
}

# root_mount ROOT: /proc, /sys, /dev (with pts and shm) and the resolver inside ROOT
root_mount() {
  local root=$1
  trap root_unmount EXIT
  trap 'exit 130' INT TERM
  _mount "$root/proc" -t proc proc
  _mount "$root/sys" -t sysfs sys
  _mount "$root/dev" --rbind /dev
  mount --make-rslave "$root/dev"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}

# root_bind ROOT HOSTDIR INSIDE [ro]: HOSTDIR seen at INSIDE in the root
root_bind() {
  local root=$1 src=$2 dst=$3 mode=${4:-rw}
  mkdir -p "$root$dst"
  _mount "$root$dst" --bind "$src"
  if [ "$mode" = ro ]; then mount -o remount,bind,ro "$root$dst"; fi
}

_mount() {
  local point=$1
  shift
  mkdir -p "$point"
  mount "$@" "$point" || floor_die "mount $* $point"
  FLOOR_MOUNTS+=("$point")
}

# root_unmount: every mount root_mount/root_bind made, last first (lazily if busy)
root_unmount() {
  local i point
  for ((i = ${#FLOOR_MOUNTS[@]} - 1; i >= 0; i--)); do
    point=${FLOOR_MOUNTS[i]}
    if mountpoint -q "$point"; then
      umount -R "$point" 2>/dev/null || umount -R -l "$point" ||
        floor_log "could not unmount $point"
    fi
  done
  FLOOR_MOUNTS=()
}

# root_leftover_mounts ROOT: fail when something is still mounted under ROOT (an earlier run
# killed hard), rather than deleting through a bind mount
root_leftover_mounts() {
  local root
  root=$(realpath -m "$1")
  if grep -q " $root/" /proc/self/mounts; then
    floor_die "still mounted under $root (an interrupted run?): $(grep -o " $root/[^ ]*" /proc/self/mounts | tr '\n' ' ')- unmount them first (umount -R)"
  fi
}

# root_trust_local_cas ROOT: the certificate authorities added on this machine
# (/usr/local/share/ca-certificates, e.g. a site's TLS proxy) trusted in ROOT as well, so that
# pip reaches PyPI from the root as it does from here (needs ca-certificates in ROOT)
root_trust_local_cas() {
  local root=$1
  [ -d /usr/local/share/ca-certificates ] || return 0
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
  in_root "$root" update-ca-certificates >/dev/null 2>&1 ||
    floor_die "update-ca-certificates in $root"
}

# in_root ROOT COMMAND...: run COMMAND in the chroot with a clean environment
in_root() {
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive "$@"
}
