#!/usr/bin/env bash
# Builds (or finds cached) the real servers the tests run against, from the Go module proxy and
# PyPI, into ${KBACKUP_SERVERS_CACHE:-~/.cache/kbackup-test-servers}/<name>-<key>/, and links
# every binary from <cache>/bin/, where the test kit looks for them (TestServers.binDir()).
#
#   bash .ci/servers/build.sh            # everything
#   bash .ci/servers/build.sh kube etcd  # some families
#   bash .ci/servers/build.sh --optional # as mvn verify runs it: without Go or Python 3 (and not
#                                        # under CI=true) it says so and exits 0; the tests skip
#
# A family is rebuilt only when its version, its wrapper (go.mod, go.sum, own .go files) or its
# ldflags change. Nothing is written into the clone. Needs Go 1.26 and Python 3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KBACKUP_SERVERS_CACHE:-$HOME/.cache/kbackup-test-servers}"
mkdir -p "$cache/bin"
export CGO_ENABLED=0 GOFLAGS="-trimpath"

KUBE_VERSION=1.35.4          # also the staging v0.35.4 replaces in kube/go.mod
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c   # last commit of the archived repository (no semver tags)
FAKE_GCS_VERSION=v1.56.1
MOTO_VERSION=5.2.5
VELERO_VERSION=v1.18.3       # also the require in velero/go.mod, beside the AWS plugin's v1.14.3
SNAPSHOTTER_VERSION=v8.6.0   # also the requires in csi/go.mod (its snapshot CRDs come from client/v8 at it)
PROVISIONER_VERSION=v6.4.0   # also the require in csi/go.mod
SNAPSHOTTER_LDFLAGS="-s -w -X main.version=$SNAPSHOTTER_VERSION"   # its cache folder also holds the CRDs

log() { printf '== %s\n' "$*"; }

if [ "${1:-}" = "--optional" ]; then
  shift
  if ! command -v go >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
      echo "kbackup test servers: Go 1.26 and Python 3 are needed to build them (CI=true: failing)" >&2; exit 1
    fi
    log "kbackup test servers not built: Go 1.26 and Python 3 are needed; real-server tests will skip"
    exit 0
  fi
fi

# wrapper_key <family> <ldflags>: the wrapper module's folder name and a hash of go.mod + go.sum
# (+ its own .go files, if any) + the ldflags it is built with (an -X change alone rebuilds it too)
wrapper_key() {
  local own=(); shopt -s nullglob; own=("$here/$1"/*.go); shopt -u nullglob
  echo "$1-$( (cat "$here/$1/go.mod" "$here/$1/go.sum" ${own[@]+"${own[@]}"}; printf '%s' "$2") | sha256sum | cut -c1-12)"
}

# link <dir> <binary>...: make <cache>/bin/<binary> point at <dir>/<binary>
link() {
  local dir="$1"; shift
  for b in "$@"; do ln -sfn "$dir/$b" "$cache/bin/$b"; done
}

# build_wrapper <family> <ldflags> <package>...: go build the packages of a wrapper module (one wrapper
# may be built twice with different ldflags, e.g. a version stamp per binary: two cache folders, and
# the second build finds every package the first compiled in Go's build cache)
build_wrapper() {
  local family="$1" ldflags="$2"; shift 2
  local dir="$cache/$(wrapper_key "$family" "$ldflags")" bins=()
  for p in "$@"; do bins+=("$(basename "$p")"); done
  if [ "$family" = etcd ]; then bins=(etcd); fi
  if [ -x "$dir/${bins[-1]}" ]; then log "$family: cached in $dir"; link "$dir" "${bins[@]}"; return; fi
  log "$family: building ${bins[*]} (first build on this machine)"
  local start=$SECONDS tmp="$dir.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp"
  if [ "$family" = etcd ]; then
    (cd "$here/$family" && go build -mod=readonly -ldflags "$ldflags" -o "$tmp/etcd" "$@")
  else
    (cd "$here/$family" && go build -mod=readonly -ldflags "$ldflags" -o "$tmp/" "$@")
  fi
  rm -rf "$dir"; mv "$tmp" "$dir"
  log "$family: built in $((SECONDS - start)) s"
  link "$dir" "${bins[@]}"
}

# go_install <name> <module>@<version> <binary>: plain go install of a module without replace lines
go_install() {
  local name="$1" modver="$2" bin="$3"
  local dir="$cache/$name-${modver##*@}"
  if [ -x "$dir/$bin" ]; then log "$name: cached in $dir"; link "$dir" "$bin"; return; fi
  log "$name: go install $modver (first build on this machine)"
  local start=$SECONDS
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" go install -ldflags "-s -w" "$modver"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  log "$name: built in $((SECONDS - start)) s"
  link "$dir" "$bin"
}

# snapshot_crds: the VolumeSnapshot CRDs of external-snapshotter's client module at the built version,
# copied from the Go module cache into the snapshotter's cache folder, linked as <cache>/bin/snapshot-crds
snapshot_crds() {
  local dir="$cache/$(wrapper_key csi "$SNAPSHOTTER_LDFLAGS")"
  if [ ! -f "$dir/snapshot-crds/.done" ]; then
    local src
    src="$(cd "$here/csi" && go mod download -json github.com/kubernetes-csi/external-snapshotter/client/v8 \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')/config/crd"
    rm -rf "$dir/snapshot-crds"; mkdir -p "$dir/snapshot-crds"
    cp "$src"/snapshot.storage.k8s.io_*.yaml "$dir/snapshot-crds/"
    chmod u+w "$dir/snapshot-crds"/*.yaml
    touch "$dir/snapshot-crds/.done"
    log "csi: snapshot CRDs copied from $src"
  fi
  ln -sfn "$dir/snapshot-crds" "$cache/bin/snapshot-crds"
}

moto() {
  local dir="$cache/moto-$MOTO_VERSION"
  if [ -x "$dir/venv/bin/moto_server" ]; then log "moto: cached in $dir"; else
    log "moto: pip install moto[server]==$MOTO_VERSION into a virtualenv"
    local start=$SECONDS
    rm -rf "$dir"; python3 -m venv "$dir/venv"
    "$dir/venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
    log "moto: installed in $((SECONDS - start)) s"
  fi
  ln -sfn "$dir/venv/bin/moto_server" "$cache/bin/moto_server"
}

families=("$@")
all=false
[ ${#families[@]} -gt 0 ] || { families=(kube etcd minio fake-gcs moto velero csi); all=true; }
# velero-aws, the AWS plugin's family in earlier versions of this script, is built with velero now
for i in "${!families[@]}"; do [ "${families[$i]}" != velero-aws ] || families[$i]=velero; done
for f in "${families[@]}"; do
  # one build per family at a time on this machine: a second run waits, then finds it cached
  # (two runs at once used to delete each other's half-built folders, e.g. moto's virtualenv)
  exec 9>"$cache/.build-$f.lock"
  flock 9
  case "$f" in
    kube) build_wrapper kube "-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION \
-X k8s.io/component-base/version.gitMajor=${KUBE_VERSION%%.*} \
-X k8s.io/component-base/version.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2) \
-X k8s.io/component-base/version.gitTreeState=clean" \
            k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl ;;
    etcd) build_wrapper etcd "-s -w" go.etcd.io/etcd/server/v3 ;;
    # controller-runtime's metrics listener (DefaultBindAddress ":8080" in v0.21, which Velero's manager
    # takes and no Velero flag moves) is off ("0"), so several Velero servers run on one machine
    velero) build_wrapper velero "-s -w -X github.com/vmware-tanzu/velero/pkg/buildinfo.Version=$VELERO_VERSION \
-X github.com/vmware-tanzu/velero/pkg/buildinfo.GitTreeState=clean \
-X sigs.k8s.io/controller-runtime/pkg/metrics/server.DefaultBindAddress=0" github.com/vmware-tanzu/velero/cmd/velero
      # its AWS plugin, from the same wrapper module (Velero's build compiled most of what it needs)
      build_wrapper velero "-s -w" github.com/vmware-tanzu/velero-plugin-for-aws/velero-plugin-for-aws ;;
    minio) go_install minio "github.com/minio/minio@$MINIO_VERSION" minio ;;
    fake-gcs) go_install fake-gcs-server "github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION" fake-gcs-server ;;
    moto) moto ;;
    csi)
      # one wrapper module for the three (csi/go.mod), built twice for their version stamps
      build_wrapper csi "$SNAPSHOTTER_LDFLAGS" \
            github.com/kubernetes-csi/external-snapshotter/v8/cmd/snapshot-controller \
            github.com/kubernetes-csi/external-snapshotter/v8/cmd/csi-snapshotter
      snapshot_crds
      build_wrapper csi "-s -w -X main.version=$PROVISIONER_VERSION" \
            github.com/kubernetes-csi/external-provisioner/v6/cmd/csi-provisioner
      # the CSI driver: our own small one with csi-driver-host-path's storage model (folders, tarballs),
      # as the module proxy does not serve github.com/kubernetes-csi/csi-driver-host-path (403)
      build_wrapper csi-hostpath "-s -w" kbackup.test/servers/csi-hostpath ;;
    *) echo "unknown server family: $f (kube etcd minio fake-gcs moto velero csi)" >&2; exit 2 ;;
  esac
  flock -u 9
done
# the marker mvn verify looks for (backup-testkit's build-test-servers profile)
if $all; then touch "$cache/bin/.complete"; fi
log "servers in $cache/bin:"; ls "$cache/bin"
