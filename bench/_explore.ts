import { startServer, benchDir } from './server';
import { openBench } from './browser';
import { join } from 'node:path';
const models = { 'clip-vit-base-patch32-placeholder': join(benchDir, 'models/clip-vit-base-patch32-placeholder') };
const srv = await startServer(join(benchDir, 'dist'), models);
const b = await openBench(srv.url, (process.env.XARGS ?? '').split(' ').filter(Boolean));
console.log(await b.call('info'));
const cfgs = JSON.parse(process.argv[2]);
for (const c of cfgs) {
  const t = performance.now();
  try {
    const r: any = await b.call(c.cmd, { modelUrl: `${srv.url}/hub/bench/clip-vit-base-patch32-placeholder/resolve/main/onnx/${c.file ?? 'vision_model.onnx'}`,
      hubBase: `${srv.url}/hub/`, model: 'bench/clip-vit-base-patch32-placeholder', seconds: 8, batch: 8, ...c });
    console.log(JSON.stringify(c), '=>', r.items_per_s.toFixed(2), 'img/s', 'runs', r.run_ms.join(','), 'first', Math.round(r.first_run_ms), 'create', Math.round(r.create_ms ?? r.load_ms));
  } catch (e) { console.log(JSON.stringify(c), 'ERR', String(e).slice(0, 500)); }
  console.log('  wall', Math.round(performance.now() - t), 'ms; load', (await import('node:os')).loadavg()[0]);
}
await b.close(); await srv.close();
