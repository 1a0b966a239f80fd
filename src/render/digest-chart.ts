/**
 * The digest chart: bytes out to the internet per namespace per day over 14 days, as a PNG rendered server-side
 * (vega-lite spec → vega → SVG → @resvg/resvg-js). No browser, no canvas package: vega's 'none' renderer builds the
 * scenegraph and `toSVG()` serialises it; resvg rasterises it with the system fonts.
 */
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Digest } from '../digest/types.js';

/** Pixel size of the PNG (the spec fits itself into exactly this box). */
export const CHART_SIZE = { width: 900, height: 420 } as const;

/** Namespaces drawn separately; the rest are summed into "other" so the legend stays readable. */
const MAX_SERIES = 8;

/** The vega-lite spec for a digest's chart data. Pure (the tests snapshot it). */
export function chartSpec(chart: Digest['chart'], title: string): TopLevelSpec {
  const shown = chart.series.slice(0, MAX_SERIES);
  const rest = chart.series.slice(MAX_SERIES);
  const series = rest.length
    ? [
        ...shown,
        { namespace: 'other', bytes: chart.days.map((_, i) => rest.reduce((s, r) => s + (r.bytes[i] ?? 0), 0)) },
      ]
    : shown;
  const values = series.flatMap((s) =>
    chart.days.map((day, i) => ({ day, namespace: s.namespace, mb: (s.bytes[i] ?? 0) / 1e6 })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, anchor: 'start', fontSize: 15 },
    width: CHART_SIZE.width,
    height: CHART_SIZE.height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: 'white',
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'day', type: 'ordinal', title: null, axis: { labelAngle: -40 } },
      y: { field: 'mb', type: 'quantitative', aggregate: 'sum', title: 'MB out to the internet (10^6 bytes)' },
      color: { field: 'namespace', type: 'nominal', title: 'namespace', sort: series.map((s) => s.namespace) },
    },
    config: { font: 'DejaVu Sans', view: { stroke: null } },
  };
}

/** Renders a vega-lite spec to SVG text. */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart of a digest as PNG bytes (exactly {@link CHART_SIZE}). */
export async function renderChartPng(d: Pick<Digest, 'chart' | 'date' | 'tz'>): Promise<Buffer> {
  const title = `Bytes out per namespace per day · ${d.chart.days[0]} → ${d.chart.days.at(-1)} (${d.tz})`;
  const svg = await specToSvg(chartSpec(d.chart, title));
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
