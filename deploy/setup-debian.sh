#!/bin/sh
# Installs what sohoa needs on Debian 12 (bookworm), only what is missing.
# Run as root (or with sudo). Idempotent: a second run installs nothing.
#
#   deploy/setup-debian.sh            runtime + build + test dependencies
#   deploy/setup-debian.sh runtime    only what a worker needs to run
#   deploy/setup-debian.sh samples    also the fonts to regenerate samples/
#   deploy/setup-debian.sh bench      also OCRmyPDF (benchmark comparison)
# The test packages include chromium, poppler and the fonts samples/mixed
# typesets its randomised evaluation pages with.
set -eu

GO_VERSION=1.26.8

# Fonts of the randomised evaluation pages (samples/mixed, sohoa bench --mixed).
mixed_pkgs="fonts-liberation2 fonts-dejavu-core fonts-noto-core fonts-freefont-ttf fonts-roboto-unhinted fonts-open-sans fonts-crosextra-carlito fonts-texgyre"
runtime_pkgs="tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd poppler-utils ca-certificates"
build_pkgs="libtesseract-dev libleptonica-dev gcc g++ pkg-config make git curl unzip"
test_pkgs="redis-server qpdf libxml2-utils chromium imagemagick $mixed_pkgs"
sample_pkgs="fonts-liberation2 fonts-dejavu-core fonts-freefont-ttf fonts-noto-core"
bench_pkgs="ocrmypdf unpaper"

case "${1:-all}" in
  runtime) want="$runtime_pkgs" ;;
  all) want="$runtime_pkgs $build_pkgs $test_pkgs" ;;
  samples) want="$runtime_pkgs $build_pkgs $test_pkgs $sample_pkgs" ;;
  bench) want="$runtime_pkgs $build_pkgs $test_pkgs $sample_pkgs $bench_pkgs" ;;
  *) echo "usage: $0 [all|runtime|samples|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ "${1:-all}" = runtime ] && exit 0

# promtool, for the alert rules' tests (deploy/prometheus/alerts_test.yml; the
# test fails in CI without it). Debian ships it in the "prometheus" package, which
# would also install, enable and start a Prometheus server: only its promtool
# binary is taken, into /usr/local/bin (it needs nothing but libc).
if ! command -v promtool >/dev/null 2>&1; then
  echo "setup: installing promtool (from Debian's prometheus package, without the server)"
  tmp=$(mktemp -d)
  chmod 755 "$tmp" # apt's download user must be able to write there
  if ! (cd "$tmp" && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get download -qq prometheus 2>/dev/null); then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    (cd "$tmp" && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get download -qq prometheus)
  fi
  dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb | tar -x -C "$tmp" ./usr/bin/promtool
  $SUDO install -m 0755 "$tmp/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$tmp"
fi

# Go: the version go.mod needs. A machine without it gets the official
# toolchain from the Go module proxy (the same archive `go` itself would
# download for GOTOOLCHAIN), installed under /usr/local/go.
have_go() {
  command -v go >/dev/null 2>&1 || return 1
  v=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
  [ "$(printf '%s\n%s\n' "$GO_VERSION" "$v" | sort -V | head -n1)" = "$GO_VERSION" ]
}
if ! have_go && [ -x /usr/local/go/bin/go ]; then
  PATH=/usr/local/go/bin:$PATH
fi
if ! have_go; then
  echo "setup: installing Go $GO_VERSION from the Go module proxy"
  proxy=$(echo "${GOPROXY:-https://proxy.golang.org}" | cut -d, -f1)
  tmp=$(mktemp -d)
  curl -fsSL -o "$tmp/go.zip" "$proxy/golang.org/toolchain/@v/v0.0.1-go$GO_VERSION.linux-amd64.zip"
  (cd "$tmp" && unzip -q go.zip)
  $SUDO rm -rf /usr/local/go
  $SUDO mv "$tmp/golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-amd64" /usr/local/go
  $SUDO chmod +x /usr/local/go/bin/* /usr/local/go/pkg/tool/*/* 2>/dev/null || true
  rm -rf "$tmp"
  echo "setup: Go installed in /usr/local/go (add /usr/local/go/bin to PATH)"
fi
