import { describe, expect, it } from 'vitest';
import { PF_LABELS, RATING_CHANNELS, RATING_PF } from '../../shared/domain.js';
import {
  areaCodeProblem,
  creditCheckChar,
  creditCodeProblem,
  isAreaCode,
  isCreditCode,
  normalizeCreditCode,
  orgCheckChar,
} from '../../shared/report-codes.js';

// Published codes: government bodies (机关, 11…), a public institution (事业单位, 12…) and companies (91…).
// Each carries two independent check characters (GB 11714 in position 17, GB 32100 in position 18): a
// wrongly remembered or mistyped code passes both about once in 341 tries.
const PUBLISHED = [
  '11100000000013127D',
  '11100000000019713D',
  '11110000000021135M',
  '12100000400000624D',
  '914403001922038216',
  '9144030071526726XG',
  '91110000802100433B',
  '91310000132149237G',
  '91110000710935003U',
];
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('the standard’s worked example: 91350100M000100Y4? has check character 3 (Σ = 1640, 1640 mod 31 = 28, 31 − 28 = 3)', () => {
    expect(creditCheckChar('91350100M000100Y4')).toBe('3');
    expect(isCreditCode('91350100M000100Y43')).toBe(true);
    expect(creditCodeProblem('91350100M000100Y4Z')).toBe(
      '统一社会信用代码第 18 位「Z」不是有效字符（只用数字和除 I、O、Z、S、V 外的大写字母）',
    );
  });

  it('accepts published codes', () => {
    for (const code of PUBLISHED) expect(creditCodeProblem(code), code).toBeNull();
  });

  it('refuses every one-character change of a published code, naming what is wrong', () => {
    for (const code of PUBLISHED) {
      for (let i = 0; i < 18; i++) {
        for (const c of CREDIT_ALPHABET) {
          if (c === code[i]) continue;
          const wrong = code.slice(0, i) + c + code.slice(i + 1);
          // Positions 3–8 must stay digits; positions 9–16 feed both checks; 17 and 18 are the checks themselves.
          expect(isCreditCode(wrong), wrong).toBe(false);
        }
      }
    }
    expect(creditCodeProblem('11100000000013127E')).toBe('统一社会信用代码校验位不符：第 18 位应为 D');
    expect(creditCodeProblem('11100000000013128D')).toBe('统一社会信用代码第 9–17 位（组织机构代码）校验位不符：第 17 位应为 7');
    // Σ grows by 1 × W1 = 1: 18 → 19, so the check value goes 13 (D) → 12 (C).
    expect(creditCodeProblem('21100000000013127D')).toBe('统一社会信用代码校验位不符：第 18 位应为 C');
  });

  it('names the length and a character outside the alphabet', () => {
    expect(creditCodeProblem('11100000000013127')).toBe('统一社会信用代码应为 18 位，现为 17 位');
    expect(creditCodeProblem('1110000000001312ID')).toMatch(/第 17 位「I」不是有效字符/);
    expect(creditCodeProblem('11A00000000013127D')).toMatch(/第 3–8 位应为登记机关的行政区划代码/);
    expect(creditCodeProblem('11100000000013127d')).toMatch(/第 18 位「d」/);
    expect(normalizeCreditCode(' 1110 0000 0000 13127d ')).toBe('11100000000013127D');
  });

  it('the 组织机构代码 check digit (GB 11714): 10 is X, 11 is 0', () => {
    expect(orgCheckChar('00001312')).toBe('7');
    expect(orgCheckChar('71526726')).toBe('X');
    expect(orgCheckChar('M000100Y')).toBe('4');
    expect(orgCheckChar('00000000')).toBe('0');
  });
});

describe('行政区划代码 (GB/T 2260, 12 digits)', () => {
  it('accepts a city, a county, a township', () => {
    for (const code of ['330300000000', '330302000000', '330302001000', '110101001001', '429004000000']) {
      expect(areaCodeProblem(code), code).toBeNull();
    }
  });

  it('refuses wrong length, non-digits, a non-province, a whole province and a broken hierarchy', () => {
    expect(areaCodeProblem('330302')).toBe('行政区划代码应为 12 位数字');
    expect(areaCodeProblem('33030200000A')).toBe('行政区划代码应为 12 位数字');
    expect(areaCodeProblem('990302000000')).toBe('行政区划代码前两位「99」不是省级代码');
    expect(areaCodeProblem('000000000000')).toBe('行政区划代码前两位「00」不是省级代码');
    expect(areaCodeProblem('330000000000')).toMatch(/地市/);
    expect(areaCodeProblem('330002000000')).toMatch(/地市/);
    expect(areaCodeProblem('330300001000')).toMatch(/层级不符/);
    expect(isAreaCode('330302000001')).toBe(false);
  });
});

describe('pf 评价渠道', () => {
  it('maps every channel to the provincial code the contract names, each with its label', () => {
    // Staff-typed 纸质问卷 and 12345 return calls are 其他终端 (5) for the province (DOMAIN: Other ways in).
    expect(RATING_PF).toEqual({ qr: '3', kiosk: '4', link: '2', default: '7', paper: '5', '12345': '5' });
    for (const channel of RATING_CHANNELS) expect(PF_LABELS[RATING_PF[channel]], channel).toBeTruthy();
    expect(PF_LABELS[RATING_PF.default]).toBe('系统默认评价');
  });
});
