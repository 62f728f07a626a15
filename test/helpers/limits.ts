// Limits settings for tests of one hold rule at a time (docs/domain.md, Rating: held ratings).
import type { Settings } from '../../shared/api/settings.js';

/** Every hold rule's threshold out of the tests' reach: spread it, then bring the rule under test back within reach. */
export const HOLD_RULES_OUT_OF_REACH: Partial<Settings['limits']> = {
  perCodeMinutes: 0,
  perDevicePerDay: 1000,
  burstPerNetwork: 100000,
  burstPerDevice: 1000,
  burstBadPerNetwork: 1000,
  networkDayMin: 100000,
  deviceDepartmentPerDay: 1000,
  deviceCodesPerDay: 1000,
  deviceDepartmentsPerDay: 1000,
  bareDevicesMin: 100000,
};
