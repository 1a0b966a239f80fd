/** The digest chart: a real PNG (decoded here, independently of the renderer), of the expected size, not blank. */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHART_SIZE, chartSpec, renderChartPng } from '../src/render/digest-chart.js';

/** Decodes an 8-bit RGB/RGBA non-interlaced PNG into pixels (what resvg writes). */
function decodePng(png: Buffer): { width: number; height: number; channels: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(data[12]).toBe(0); // not interlaced
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] as number) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter as number] as number;
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

const days = Array.from({ length: 14 }, (_, i) => `2026-11-${String(6 + i).padStart(2, '0')}`);
const chart = {
  days,
  series: [
    { namespace: 'data', bytes: days.map((_, i) => (i + 1) * 1_000_000) },
    { namespace: 'web', bytes: days.map((_, i) => (14 - i) * 500_000) },
    { namespace: 'batch', bytes: days.map((_, i) => (i >= 5 ? 50_000 : 0)) },
  ],
};

describe('digest chart', () => {
  it('renders a PNG of the expected size that is not blank', async () => {
    const png = await renderChartPng({ chart, date: '2026-11-20', tz: 'UTC' });
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    let ink = 0;
    const colours = new Set<number>();
    for (let i = 0; i < img.pixels.length; i += img.channels) {
      const [r, g, b] = [img.pixels[i] as number, img.pixels[i + 1] as number, img.pixels[i + 2] as number];
      if (r < 235 || g < 235 || b < 235) ink++;
      colours.add((r << 16) | (g << 8) | b);
    }
    const share = ink / (img.width * img.height);
    // Bars, axes and text cover a real part of the image, and it is not one solid fill either.
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.8);
    expect(colours.size).toBeGreaterThan(10);
    // The two biggest namespaces get vega's first two category colours (#4c78a8 blue, #f58518 orange).
    const has = (rgb: number) => {
      for (let i = 0; i < img.pixels.length; i += img.channels) {
        if (
          ((img.pixels[i] as number) << 16) + ((img.pixels[i + 1] as number) << 8) + (img.pixels[i + 2] as number) ===
          rgb
        )
          return true;
      }
      return false;
    };
    expect(has(0x4c78a8)).toBe(true);
    expect(has(0xf58518)).toBe(true);
  });

  it('the spec: stacked daily bars per namespace, at most 8 series plus "other"', () => {
    const many = {
      days,
      series: Array.from({ length: 11 }, (_, i) => ({ namespace: `ns${i}`, bytes: days.map(() => 1_000) })),
    };
    const spec = chartSpec(many, 't') as { data: { values: Array<{ namespace: string; mb: number }> } };
    const names = [...new Set(spec.data.values.map((v) => v.namespace))];
    expect(names).toEqual(['ns0', 'ns1', 'ns2', 'ns3', 'ns4', 'ns5', 'ns6', 'ns7', 'other']);
    expect(spec.data.values.find((v) => v.namespace === 'other')?.mb).toBeCloseTo(0.003);
    expect(chartSpec({ days: days.slice(0, 2), series: chart.series.slice(0, 1) }, 'Bytes out')).toMatchSnapshot();
  });
});
