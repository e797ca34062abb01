import { describe, expect, it } from 'vitest';
import { angle, avhScores, classAngles, nearestClassByAngle, validateAvhInput } from './avh';

const deg = (d: number) => (d * Math.PI) / 180;
const at = (d: number, r = 1) => [r * Math.cos(deg(d)), r * Math.sin(deg(d))];

describe('angle', () => {
  it('gives exact angles for hand-built 2-D vectors', () => {
    expect(angle([1, 0], [0, 1])).toBe(Math.PI / 2);
    expect(angle([1, 0], [-1, 0])).toBe(Math.PI);
    expect(angle([3, 4], [6, 8])).toBe(0); // cosine is exactly 1
    expect(angle(at(0), at(30))).toBeCloseTo(deg(30), 14);
    expect(angle(at(0), at(60))).toBeCloseTo(deg(60), 14);
    expect(angle(at(10), at(100))).toBeCloseTo(deg(90), 14);
  });

  it('clamps cosines that round past ±1 instead of returning NaN', () => {
    const u = [0.1, 0.2, 0.3];
    const v = u.map((x) => x * 3);
    expect(Number.isNaN(angle(u, v))).toBe(false);
    expect(angle(u, v)).toBeLessThan(1e-7);
    expect(angle(u, v.map((x) => -x))).toBeGreaterThan(Math.PI - 1e-7);
  });

  it('is NaN for a zero vector', () => {
    expect(angle([0, 0], [1, 0])).toBeNaN();
  });
});

describe('AVH', () => {
  // class vectors at 0°, 60°, 90°; z at 30°: angles 30°, 30°, 60° (sum 120°)
  const W = [at(0), at(60), at(90)];

  it('matches known angles exactly', () => {
    const z = at(30);
    const [a0, a1, a2] = avhScores([z, z, z], W, [0, 1, 2]);
    expect(a0).toBeCloseTo(30 / 120, 14);
    expect(a1).toBeCloseTo(30 / 120, 14);
    expect(a2).toBeCloseTo(60 / 120, 14);
    // z at 45° against the four axes: 45°, 45°, 135°, 135° (sum 360°)
    const axes = [[1, 0], [0, 1], [-1, 0], [0, -1]];
    const s = avhScores([[1, 1], [1, 1]], axes, [0, 2]);
    expect(s[0]).toBeCloseTo(45 / 360, 15);
    expect(s[1]).toBeCloseTo(135 / 360, 15);
  });

  it('is 0 for an embedding aligned with its class vector', () => {
    expect(avhScores([[7.5, 10]], [[3, 4], [1, 0], [0, -1]], [0])[0]).toBe(0);
    expect(avhScores([at(60, 4)], W, [1])[0]).toBeLessThan(1e-7);
  });

  it('does not depend on the norms of z or of the class vectors', () => {
    const z = [0.3, -1.2, 2.5, 0.7];
    const ws = [[1, 0, 0.5, -1], [0.2, 0.9, -0.4, 0.1], [-1, -1, 1, 1]];
    const base = avhScores([z], ws, [1])[0];
    for (const [sz, sw] of [[1e-3, 1], [1e4, 1], [1, 1e-4], [37, 0.02]]) {
      const scaled = avhScores([z.map((v) => v * sz)], ws.map((w, k) => w.map((v) => v * sw * (k + 1))), [1])[0];
      expect(scaled).toBeCloseTo(base, 13);
    }
  });

  it('matches a NumPy float64 reference on random data', () => {
    // generated with numpy (seed 7): arccos(clip(u·v/(|u||v|), -1, 1)), AVH = A_y / Σ A_k
    const embeddings = [[0.0012, 0.2987, -0.2741, -0.8906, -0.4547], [-0.9916, 0.0601, 1.3402, -0.4922, -0.6205], [0.4898, 0.3569, 0.1054, -0.9305, -0.0293], [0.6953, -1.3442, -0.4576, -1.9012, -1.2895], [-1.8417, -0.2351, -1.2674, 0.2713, 0.1568], [-0.1869, -2.5168, -0.5387, -0.0485, 0.1133]];
    const classVectors = [[-1.5301, -0.4778, -0.9785, -0.8088, 1.0609], [-0.8075, -0.0325, 0.8844, -0.5836, -0.1117], [0.1105, 0.0638, -1.2251, 0.0761, 1.3588], [-1.5471, 0.8594, 0.1194, -0.6415, 2.0004]];
    const labels = [2, 2, 0, 0, 2, 1];
    const expected = [0.28396636944445275, 0.4251573389730547, 0.26836450972137743, 0.2224222627542682, 0.2639509201001372, 0.2691794723810972];
    const got = avhScores(embeddings, classVectors, labels);
    expected.forEach((e, i) => expect(Math.abs(got[i] - e)).toBeLessThan(1e-14));
    // float32 inputs give the same numbers as their float64 values
    const f32 = avhScores(embeddings.map((r) => Float32Array.from(r)), classVectors, labels);
    expected.forEach((e, i) => expect(Math.abs(f32[i] - e)).toBeLessThan(1e-6));
  });

  it('names the nearest class by angle', () => {
    expect(nearestClassByAngle(classAngles(at(80), W))).toBe(2);
    expect(nearestClassByAngle(classAngles(at(-20), W))).toBe(0);
  });
});

describe('validateAvhInput', () => {
  const W = [[1, 0], [0, 1]];
  it('accepts a good input', () => expect(validateAvhInput([[1, 2]], W, [1])).toBeNull());
  it.each([
    [[[1, 2, 3]], W, [0], /embeddings\[0\] has length 3, expected 2/],
    [[[1, 2]], W, [2], /labels\[0\] = 2 is not a class index in 0..1/],
    [[[1, 2]], W, [0.5], /labels\[0\] = 0.5/],
    [[[0, 0]], W, [0], /embeddings\[0\] is the zero vector/],
    [[[1, 2]], [[1, 0], [0, 0]], [0], /classVectors\[1\] is the zero vector/],
    [[[1, 2]], [[1, 0]], [0], /at least 2 class vectors/],
    [[[1, 2], [2, 1]], W, [0], /labels has 1 entries but embeddings has 2/],
    [[[1, Number.NaN]], W, [0], /embeddings\[0\]\[1\] is not a finite number/],
  ])('rejects %j / %j / %j', (z, w, y, message) => {
    expect(validateAvhInput(z as number[][], w, y)).toMatch(message);
  });
});
