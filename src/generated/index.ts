// Generated from specs/ by `npm run gen`. Do not edit.
import type { operations as Paimanyi_kling_3_0_turbo } from './aimanyi-kling-3.0-turbo.ts';
import type { operations as Papiinone_kling_3 } from './apiinone-kling-3.ts';
import type { operations as Pevolink_kling_v3_t2v } from './evolink-kling-v3-t2v.ts';
import type { operations as Pfal_kling_v3_standard_t2v } from './fal-kling-v3-standard-t2v.ts';
import type { operations as Pkling_official_v3 } from './kling-official-v3.ts';
import type { operations as Ptoapis_kling_3_0_turbo } from './toapis-kling-3.0-turbo.ts';
import type { operations as Ptoapis_kling_v3_fast } from './toapis-kling-v3-fast.ts';

/** provider id → the body its create operation documents */
export interface ProviderRequests {
  'aimanyi-kling-3.0-turbo': NonNullable<Paimanyi_kling_3_0_turbo['create']['requestBody']>['content']['application/json'];
  'apiinone-kling-3': NonNullable<Papiinone_kling_3['create']['requestBody']>['content']['application/json'];
  'evolink-kling-v3-t2v': NonNullable<Pevolink_kling_v3_t2v['create']['requestBody']>['content']['application/json'];
  'fal-kling-v3-standard-t2v': NonNullable<Pfal_kling_v3_standard_t2v['submit']['requestBody']>['content']['application/json'];
  'kling-official-v3': NonNullable<Pkling_official_v3['create']['requestBody']>['content']['application/json'];
  'toapis-kling-3.0-turbo': NonNullable<Ptoapis_kling_3_0_turbo['create']['requestBody']>['content']['application/json'];
  'toapis-kling-v3-fast': NonNullable<Ptoapis_kling_v3_fast['create']['requestBody']>['content']['application/json'];
}

export type ProviderId = keyof ProviderRequests;
