// A province-sized organisation for the dashboards bench (`--org province`, issue 15): 3,000 codes in
// 400 departments under a province → 10 cities → 40 counties/districts, instead of the demo county
// (40 departments, 308 codes). Each county has ten departments, most in its 政务服务中心 with many
// windows, a few receiving at their own office with one or two; the users the bench signs in as are
// the demo ones (admin at the root, so every department is in scope; a supervisor; a department head).
// The domain knows two kinds of unit (市 → 县/区, ORG_KINDS): the province root is stored as a unit
// of kind 'city' above the cities, which only adds one level to the scope's recursive walk.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { insertDepartment, insertOrgUnit } from '../../db/queries/org.js';
import { codes } from '../../db/schema.js';
import { insertDemoUsers } from '../../db/seed.js';
import { generateCodeId } from '../../qr-codes/code-id.js';

export const PROVINCE = { cities: 10, countiesPerCity: 4, departmentsPerCounty: 10, codes: 3000 } as const;

const CITY_NAMES = ['东州市', '西陵市', '南江市', '北原市', '中平市', '临川市', '青山市', '白水市', '安阳市', '长宁市'];
const COUNTY_SUFFIX = ['城关区', '东县', '西县', '南县'];
/** A county's departments, with their share of its codes (the big halls first). */
const DEPARTMENTS: Array<{ name: string; weight: number; hall: boolean }> = [
  { name: '公安局', weight: 22, hall: true },
  { name: '税务局', weight: 18, hall: true },
  { name: '不动产登记中心', weight: 14, hall: true },
  { name: '人力资源和社会保障局', weight: 13, hall: true },
  { name: '行政审批服务局', weight: 12, hall: true },
  { name: '市场监督管理局', weight: 8, hall: true },
  { name: '医疗保障局', weight: 6, hall: true },
  { name: '住房公积金管理中心', weight: 4, hall: true },
  { name: '民政局', weight: 2, hall: false },
  { name: '司法局', weight: 1, hall: false },
];

/** Seeds the province in one transaction (an empty, migrated database). */
export async function seedProvince(db: Db, opts: { passwordHash: string; now: number }): Promise<void> {
  const now = opts.now;
  const counties = PROVINCE.cities * PROVINCE.countiesPerCity;
  const perCounty = PROVINCE.codes / counties;
  const totalWeight = DEPARTMENTS.reduce((n, d) => n + d.weight, 0);
  // Codes per department of a county: its share rounded, the rest to the largest, so a county has 75.
  const shares = DEPARTMENTS.map((d) => Math.max(1, Math.round((perCounty * d.weight) / totalWeight)));
  shares[0]! += perCounty - shares.reduce((n, s) => n + s, 0);
  const used = new Set<string>();
  await db.transaction(async (tx) => {
    const province = await insertOrgUnit(tx, { kind: 'city', name: '示例省', parentId: null, createdAt: now });
    let supervisorUnit = province.id;
    let headDepartment = 0;
    for (const cityName of CITY_NAMES.slice(0, PROVINCE.cities)) {
      const city = await insertOrgUnit(tx, { kind: 'city', name: cityName, parentId: province.id, createdAt: now });
      for (const suffix of COUNTY_SUFFIX.slice(0, PROVINCE.countiesPerCity)) {
        const countyName = `${cityName.slice(0, 2)}${suffix}`;
        const county = await insertOrgUnit(tx, { kind: 'county', name: countyName, parentId: city.id, createdAt: now });
        if (supervisorUnit === province.id) supervisorUnit = county.id;
        let window = 0;
        for (const [i, d] of DEPARTMENTS.entries()) {
          const dept = await insertDepartment(tx, {
            orgUnitId: county.id,
            name: `${countyName}${d.name}`,
            sortOrder: i + 1,
            createdAt: now,
          });
          if (headDepartment === 0 && d.name === '人力资源和社会保障局') headDepartment = dept.id;
          const rows = Array.from({ length: shares[i]! }, (_, w) => {
            let id = generateCodeId((n) => randomBytes(n));
            while (used.has(id)) id = generateCodeId((n) => randomBytes(n));
            used.add(id);
            const location = d.hall ? `${countyName}政务服务中心 ${++window}号窗口` : `${countyName}${d.name} 办事大厅 ${w + 1}号窗口`;
            return { id, departmentId: dept.id, location, createdAt: now, updatedAt: now };
          });
          await tx.insert(codes).values(rows);
        }
      }
    }
    await insertDemoUsers(tx, { passwordHash: opts.passwordHash, adminUnit: province.id, supervisorUnit, headDepartment, now });
  });
}
