#!/usr/bin/env bash
# Installs Debian's WenQuanYi Micro Hei, the CJK font the briefing's charts draw Chinese labels with
# (reports/briefing/fonts.py finds it by family name; matplotlib downloads nothing). Called by .ci/run
# before `make test`, and usable on a bureau server the same way. No-op when a CJK font is present;
# not root or no apt-get: says so and leaves the machine as it is (the chart tests then fail naming it).
set -euo pipefail

if command -v fc-list > /dev/null && [ -n "$(fc-list ':lang=zh' family 2>/dev/null | head -n 1)" ]; then
    echo "fonts_install: CJK font already installed: $(fc-list ':lang=zh' family | head -n 1)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get > /dev/null; then
    echo "fonts_install: no CJK font and cannot install one here (needs root and apt-get)" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# fontconfig brings fc-list, which matplotlib uses to list the system's fonts.
apt-get install -y -qq --no-install-recommends fonts-wqy-microhei fontconfig > /dev/null
echo "fonts_install: installed $(fc-list ':lang=zh' family | head -n 1)"
