/**
 * Error reasons come from the core (src/) in English, as values that name the file and the reason.
 * Known reasons are matched here and shown in the UI language, piece by piece (a model error such as
 * "cannot load model X: could not download config.json from H after 4 tries: …" has two known parts);
 * anything unknown (a library's own message, a file name) stays as it is.
 */
import { fmt, useMessages, type Messages } from './index';

type CoreKey = keyof Messages['core'];

/** [pattern, catalogue key]; named groups fill the key's {placeholders}. Longer reasons first. */
const RULES: [RegExp, CoreKey][] = [
  [/empty file \(0 bytes\)/g, 'emptyFile'],
  [/not an image: this file contains text/g, 'textFile'],
  [/not an image: a ZIP archive/g, 'zipFile'],
  [/not an image: an XML\/HTML document/g, 'htmlFile'],
  [/not an image, or a format this lab does not recognise/g, 'unknownFormat'],
  [/unsupported format: (?<format>[^()]+?(?: \([^)]*\))?)(?=$|;)/g, 'unsupported'],
  [/corrupt or truncated (?<format>[A-Z0-9]+)/g, 'corrupt'],
  [/PNG declares an empty image \(0 pixels\)/g, 'emptyPng'],
  [/GIF has no image frames/g, 'gifNoFrames'],
  [/the file is no longer available and its embedding is not cached: drop it again/g, 'goneNotCached'],
  [/the file is no longer available: drop it again/g, 'gone'],
  [/could not read the file \((?<detail>.*)\)/g, 'unreadable'],
  [/the model failed \((?<detail>.*)\)/g, 'modelFailed'],
  [/WebGPU failed \((?<detail>.*)\)/g, 'webgpuFailed'],
  [/^no model loaded$/g, 'noModel'],
  [/choose a model source first/g, 'chooseSource'],
  [/cannot load model (?<model>\S+): /g, 'cannotLoad'],
  [/could not download (?<file>\S+) from (?<host>\S+) after 1 try: /g, 'downloadOnce'],
  [/could not download (?<file>\S+) from (?<host>\S+) after (?<n>\d+) tries: /g, 'download'],
  [/offline\? give a model folder instead/g, 'offline'],
  [/(?<origin>\S+) is blocked by this site's Content-Security-Policy \(connect-src\), so the lab cannot download from it\. Whoever deploys the lab can allow it by building with (?<env>\w+)="(?<allow>[^"]*)" npm run build \(see README, Deploying\); or use a model folder from this computer instead\./g, 'cspBlocked'],
  [/no answer within (?<s>[\d.]+) s/g, 'noAnswer'],
  [/the download stalled for (?<s>[\d.]+) s/g, 'stalled'],
  [/the connection dropped after (?<bytes>\d+) bytes/g, 'dropped'],
  [/the server answered (?<status>\d+) when asked to resume/g, 'noResume'],
  [/the server answered (?<status>\d+[^:;()]*)/g, 'serverAnswered'],
  [/the folder has no file (?<file>\S+)/g, 'folderNoFile'],
  [/(?<file>\S+) is not valid JSON \(/g, 'notJson'],
  [/config\.json describes a model of type "(?<type>[^"]*)", which the lab cannot load \(image-text models it knows: (?<known>[^)]*)\)/g, 'notClip'],
  [/no image embeddings yet/g, 'noEmbeddings'],
  [/the index was made with model (?<other>\S+), the loaded model is (?<loaded>\S+)/g, 'indexModel'],
  [/the index holds (?<dim>\d+)-dimensional embeddings, the loaded model gives (?<loadedDim>\d+)/g, 'indexDim'],
  [/no \.parquet file in what was given/g, 'indexNoParquet'],
  [/not a readable Parquet file \((?<detail>.*)\)/g, 'indexNotParquet'],
  [/no _manifest\.json at (?<url>\S+) \(give a \.parquet file URL, or the folder of an index written by embed\)/g, 'indexNoManifest'],
  [/an index of (?<rows>[\d,]+) rows of (?<dim>\d+) floats needs (?<need>[\d.]+ GiB) of WebAssembly memory; one memory holds at most (?<max>[\d.]+ GiB) \(wasm32\): (?<maxRows>[\d,]+) rows of this dimension/g, 'indexTooBig'],
  [/an index of (?<rows>[\d,]+) rows of (?<dim>\d+) floats needs (?<need>[\d.]+ GiB) of WebAssembly memory, and this browser would not grow one past (?<have>[\d.]+ GiB) \((?<detail>.*)\)/g, 'indexNoMemory'],
  [/near-duplicates compare every pair of rows: (?<rows>\d+) rows is more than (?<max>\d+) \(search still ranks them all\)/g, 'indexDupTooMany'],
  [/not an embedding index \(missing column(?<s>s?) (?<columns>[^)]*)\)/g, 'indexMissingColumns'],
  [/column embedding is (?<type>.+?), expected a fixed-size list of float32/g, 'indexEmbeddingType'],
  [/not an index manifest \(no "parts" list of file names\)/g, 'indexBadManifest'],
  [/^no index opened$/g, 'indexNone'],
  [/no model loaded: load one in the CLIP panel first/g, 'noModelClip'],
  [/the probe needs labelled images of at least 2 classes/g, 'probeNeedsClasses'],
  [/no held-out images: add more labelled images \(at least 2 per class\)/g, 'noHeldOut'],
  [/^cancelled$/g, 'cancelled'],
  [/the (?<worker>\S+) worker stopped unexpectedly \((?<detail>.*)\); run again/g, 'workerStopped'],
];

export function translateError(message: string, m: Messages): string {
  let out = message;
  for (const [re, key] of RULES) {
    out = out.replace(re, (...args: unknown[]) => {
      const groups = args[args.length - 1];
      return fmt(m.core[key], typeof groups === 'object' && groups ? (groups as Record<string, string>) : {});
    });
  }
  return out;
}

/** `translateError` in the current language. */
export function useErrorText(): (message: string | null | undefined) => string {
  const m = useMessages();
  return (message) => (message ? translateError(message, m) : '');
}
