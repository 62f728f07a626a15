// The five levels' faces, drawn: the tablets' browsers may have no emoji font (Debian's chromium has
// none), and a drawn face looks the same on every tablet.
import type { Score } from '../../shared/domain.js';

/** Each level's colour (dark enough for white strokes) and mouth: a smile for 5, a frown for 1. */
const LOOK: Record<Score, { colour: string; mouth: string }> = {
  5: { colour: '#18794e', mouth: 'M30 58 Q50 80 70 58' },
  4: { colour: '#3f7d20', mouth: 'M33 62 Q50 72 67 62' },
  3: { colour: '#8a6100', mouth: 'M34 65 L66 65' },
  2: { colour: '#c2410c', mouth: 'M33 70 Q50 60 67 70' },
  1: { colour: '#b91c1c', mouth: 'M30 74 Q50 54 70 74' },
};

export function Face({ score }: { score: Score }) {
  const { colour, mouth } = LOOK[score];
  return (
    <svg class="face" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      <circle cx="50" cy="50" r="46" fill={colour} />
      <circle cx="36" cy="40" r="6" fill="#fff" />
      <circle cx="64" cy="40" r="6" fill="#fff" />
      {score === 1 && <path d="M26 28 L42 33 M74 28 L58 33" stroke="#fff" stroke-width="5" stroke-linecap="round" />}
      <path d={mouth} fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" />
    </svg>
  );
}

/** The thanks screen's tick. */
export function Tick() {
  return (
    <svg class="tick" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      <circle cx="50" cy="50" r="46" fill="#18794e" />
      <path d="M28 52 L44 68 L73 36" fill="none" stroke="#fff" stroke-width="9" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
