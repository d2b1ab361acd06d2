#!/usr/bin/env bash
# Install what the test suite and `make run` need from Debian when it is missing (never a browser download).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
# Redaction suggestions: tesseract reads card-like text in the archive's languages.
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
for lang in kaz rus uig kir chi-sim; do
  [ -e "/usr/share/tesseract-ocr/5/tessdata/${lang/-/_}.traineddata" ] || need+=("tesseract-ocr-$lang")
done
# (grep reads to the end: with pipefail, `grep -q` would cut fc-list off and look like a miss)
fc-list 2>/dev/null | grep -i "noto" >/dev/null || need+=(fonts-noto-core)
# Names in Chinese characters (pages, printouts, screenshots) need a CJK font.
fc-list :lang=zh 2>/dev/null | grep . >/dev/null || need+=(fonts-noto-cjk)
# Petitions: WeasyPrint draws with Pango (HarfBuzz shapes Arabic script and Chinese, and
# subsets the fonts); the tests read the generated PDFs back with pdftotext (poppler-utils).
ldconfig -p 2>/dev/null | grep "libpango-1.0.so.0" >/dev/null || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep "libpangoft2-1.0.so.0" >/dev/null || need+=(libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep "libharfbuzz-subset.so.0" >/dev/null || need+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# Backups: restic sends them (docs/backup.md); the backup tests start an SFTP server of their
# own on loopback (sshd) and reach it with ssh.
command -v restic >/dev/null 2>&1 || need+=(restic)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing from Debian: ${need[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
