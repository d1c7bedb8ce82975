// The generated types and the compiled validators describe the same contract: the seeds' own examples
// type-check against the generated request types (tsc, in `npm test`) and validate at run time.
import { expect, it } from 'vitest';
import { loadSpecById } from '../spec/load-spec.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import type { components as Aimanyi } from './aimanyi-kling-3.0-turbo.ts';
import type { components as Evolink } from './evolink-kling-v3-t2v.ts';
import type { components as ApiInOne } from './apiinone-kling-3.ts';

const aimanyi: Aimanyi['schemas']['CreateRequest'] = {
  contents: [{ type: 'prompt', text: 'A cat running' }],
  settings: { resolution: '720p', duration: 5 },
  options: { external_task_id: 'biz-order-20240623-001', callback_url: 'https://your-server.com/webhook/kling' },
};
const evolink: Evolink['schemas']['CreateRequest'] = {
  model: 'kling-v3-text-to-video',
  prompt: '',
  duration: 10,
  model_params: { multi_shot: true, shot_type: 'customize', multi_prompt: [{ index: 1, prompt: 'A person on a hilltop', duration: '5' }, { index: 2, prompt: 'Camera pulls back', duration: '5' }] },
};
const apiinone: ApiInOne['schemas']['CreateRequest'] = { model: 'kling-3', prompt: 'A golden retriever', mode: 'std', duration: 5, aspect_ratio: '16:9', sound: true };

it('typed examples are valid requests for their providers', async () => {
  for (const [id, body] of [['aimanyi-kling-3.0-turbo', aimanyi], ['evolink-kling-v3-t2v', evolink], ['apiinone-kling-3', apiinone]] as const) {
    expect(compileValidators(await loadSpecById(id)).request(body).errors, id).toEqual([]);
  }
});
