export { QR_PNG_DEFAULT, QR_PNG_MAX, QR_PNG_MIN } from '../shared/domain.js';
export {
  CODE_ID_ALPHABET,
  CODE_ID_MAX_LENGTH,
  CODE_ID_MIN_LENGTH,
  CODE_ID_PATTERN,
  generateCodeId,
  normalizeCodeId,
} from './code-id.js';
export type { PosterInput } from './poster.js';
export { escapeHtml, POSTER_CSS, POSTERS_PER_PAGE, renderPosterSheet } from './poster.js';
export {
  codeUrl,
  createQrSymbol,
  QR_QUIET_ZONE_MODULES,
  renderQrPng,
  renderQrSvg,
} from './qr.js';
