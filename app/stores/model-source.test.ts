import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentSource, pickedFolder, sourceFromQuery, type SourceFields } from './model-source';

const fields: SourceFields = { kind: 'hub', hubId: '  ', host: '', urlId: '', folder: null };

describe('currentSource', () => {
  it('an empty Hub id means the default model', () => {
    expect(currentSource(fields, 'Xenova/clipseg-rd64-refined')).toEqual({ kind: 'hub', id: 'Xenova/clipseg-rd64-refined' });
    expect(currentSource({ ...fields, hubId: ' org/x ' }, 'd')).toEqual({ kind: 'hub', id: 'org/x' });
  });
  it('a URL source needs both the host and the id', () => {
    expect(currentSource({ ...fields, kind: 'url', host: 'http://h/' }, 'd')).toBeNull();
    expect(currentSource({ ...fields, kind: 'url', host: ' http://h/ ', urlId: 'org/m' }, 'd')).toEqual({ kind: 'url', baseUrl: 'http://h/', id: 'org/m' });
  });
  it('a folder source needs a picked folder', () => {
    expect(currentSource({ ...fields, kind: 'folder' }, 'd')).toBeNull();
  });
});

describe('pickedFolder', () => {
  it('keys files by their path inside the picked folder', () => {
    const file = (p: string) => ({ webkitRelativePath: p }) as File;
    const list = [file('my-clip/config.json'), file('my-clip/onnx/vision_model.onnx')] as unknown as FileList;
    const got = pickedFolder(list)!;
    expect(got.name).toBe('my-clip');
    expect([...got.files.keys()]).toEqual(['config.json', 'onnx/vision_model.onnx']);
    expect(pickedFolder([] as unknown as FileList)).toBeNull();
  });
});

describe('sourceFromQuery', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('reads its own model parameter; host + model autoloads; unknown device/dtype values are ignored', () => {
    vi.stubGlobal('location', { search: '?host=http://127.0.0.1:9/&segModel=org/seg&device=wasm&dtype=fp8' });
    expect(sourceFromQuery('segModel')).toEqual({ kind: 'url', host: 'http://127.0.0.1:9/', urlId: 'org/seg', autoload: true, device: 'wasm' });
    expect(sourceFromQuery('model')).toEqual({ device: 'wasm' });
    vi.stubGlobal('location', { search: '?model=org/clip&dtype=q8' });
    expect(sourceFromQuery('model')).toEqual({ kind: 'hub', hubId: 'org/clip', dtype: 'q8' });
  });
});
