import { chromium } from '@playwright/test';
const args = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', ...args] });
const p = await b.newPage();
await p.goto('http://localhost:4199/#/hardness'); if (process.env.CLICK) { await p.getByTestId('hard-demo').click(); }
const r = await p.evaluate(async () => {
  const times = [];
  for (let i = 0; i < 12; i++) {
    const t = performance.now();
    const canvas = new OffscreenCanvas(56, 56);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const img = new ImageData(28, 28);
    for (let k = 0; k < 784; k++) img.data.set([k % 255, i, 3, 255], k * 4);
    const small = new OffscreenCanvas(28, 28);
    small.getContext('2d', { willReadFrequently: true }).putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, 56, 56);
    await canvas.convertToBlob({ type: 'image/png' });
    times.push(Math.round(performance.now() - t));
  }
  return times;
});
console.log(args.join(' '), r.join(' '));
await b.close();
