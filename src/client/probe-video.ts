import { createFile, MP4BoxBuffer } from 'mp4box';

/** What a downloaded result really is: a check compares this with the documented defaults. */
export interface VideoProbe {
  durationSeconds: number;
  width: number;
  height: number;
}

/**
 * Reads duration and frame size from an MP4's moov box with mp4box.js (GPAC's parser, pure JS), so probing
 * works on any machine without ffprobe. Throws when the bytes are not an MP4 with a video track.
 */
export function probeMp4(bytes: Uint8Array): VideoProbe {
  const file = createFile();
  let info:
    | {
        duration: number;
        timescale: number;
        videoTracks: { video?: { width: number; height: number }; track_width: number; track_height: number }[];
      }
    | undefined;
  let failure: string | undefined;
  file.onReady = (i) => (info = i as unknown as typeof info);
  file.onError = (module: string, message: string) => (failure = `${module}: ${message}`);
  const buffer = MP4BoxBuffer.fromArrayBuffer(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    0,
  );
  file.appendBuffer(buffer);
  file.flush();
  const track = info?.videoTracks[0];
  if (!info || !track) throw new Error(`not an MP4 with a video track${failure ? ` (${failure})` : ''}`);
  return {
    durationSeconds: info.duration / info.timescale,
    width: track.video?.width ?? track.track_width,
    height: track.video?.height ?? track.track_height,
  };
}
