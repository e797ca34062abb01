/**
 * A loaded PreprocessorConfig written back as preprocessor_config.json fields: the lab's Evaluate
 * worker gets the CLIP worker's loaded config (not its JSON) and hands it to the one embedding
 * pipeline, which reads JSON. loadPreprocessorConfig(rawPreprocessorConfig(c)) gives c back.
 */
import type { PreprocessorConfig } from '../clip/preprocess-config';

export function rawPreprocessorConfig(c: PreprocessorConfig): Record<string, unknown> {
  return {
    image_processor_type: c.processorType,
    do_convert_rgb: c.doConvertRgb,
    do_resize: c.doResize,
    size: c.size.kind === 'shortest_edge' ? { shortest_edge: c.size.shortestEdge } : { height: c.size.height, width: c.size.width },
    resample: c.resample,
    do_center_crop: c.doCenterCrop,
    crop_size: { ...c.cropSize },
    do_rescale: c.doRescale,
    rescale_factor: c.rescaleFactor,
    do_normalize: c.doNormalize,
    image_mean: [...c.imageMean],
    image_std: [...c.imageStd],
  };
}
