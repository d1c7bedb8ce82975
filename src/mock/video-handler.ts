import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-paths.ts';
import type { MockState } from './mock-state.ts';
import { linkAnswersExpired } from './task-view.ts';
import { frameSize } from '../spec/resolve-settings.ts';
import { answer, type MockRequest, type MockResponse } from './mock-route.ts';
import { noteOn } from './respond.ts';

const VIDEO_DIR = join(PACKAGE_ROOT, 'fixtures/videos/');
const cache = new Map<string, Uint8Array<ArrayBuffer>>();

/** The real MP4 for a frame and duration (made by scripts/make-videos.sh; nearest whole second). */
export function videoFile(width: number, height: number, seconds: number): string | undefined {
  const d = Math.min(15, Math.max(3, Math.round(seconds)));
  const path = `${VIDEO_DIR}${width}x${height}-${d}s.mp4`;
  return existsSync(path) ? path : undefined;
}

/** GET /__mock/videos/<token>.mp4: the result, until the documented link lifetime has passed (virtual time)
 * or the expired-link fault withdrew the link. */
export function handleVideo(state: MockState, token: string, request?: MockRequest): MockResponse {
  const task = state.tasks.byVideoToken(token.replace(/\.mp4$/, ''));
  if (request) noteOn(state, request, { operation: 'download', taskId: task?.id });
  if (task?.phase !== 'succeeded' || task.completedAt === undefined) return answer('NoSuchKey', { status: 404 });
  if (linkAnswersExpired(state, task)) {
    return answer('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', {
      status: state.spec.x.resultLink.expired.status,
      headers: { 'content-type': 'application/xml' },
    });
  }
  // where no document states the output size the mock still has to serve a frame: 720p at the aspect ratio
  // (no check judges the size of such a provider's video)
  const frame =
    task.settings.width && task.settings.height
      ? { width: task.settings.width, height: task.settings.height }
      : frameSize(720, String(task.settings.values.aspect_ratio));
  const file = videoFile(frame.width, frame.height, task.settings.durationSeconds);
  if (!file) return answer(`no fixture video for ${frame.width}x${frame.height}`, { status: 500 });
  let bytes = cache.get(file);
  if (!bytes) cache.set(file, (bytes = new Uint8Array(readFileSync(file))));
  return answer(bytes, {
    status: 200,
    headers: { 'content-type': 'video/mp4', 'content-length': String(bytes.byteLength) },
  });
}
