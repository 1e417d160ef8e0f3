// Long diagrams opened with 'fit-viewport' shrink to a thin strip: open them fitted to the width
// instead, never below a zoom at which labels still read, starting at the diagram's left edge.
import type Canvas from 'diagram-js/lib/core/Canvas';

const MIN_READABLE = 0.7;
const MARGIN = 24;

export function fitWidthReadable(canvas: Canvas) {
  const { inner, outer } = canvas.viewbox();
  const zoom = Math.min(1, Math.max(MIN_READABLE, outer.width / (inner.width + 2 * MARGIN)));
  canvas.viewbox({ x: inner.x - MARGIN, y: inner.y - MARGIN, width: outer.width / zoom, height: outer.height / zoom });
}
