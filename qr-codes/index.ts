export {
  CODE_ID_ALPHABET,
  CODE_ID_MAX_LENGTH,
  CODE_ID_MIN_LENGTH,
  CODE_ID_PATTERN,
  generateCodeId,
  normalizeCodeId,
} from './code-id.js';
export {
  QR_QUIET_ZONE_MODULES,
  codeUrl,
  createQrSymbol,
  renderQrPng,
  renderQrSvg,
} from './qr.js';
export { QR_PNG_DEFAULT, QR_PNG_MAX, QR_PNG_MIN } from '../shared/domain.js';
export { POSTERS_PER_PAGE, POSTER_CSS, escapeHtml, renderPosterSheet } from './poster.js';
export type { PosterInput } from './poster.js';
