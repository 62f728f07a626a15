// Realistic rating bodies as the citizen page sends them: a new device (clientId) and idempotency key
// each time, so the per-device limits never turn the run into a 429 benchmark; codes drawn at random
// from the county; ~5% 差评 (each opens a case), tags on about a third, some comments and phones.

export interface BodySpec {
  codes: string[];
  goodTags: string[];
  badTags: string[];
  /** Share of 差评 (scores 1–2). */
  badShare: number;
  seed: number;
}

export interface GeneratedRating {
  code: string;
  score: number;
  body: string;
}

/** mulberry32: small, fast, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMENTS_BAD = ['等了一个多小时还没轮到，窗口只开了两个', '材料要求前后说法不一致，跑了三次', '工作人员态度冷淡，问什么都说不知道'];
const COMMENTS_GOOD = ['办得很快，谢谢', '工作人员很耐心，讲解清楚', '一次就办好了，点赞'];

export function ratingBodies(spec: BodySpec): () => GeneratedRating {
  const rnd = prng(spec.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const prefix = Math.floor(rnd() * 2 ** 32).toString(36);
  let n = 0;
  return () => {
    n++;
    const bad = rnd() < spec.badShare;
    const score = bad ? (rnd() < 0.5 ? 1 : 2) : ((r) => (r < 0.72 ? 5 : r < 0.93 ? 4 : 3))(rnd());
    const body: Record<string, unknown> = { score, clientId: `c${prefix}x${n}dev`, idempotencyKey: `k${prefix}x${n}idem` };
    if (bad || rnd() < 0.3) body.tags = [pick(bad ? spec.badTags : spec.goodTags)];
    if (rnd() < (bad ? 0.6 : 0.08)) body.comment = pick(bad ? COMMENTS_BAD : COMMENTS_GOOD);
    if (rnd() < (bad ? 0.4 : 0.02)) {
      body.phone = `13${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
      body.consent = true;
    }
    return { code: pick(spec.codes), score, body: JSON.stringify(body) };
  };
}
