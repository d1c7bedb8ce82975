import { fieldSchema } from './field-schema.ts';
import type { ProviderSpec } from './model.ts';

/** JSON bodies (create, poll, errors) larger than this are not read further: a gateway answer is a few KB. */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** A generous bitrate for a 1080p short side (40 Mbit/s); scaled by area for other resolutions. */
const BITS_PER_SECOND_AT_1080 = 40_000_000;

/**
 * The largest result video a provider's documents allow, with room to spare: the largest documented resolution
 * and duration at a generous bitrate, plus 1 MiB of container overhead. A download past it is cut off.
 */
export function maxVideoBytes(spec: ProviderSpec): number {
  const res = spec.x.settings.resolution;
  const sides = [...Object.values(res?.values ?? {}), 1080];
  const duration = fieldSchema(spec, spec.x.settings.duration.field);
  const seconds = Math.max(
    15,
    Number(duration?.maximum ?? 0),
    ...((duration?.enum as unknown[] | undefined) ?? []).map(Number).filter(Number.isFinite),
  );
  const short = Math.max(...sides);
  return Math.ceil(seconds * (BITS_PER_SECOND_AT_1080 / 8) * (short / 1080) ** 2) + 1024 * 1024;
}
