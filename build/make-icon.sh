#!/usr/bin/env bash
# Draws nuget/icon.png, the icon of both packages: a loss curve falling to its minimum. Needs ImageMagick 6
# (apt-get install imagemagick). The PNG is committed; rerun only to change the icon.
set -euo pipefail
cd "$(dirname "$0")/.."

# The curve 400 - 290 exp(-i/6) on a 512-pixel canvas, drawn large and scaled down to 128 for smooth edges.
points=$(python3 -c "
import math
print(' '.join(f'{100 + i * 340 / 40:.0f},{400 - 290 * math.exp(-i / 6.0):.0f}' for i in range(41)))")
last_y=${points##*,}

convert -size 512x512 xc:none \
  -fill '#1f3b73' -draw "roundrectangle 0,0 511,511 90,90" \
  -fill none -stroke '#6f8fd0' -strokewidth 8 -draw "line 80,440 450,440" -draw "line 80,440 80,80" \
  -stroke '#ffffff' -strokewidth 26 -draw "stroke-linejoin round stroke-linecap round polyline $points" \
  -stroke none -fill '#f5b83d' -draw "circle 440,$last_y 440,$((last_y + 36))" \
  -resize 128x128 -depth 8 -strip nuget/icon.png
