/**
 * Store screenshots are 1280×800 pictures of Counterpoint as a reader meets
 * it: the popup over the page it summarises, the companion beside its
 * article. Each part is a real screenshot of its own tab; this lays them out
 * on one canvas, in a tab of the same browser, and writes the PNG.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Tab } from './browsers';

export interface Layer {
  /** A PNG written by `Tab.screenshot`. */
  file: string;
  x: number;
  y: number;
  /** A drop shadow and a 1 px edge, for a window drawn over another. */
  raised?: boolean;
}

export async function compose(tab: Tab, width: number, height: number, layers: Layer[], out: string): Promise<void> {
  const sources = layers.map((l) => ({ ...l, url: `data:image/png;base64,${readFileSync(l.file).toString('base64')}` }));
  const png = await tab.evaluate(
    async ({ width, height, sources }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, width, height);
      for (const s of sources) {
        const img = new Image();
        img.src = s.url;
        await img.decode();
        if (s.raised) {
          g.save();
          g.shadowColor = 'rgba(0, 0, 0, 0.35)';
          g.shadowBlur = 24;
          g.shadowOffsetY = 6;
          g.fillStyle = '#ffffff';
          g.fillRect(s.x, s.y, img.width, img.height);
          g.restore();
        }
        g.drawImage(img, s.x, s.y);
        if (s.raised) {
          g.strokeStyle = 'rgba(0, 0, 0, 0.25)';
          g.strokeRect(s.x - 0.5, s.y - 0.5, img.width + 1, img.height + 1);
        }
      }
      return canvas.toDataURL('image/png');
    },
    { width, height, sources },
  );
  writeFileSync(out, Buffer.from(png.slice(png.indexOf(',') + 1), 'base64'));
}

/** The width and height a PNG file declares in its header. */
export function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
