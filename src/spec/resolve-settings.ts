import { getAt } from '../core/json-pointer.ts';
import { pickClaim } from './claims.ts';
import type { ClaimChoice, ProviderSpec } from './model.ts';

/** What a provider should produce for a request: each setting sent or defaulted, and the frame it implies. */
export interface ResolvedSettings {
  /** setting name -> value (sent, or the documented default) */
  values: Record<string, unknown>;
  /** setting names that were not sent and took the default */
  defaulted: string[];
  durationSeconds: number;
  /** the frame the settings imply; absent where no document states the output resolution */
  width?: number;
  height?: number;
}

export function resolveSettings(
  spec: ProviderSpec,
  body: unknown,
  choice: ClaimChoice = 'mock',
  overrides: Record<string, unknown> = {},
): ResolvedSettings {
  const values: Record<string, unknown> = {};
  const defaulted: string[] = [];
  for (const [name, setting] of Object.entries(spec.x.settings)) {
    const sent = getAt(body, setting.field);
    if (sent === undefined) {
      values[name] = name in overrides ? overrides[name] : pickClaim(setting.default, choice).value;
      defaulted.push(name);
    } else values[name] = sent;
  }
  const short = shortSide(spec, values.resolution);
  const frame = short === undefined ? {} : frameSize(short, String(values.aspect_ratio));
  return { values, defaulted, durationSeconds: Number(values.duration), ...frame };
}

/**
 * "720p" -> 720 through the spec's value map (e.g. API in One's mode std -> 720, inferred), else the digits;
 * undefined where the provider has no resolution setting or the value names no size: we never guess one.
 */
export function shortSide(spec: ProviderSpec, resolution: unknown): number | undefined {
  if (!spec.x.settings.resolution || resolution === undefined) return undefined;
  const mapped = spec.x.settings.resolution.values?.[String(resolution)];
  if (mapped) return mapped;
  const digits = /^(\d{3,4})p$/i.exec(String(resolution));
  return digits ? Number(digits[1]) : undefined;
}

/** The frame for a short side and an aspect ratio "W:H": 720 & 16:9 -> 1280x720, 720 & 9:16 -> 720x1280. */
export function frameSize(short: number, aspect: string): { width: number; height: number } {
  const [w, h] = aspect.split(':').map(Number) as [number, number];
  if (!w || !h) return { width: short, height: short };
  return w >= h
    ? { width: Math.round((short * w) / h), height: short }
    : { width: short, height: Math.round((short * h) / w) };
}
