import type { Db } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/users.js';
import type { CreateUserInput, UserView } from '../../../shared/api/auth.js';
import { BadRequest, Conflict, Forbidden, NotFound, Unauthorized } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { OrgService } from '../org/org.service.js';
import type { Actor } from './actor.js';
import { hashPassword, verifyPassword } from './passwords.js';

// Verifying against a fixed hash when the user is unknown keeps login timing from revealing usernames.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function createAuthService(deps: {
  db: Db;
  clock: Clock;
  org: Pick<OrgService, 'departmentIdsInScope' | 'orgUnitIdsInScope' | 'assignUserDepartments'>;
}) {
  const { db, clock, org } = deps;

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
    /** Checks a username/password pair; throws Unauthorized without saying which part was wrong. */
    async verifyCredentials(username: string, password: string): Promise<UserView> {
      const user = await q.findUserByUsername(db, username);
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || !user.active) throw new Unauthorized('用户名或密码错误', 'InvalidCredentials');
      const at = clock.now();
      await db.transaction((tx) =>
        insertAudit(tx, { at, userId: user.id, action: 'auth.login', targetType: 'user', targetId: String(user.id) }),
      );
      return toView(user);
    },

    /** The actor behind a token subject, or null when the user no longer exists or is disabled. */
    async resolveActor(userId: number): Promise<Actor | null> {
      const user = await q.getUser(db, userId);
      if (!user?.active) return null;
      return {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        orgUnitId: user.role === 'dept_head' ? null : user.orgUnitId,
        departmentIds: new Set(await org.departmentIdsInScope(user)),
      };
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
      if (input.password.length < 8) throw new BadRequest('密码至少 8 位');
      if (input.role === 'dept_head') {
        const ids = input.departmentIds ?? [];
        if (ids.length === 0) throw new BadRequest('部门负责人必须指定所负责的部门');
        if (ids.some((id) => !actor.departmentIds.has(id))) throw new NotFound('部门不存在');
      } else {
        if (input.orgUnitId == null) throw new BadRequest('管理员和督查必须指定所属组织单位');
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
