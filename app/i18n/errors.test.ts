import { describe, expect, it } from 'vitest';
import { translateError } from './errors';
import { en } from './en';
import { fr } from './fr';
import { languages } from './index';

const SAMPLES = [
  'empty file (0 bytes)',
  'not an image: this file contains text',
  'unsupported format: HEIC/HEIF (browsers cannot decode it; convert to JPEG or PNG)',
  'corrupt or truncated JPEG (no end-of-image marker after the image data)',
  'the file is no longer available and its embedding is not cached: drop it again',
  'photo.jpg: could not read the file (NotReadableError)',
  'the model failed (out of memory)',
  'cannot load model http://127.0.0.1:9/fixtures/tiny-random-clip: could not download config.json from http://127.0.0.1:9 after 4 tries: Failed to fetch (ECONNREFUSED; offline? give a model folder instead)',
  'no model loaded',
  // 9..: CSP, download retries, model-folder errors
  'https://evil.example is blocked by this site\'s Content-Security-Policy (connect-src), so the lab cannot download from it. Whoever deploys the lab can allow it by building with LAB_CONNECT_SRC="https://evil.example" npm run build (see README, Deploying); or use a model folder from this computer instead.',
  'cannot load model m: could not download onnx/model.onnx from http://h:1 after 3 tries: the connection dropped after 1024 bytes (aborted)',
  'cannot load model m: could not download config.json from http://h:1 after 4 tries: the server answered 500 Internal Server Error',
  'could not download tokenizer.json from http://h:1 after 2 tries: no answer within 0.5 s',
  'could not download a.bin from http://h:1 after 1 try: the download stalled for 30 s',
  'cannot load model folder: the folder has no file tokenizer.json',
  'cannot load model folder: config.json is not valid JSON (Unexpected token } in JSON at position 3)',
  'cannot load model folder: config.json describes a model of type "bert", which the lab cannot load (image-text models it knows: clip, siglip)',
  'could not download x.onnx from http://h:1 after 2 tries: the server answered 416 when asked to resume',
  'the explore worker stopped unexpectedly (out of memory); run again',
  // 19..: an imported embedding index refused
  'part-00000-00000.parquet: the index was made with model someone/another-model, the loaded model is fixtures/tiny-random-clip',
  'part-00000-00000.parquet: the index holds 768-dimensional embeddings, the loaded model gives 512',
  'x.parquet: not a readable Parquet file (bad magic)',
  'no .parquet file in what was given',
  'no _manifest.json at http://h:1/index/_manifest.json (give a .parquet file URL, or the folder of an index written by embed)',
  // 24..: an index too large, a malformed one, none opened
  'an index of 3,000,000 rows of 512 floats needs 5.72 GiB of WebAssembly memory; one memory holds at most 4.00 GiB (wasm32): 2,096,000 rows of this dimension',
  'an index of 1,000,000 rows of 512 floats needs 1.91 GiB of WebAssembly memory, and this browser would not grow one past 1.00 GiB (RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded)',
  'near-duplicates compare every pair of rows: 1000000 rows is more than 50000 (search still ranks them all)',
  'x.parquet: not an embedding index (missing columns sha256, embedding)',
  'x.parquet: column embedding is List<Float64>, expected a fixed-size list of float32',
  'http://h:1/i/_manifest.json: not an index manifest (no "parts" list of file names)',
  'no index opened',
  'no model loaded: load one in the CLIP panel first',
];

describe('translateError', () => {
  it('leaves English text as the core wrote it', () => {
    for (const s of SAMPLES) expect(translateError(s, en)).toBe(s);
  });

  it('puts every known reason in French, keeping names and unknown details', () => {
    const out = SAMPLES.map((s) => translateError(s, fr));
    expect(out[0]).toBe('fichier vide (0 octet)');
    expect(out[3]).toBe('JPEG corrompu ou tronqué (no end-of-image marker after the image data)');
    expect(out[5]).toBe('photo.jpg: lecture du fichier impossible (NotReadableError)');
    expect(out[7]).toBe(
      'impossible de charger le modèle http://127.0.0.1:9/fixtures/tiny-random-clip : impossible de télécharger config.json depuis http://127.0.0.1:9 après 4 essais : Failed to fetch (ECONNREFUSED; hors ligne ? donnez plutôt un dossier de modèle)',
    );
    expect(out[9]).toBe(
      'https://evil.example est bloqué par la Content-Security-Policy de ce site (connect-src) : le labo ne peut pas y télécharger. La personne qui déploie le labo peut l’autoriser en construisant avec LAB_CONNECT_SRC="https://evil.example" npm run build (voir README, Deploying) ; ou utilisez plutôt un dossier de modèle de cet ordinateur.',
    );
    expect(out[10]).toBe('impossible de charger le modèle m : impossible de télécharger onnx/model.onnx depuis http://h:1 après 3 essais : la connexion a été coupée après 1024 octets (aborted)');
    expect(out[11]).toBe('impossible de charger le modèle m : impossible de télécharger config.json depuis http://h:1 après 4 essais : le serveur a répondu 500 Internal Server Error');
    expect(out[12]).toBe('impossible de télécharger tokenizer.json depuis http://h:1 après 2 essais : aucune réponse en 0.5 s');
    expect(out[13]).toBe('impossible de télécharger a.bin depuis http://h:1 après 1 essai : le téléchargement est bloqué depuis 30 s');
    expect(out[14]).toBe('impossible de charger le modèle folder : le dossier n’a pas de fichier tokenizer.json');
    expect(out[15]).toBe('impossible de charger le modèle folder : config.json n’est pas du JSON valide (Unexpected token } in JSON at position 3)');
    expect(out[16]).toBe('impossible de charger le modèle folder : config.json décrit un modèle de type « bert », que le labo ne sait pas charger (modèles image-texte connus : clip, siglip)');
    expect(out[17]).toBe('impossible de télécharger x.onnx depuis http://h:1 après 2 essais : le serveur a répondu 416 à la demande de reprise');
    expect(out[18]).toBe('le processus de calcul « explore » s’est arrêté de façon inattendue (out of memory) ; relancez');
    // no English reason of the catalogue is left
    for (const o of out) for (const e of Object.values(en.core)) if (!e.includes('{')) expect(o).not.toContain(e);
  });

  it('leaves unknown messages alone', () => {
    expect(translateError('Session already started', fr)).toBe('Session already started');
  });

  it('every language has every key (one file per language)', () => {
    const keys = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [p + k] : keys(v as object, `${p}${k}.`)));
    const want = keys(en).sort();
    for (const [id, l] of Object.entries(languages)) expect(keys(l).sort(), id).toEqual(want);
  });
});
