#!/usr/bin/env bash
# Makes the small real MP4s the mock serves as task results: every resolution (short side 720/1080) ×
# aspect ratio (16:9, 9:16, 1:1) × duration (3..15 s). Flat colour at 1 fps, H.264 at the lowest quality,
# bit-exact flags: a few KB each, and the same bytes on every run with the same ffmpeg.
# Needs Debian's ffmpeg (apt-get install ffmpeg). Usage: npm run gen:videos
set -euo pipefail
out="$(dirname "$0")/../fixtures/videos"
mkdir -p "$out"
for short in 720 1080; do
  for ratio in 16:9 9:16 1:1; do
    case "$ratio" in
      16:9) w=$((short * 16 / 9)); h=$short ;;
      9:16) w=$short; h=$((short * 16 / 9)) ;;
      1:1)  w=$short; h=$short ;;
    esac
    for d in $(seq 3 15); do
      f="$out/${w}x${h}-${d}s.mp4"
      ffmpeg -loglevel error -y -f lavfi -i "color=c=0x1f6feb:s=${w}x${h}:r=1:d=${d}" \
        -c:v libx264 -preset veryslow -crf 51 -pix_fmt yuv420p -g 300 \
        -fflags +bitexact -flags:v +bitexact -map_metadata -1 -movflags +faststart "$f"
    done
  done
done
ls "$out" | wc -l
du -sh "$out"
