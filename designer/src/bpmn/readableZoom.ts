// Long diagrams opened with 'fit-viewport' shrink to a thin strip: open them fitted to the width
// instead, never below a zoom at which labels still read, starting at the diagram's left edge just
// right of the palette (which floats over the canvas's left end), so no element opens beneath it.
import type Canvas from 'diagram-js/lib/core/Canvas';

const MIN_READABLE = 0.7;
const MARGIN = 24;
/** Screen pixels the palette covers at the canvas's left (two columns of tools and its offset). */
const PALETTE = 110;

export function fitWidthReadable(canvas: Canvas) {
  const { inner, outer } = canvas.viewbox();
  const zoom = Math.min(1, Math.max(MIN_READABLE, (outer.width - PALETTE) / (inner.width + 2 * MARGIN)));
  canvas.viewbox({ x: inner.x - MARGIN - PALETTE / zoom, y: inner.y - MARGIN, width: outer.width / zoom, height: outer.height / zoom });
}
