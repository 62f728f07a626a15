import type { Db } from '../../../db/client.js';
import { insertAudit, latestLogins } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/users.js';
import type { ChangePasswordInput, CreateUserInput, UserView } from '../../../shared/api/auth.js';
import { chinaMinute } from '../../../shared/china-time.js';
import { PASSWORD_MIN_LENGTH } from '../../../shared/domain.js';
import type { LoginLimits } from '../../config.js';
import { BadRequest, Conflict, Forbidden, NotFound, TooMany, Unauthorized } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { OrgService } from '../org/org.service.js';
import type { Actor } from './actor.js';
import { hashPassword, verifyPassword } from './passwords.js';

// Verifying against a fixed hash when the user is unknown keeps login timing from revealing usernames.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

// The keys failed logins are counted under (login_failures): the account whatever the address, and
// the address whatever the accounts. An unknown username is counted like a real one, so a lock never
// tells whether an account exists.
const accountKey = (username: string) => `user:${username.trim().toLowerCase()}`;
const addressKey = (address: string) => `addr:${address}`;

/** A signed-in session's user: the token must carry this version (docs/api.md 1.2). */
export interface SessionUser {
  user: UserView;
  tokenVersion: number;
}

export function createAuthService(deps: {
  db: Db;
  clock: Clock;
  org: Pick<OrgService, 'departmentScope' | 'departmentIdsInScope' | 'orgUnitIdsInScope' | 'assignUserDepartments'>;
  limits: LoginLimits;
}) {
  const { db, clock, org, limits } = deps;
  const lockMs = limits.lockMinutes * 60_000;

  async function toActor(user: q.SessionUserRow): Promise<Actor> {
    const scope = await org.departmentScope(user);
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      orgUnitId: user.role === 'dept_head' ? null : user.orgUnitId,
      departmentIds: new Set(scope.ids),
      everyDepartment: scope.every,
    };
  }

  /** Refuses an attempt while its account or address is locked; returns the account's failure count. */
  async function refuseIfLocked(account: string, address: string | null): Promise<number> {
    const now = clock.now();
    const rows = await q.loginFailureRows(db, address === null ? [account] : [account, address]);
    for (const row of rows) {
      if (row.unlocksAt > now) {
        const minutes = Math.max(1, Math.ceil((row.unlocksAt - now) / 60_000));
        const until = `${chinaMinute(row.unlocksAt).slice(11)}（约 ${minutes} 分钟后）`;
        throw new TooMany(
          row.key === account
            ? `该账号登录失败次数过多，已暂时锁定，请于 ${until}再试，或请管理员重置密码`
            : `此网络登录失败次数过多，已暂时限制登录，请于 ${until}再试`,
          'TooManyLoginAttempts',
        );
      }
    }
    return rows.find((r) => r.key === account)?.failures ?? 0;
  }

  /** Counts a failed login (or a wrong current password) against the account and the address. */
  async function countFailure(account: string, address: string | null): Promise<void> {
    const now = clock.now();
    const windowMs = lockMs;
    await db.transaction(async (tx) => {
      await q.countLoginFailure(tx, account, { now, windowMs, lockMs, max: limits.maxFailuresPerAccount });
      if (address !== null) await q.countLoginFailure(tx, address, { now, windowMs, lockMs, max: limits.maxFailuresPerAddress });
    });
  }

  function checkNewPassword(password: string): void {
    if (password.length < PASSWORD_MIN_LENGTH) throw new BadRequest(`密码至少 ${PASSWORD_MIN_LENGTH} 位`, 'WeakPassword');
  }

  /** Whether a user is within an admin's scope (the users the admin lists and manages). */
  async function inAdminScope(actor: Actor, u: UserView): Promise<boolean> {
    if (u.role === 'dept_head') return u.departmentIds.some((d) => actor.departmentIds.has(d));
    return u.orgUnitId != null && (await org.orgUnitIdsInScope(actor)).includes(u.orgUnitId);
  }

  /** A user an admin may manage (not themselves), or NotFound as for a user outside the scope. */
  async function managedUser(actor: Actor, userId: number, self: string): Promise<q.UserRow> {
    if (actor.role !== 'admin') throw new Forbidden('只有管理员可以管理用户');
    if (userId === actor.id) throw new BadRequest(self, 'OwnAccount');
    const row = await q.getUser(db, userId);
    if (!row || !(await inAdminScope(actor, await toView(row)))) throw new NotFound('用户不存在', 'UserNotFound');
    return row;
  }

  async function toView(u: q.UserRow): Promise<UserView> {
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      orgUnitId: u.orgUnitId,
      departmentIds: u.role === 'dept_head' ? await org.departmentIdsInScope(u) : [],
      active: u.active,
    };
  }

  return {
    /**
     * Checks a username/password pair from an address; throws Unauthorized without saying which part
     * was wrong, or TooMany while the account or the address is locked. Only failures are counted.
     */
    async login(username: string, password: string, address: string): Promise<SessionUser> {
      const account = accountKey(username);
      const failures = await refuseIfLocked(account, addressKey(address));
      const user = await q.findUserByUsername(db, username);
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || !user.active) {
        await countFailure(account, addressKey(address));
        throw new Unauthorized('用户名或密码错误', 'InvalidCredentials');
      }
      const at = clock.now();
      await db.transaction(async (tx) => {
        // The account's earlier failures are forgiven; the address's are not (others may be guessing).
        if (failures > 0) await q.clearLoginFailures(tx, account);
        await insertAudit(tx, { at, userId: user.id, action: 'auth.login', targetType: 'user', targetId: String(user.id) });
      });
      return { user: await toView(user), tokenVersion: user.tokenVersion };
    },

    /** When the user logged in before their latest login (null: no earlier login recorded), from the audit log. */
    async previousLoginAt(userId: number): Promise<number | null> {
      return (await latestLogins(db, userId, 2))[1] ?? null;
    },

    /** The actor behind a user id (an officer chosen for a case), or null when gone or disabled. */
    async resolveActor(userId: number): Promise<Actor | null> {
      const user = await q.getUser(db, userId);
      if (!user?.active) return null;
      return toActor(user);
    },

    /**
     * The actor of a request's token (every staff request: one prepared statement), or null when the
     * user is gone or disabled, or the token was revoked: logged out, or signed before the user's
     * tokens were revoked (another version).
     */
    async resolveSession(userId: number, tokenVersion: number, jti: string): Promise<Actor | null> {
      const user = await q.sessionUser(db, userId, tokenVersion, jti);
      return user ? toActor(user) : null;
    },

    /** Ends this token only (the user's other sessions go on). */
    async logout(actor: Actor, token: { jti: string; expiresAt: number }): Promise<void> {
      const at = clock.now();
      await db.transaction(async (tx) => {
        await q.revokeToken(tx, token.jti, token.expiresAt);
        await insertAudit(tx, { at, userId: actor.id, action: 'auth.logout', targetType: 'user', targetId: String(actor.id) });
      });
    },

    /** Ends every session of the actor, on every device. */
    async logoutEverywhere(actor: Actor): Promise<void> {
      const at = clock.now();
      await db.transaction(async (tx) => {
        await q.revokeUserTokens(tx, actor.id);
        await insertAudit(tx, { at, userId: actor.id, action: 'auth.logout_all', targetType: 'user', targetId: String(actor.id) });
      });
    },

    /**
     * Changes the actor's own password: the current one must be right (a wrong one counts as a failed
     * login of the account). Every earlier token of the user stops working; returns the new version.
     */
    async changePassword(actor: Actor, input: ChangePasswordInput, address: string): Promise<number> {
      const account = accountKey(actor.username);
      await refuseIfLocked(account, null);
      const user = await q.getUser(db, actor.id);
      if (!user) throw new Unauthorized();
      if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
        await countFailure(account, addressKey(address));
        throw new BadRequest('当前密码不正确', 'WrongPassword');
      }
      checkNewPassword(input.newPassword);
      if (input.newPassword === input.currentPassword) throw new BadRequest('新密码不能与当前密码相同', 'SamePassword');
      const passwordHash = await hashPassword(input.newPassword);
      const at = clock.now();
      return db.transaction(async (tx) => {
        const version = await q.setPasswordHash(tx, user.id, passwordHash);
        await insertAudit(tx, { at, userId: actor.id, action: 'auth.password', targetType: 'user', targetId: String(actor.id) });
        return version;
      });
    },

    /** An admin sets a new password for a user of their scope: the user's sessions end, a lock lifts. */
    async resetPassword(actor: Actor, userId: number, newPassword: string): Promise<void> {
      const user = await managedUser(actor, userId, '修改自己的密码请使用“修改密码”');
      checkNewPassword(newPassword);
      const passwordHash = await hashPassword(newPassword);
      const at = clock.now();
      await db.transaction(async (tx) => {
        await q.setPasswordHash(tx, user.id, passwordHash);
        await q.clearLoginFailures(tx, accountKey(user.username));
        await insertAudit(tx, { at, userId: actor.id, action: 'user.password_reset', targetType: 'user', targetId: String(user.id) });
      });
    },

    /** An admin disables (every session of the user ends) or enables again a user of their scope. */
    async setActive(actor: Actor, userId: number, active: boolean): Promise<UserView> {
      const user = await managedUser(actor, userId, '不能停用或启用自己的账号');
      const at = clock.now();
      const row = await db.transaction(async (tx) => {
        const updated = await q.setUserActive(tx, user.id, active);
        if (!active) await q.revokeUserTokens(tx, user.id);
        await insertAudit(tx, {
          at,
          userId: actor.id,
          action: active ? 'user.enable' : 'user.disable',
          targetType: 'user',
          targetId: String(user.id),
        });
        return updated;
      });
      return toView(row);
    },

    /** Forgets logged-out tokens past their expiry and failure counts that no longer matter (a job). */
    prune(): Promise<void> {
      return db.transaction((tx) => q.pruneSessions(tx, clock.now(), lockMs));
    },

    async me(actor: Actor): Promise<UserView> {
      const u = await q.getUser(db, actor.id);
      if (!u) throw new NotFound('用户不存在');
      return toView(u);
    },

    async listUsers(actor: Actor): Promise<UserView[]> {
      if (actor.role !== 'admin') throw new Forbidden('只有管理员可以管理用户');
      const units = new Set(await org.orgUnitIdsInScope(actor));
      const views: UserView[] = [];
      for (const row of await q.listUsers(db)) views.push(await toView(row));
      return views.filter((u) =>
        u.role === 'dept_head' ? u.departmentIds.some((d) => actor.departmentIds.has(d)) : u.orgUnitId != null && units.has(u.orgUnitId),
      );
    },

    async createUser(actor: Actor, input: CreateUserInput): Promise<UserView> {
      if (actor.role !== 'admin') throw new Forbidden('只有管理员可以新建用户');
      const username = input.username.trim();
      if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) {
        throw new BadRequest('用户名须为 3–32 位字母、数字或 _ . -');
      }
      checkNewPassword(input.password);
      if (input.role === 'dept_head') {
        const ids = input.departmentIds ?? [];
        if (ids.length === 0) throw new BadRequest('部门负责人必须指定所负责的部门');
        if (ids.some((id) => !actor.departmentIds.has(id))) throw new NotFound('部门不存在');
      } else {
        if (input.orgUnitId == null) throw new BadRequest('管理员、督查和特邀监督员必须指定所属组织单位（orgUnitId）');
        if (!(await org.orgUnitIdsInScope(actor)).includes(input.orgUnitId)) throw new NotFound('组织单位不存在');
      }
      if (await q.findUserByUsername(db, username)) throw new Conflict(`用户名「${username}」已被使用`);
      const passwordHash = await hashPassword(input.password);
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const u = await q.insertUser(tx, {
          username,
          displayName: input.displayName?.trim() || username,
          passwordHash,
          role: input.role,
          orgUnitId: input.role === 'dept_head' ? null : input.orgUnitId,
          createdAt: now,
        });
        if (input.role === 'dept_head') await org.assignUserDepartments(tx, u.id, input.departmentIds ?? []);
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'user.create',
          targetType: 'user',
          targetId: String(u.id),
          detail: { username, role: input.role },
        });
        return u;
      });
      return toView(row);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
