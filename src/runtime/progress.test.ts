import { describe, expect, it } from 'vitest';
import { ProgressTracker } from './progress';

describe('ProgressTracker', () => {
  it('sums bytes of total over files and marks them done', () => {
    const t = new ProgressTracker();
    t.update({ status: 'initiate', file: 'config.json' });
    t.update({ status: 'progress', file: 'onnx/vision_model.onnx', loaded: 100, total: 1000 });
    t.update({ status: 'progress', file: 'onnx/text_model.onnx', loaded: 50, total: 500 });
    let s = t.snapshot();
    expect(s).toMatchObject({ loaded: 150, total: 1500, done: false });
    expect(s.files.map((f) => f.file)).toEqual(['config.json', 'onnx/text_model.onnx', 'onnx/vision_model.onnx']);
    t.update({ status: 'progress', file: 'onnx/vision_model.onnx', loaded: 1000, total: 1000 });
    t.update({ status: 'done', file: 'onnx/vision_model.onnx' });
    t.update({ status: 'done', file: 'onnx/text_model.onnx' });
    t.update({ status: 'done', file: 'config.json' });
    s = t.snapshot();
    expect(s).toMatchObject({ loaded: 1500, total: 1500, done: true });
    expect(t.update({ status: 'ready' })).toBe(false);
  });
});
