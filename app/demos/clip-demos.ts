/**
 * One-click demos of the CLIP and segmentation panels on the bundled photos (public/samples/, see
 * LICENSES.md). They use the model chosen in the panel (by default the Hub's, fetched once with
 * progress and cached: the next run is offline).
 */
import { useModel } from '../stores/model';
import { useImages } from '../stores/images';
import { useClassify } from '../stores/classify';
import { useSegModel } from '../stores/segment-model';
import { useSegment } from '../stores/segment';
import { siteFile, waitFor } from './wait';

export const SAMPLE_PHOTOS = ['samples/astronaut.png', 'samples/chelsea.png', 'samples/coffee.png'];
export const CLIP_DEMO_CLASSES = ['an astronaut', 'a cat', 'a cup of coffee', 'a rocket', 'a dog', 'a plate of food'];
export const SEGMENT_DEMO_PROMPTS = ['a cat', 'the cat’s eyes', 'a wall'];

async function readyModel(): Promise<boolean> {
  const m = useModel.getState();
  if (m.status === 'loading') await waitFor(useModel, (s) => s.status !== 'loading');
  else if (m.status !== 'ready') await m.load();
  return useModel.getState().status === 'ready';
}

export async function runClipDemo(): Promise<void> {
  location.hash = '#/clip';
  const files = await Promise.all(SAMPLE_PHOTOS.map((p) => siteFile(p)));
  useImages.getState().clear();
  useImages.getState().add(files.map((file) => ({ file, path: file.name })));
  const c = useClassify.getState();
  await c.setPreset('custom');
  c.setClassesText(CLIP_DEMO_CLASSES.join('\n'));
  c.setTemplate('a photo of {}.');
  if (await readyModel()) await useClassify.getState().classify();
}

export async function runSegmentDemo(): Promise<void> {
  location.hash = '#/segment';
  const file = await siteFile('samples/chelsea.png');
  const seg = useSegment.getState();
  for (const p of seg.prompts) seg.removePrompt(p.id);
  const m = useSegModel.getState();
  // Image and prompts first (shown at once); the run starts when the model is ready.
  const loading = m.status === 'loading' ? waitFor(useSegModel, (s) => s.status !== 'loading') : m.status === 'ready' ? Promise.resolve() : m.load();
  for (const t of SEGMENT_DEMO_PROMPTS) await useSegment.getState().addPrompt(t);
  await useSegment.getState().setImage(file);
  await loading;
  await useSegment.getState().run();
}
