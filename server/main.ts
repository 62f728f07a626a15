// The only entry: loadConfig → openDb → migrate → seed → buildApp → listen; graceful close.

import type { Logger as PinoLogger } from 'pino';
import { closeDb, openDatabase } from '../db/client.js';
import { migrateDb } from '../db/migrate.js';
import { DEMO_OBSERVERS, DEMO_USERS, seedDemo } from '../db/seed.js';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DEMO_HISTORY_DAYS, seedDemoActivity } from './demo-activity.js';
import { systemClock } from './lib/clock.js';
import { runJobOnce } from './lib/instances.js';
import { createLogger } from './lib/logger.js';
import { hashPassword } from './modules/auth/passwords.js';
import { createServices, type Services } from './services.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      createLogger('info').fatal(`配置错误 / configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  const db = openDatabase(config.databaseUrl ?? config.dbFile);
  await migrateDb(db);
  const seedAt = systemClock.now();
  // With a history, the codes were put up the day before it (and its 特邀监督员 get their logins).
  const history = config.seedDemoActivity ? { since: seedAt - (DEMO_HISTORY_DAYS + 1) * 86_400_000 } : undefined;
  const seed = config.seedDemo
    ? await seedDemo(db, { passwordHash: await hashPassword(config.seedPassword.value), now: seedAt, ...(history ? { history } : {}) })
    : { seeded: false, firstCode: null };

  const activity = seed.seeded && config.seedDemoActivity ? await seedDemoActivity(config, db, { now: systemClock.now() }) : null;

  const services = await createServices({ config, db, logger });
  const app = await buildApp({ services, logger });
  const stopJobs = startJobs(services, logger);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      // The same stop often arrives twice: under `npm start` / `npm run serve` a signal sent to the
      // process group (systemd's default KillMode=control-group, Ctrl-C in a terminal) reaches node
      // directly AND forwarded by npm. With no listener left, Node's default action would kill the
      // process mid-shutdown and drop the requests in flight; so every later signal is ignored (the
      // grace period bounds the stop; SIGKILL remains the last resort).
      app.log.info({ signal }, 'already shutting down; signal ignored');
      return;
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    stopJobs();
    try {
      await app.close();
      // Requests have finished, so the group-commit queue is empty; flushing is a no-op safeguard.
      await services.ratings.flush();
      await closeDb(db);
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  // `on`, not `once`: the listener must stay for the repeated signal (see shutdown).
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const local = `http://localhost:${port}`;
  const firstCode = seed.firstCode ?? (await services.codes.firstActiveCode());
  const lines = [
    '',
    '码上评议 已启动',
    `  数据库:       ${db.file}${seed.seeded ? '（已创建示例县：40 个部门、308 个评议码）' : ''}`,
    activity
      ? `  示例数据:     近 60 天 ${activity.ratings} 条评价、${activity.cases} 件差评案件、${activity.matters} 件办件（${activity.ratedMatters} 件已评价）（SEED_DEMO_ACTIVITY=false 可不生成）`
      : null,
    activity
      ? `  其他渠道:     ${activity.otherWays.reports} 件办不成事、${activity.otherWays.complaints} 件投诉/12345、${activity.otherWays.paper} 份纸质问卷、${activity.otherWays.observations} 份监督报告和 ${activity.otherWays.walkthroughs} 次一把手走流程`
      : null,
    `  管理后台:     ${local}/admin/`,
    firstCode ? `  市民评价页:   ${config.publicBaseUrl}/r/${firstCode}` : null,
    // A link lets whoever holds it rate a citizen's 办件: shown on the demo's first start only.
    activity?.openLink ? `  办件评价链接: ${activity.openLink}   （今天办结、尚未评价的示例办件；一次一评）` : null,
    activity?.kioskUrl ? `  评价器:       ${activity.kioskUrl}   （一个窗口的平板页面；该窗口办结办件后显示评价）` : null,
    activity?.held ? `  待核查评价:   ${activity.held} 条（昨天一个地址的刷评和一次集中差评，已暂扣；督查登录后在“待核查评价”裁决）` : null,
    `  公开排名:     ${local}/public`,
    `  API 文档:     ${local}/api/docs`,
  ];
  if (seed.seeded) {
    lines.push(
      `  示例账号:     ${DEMO_USERS.admin.username}（管理员）· ${DEMO_USERS.supervisor.username}（督查）· ${DEMO_USERS.head.username}（部门负责人）${activity ? `· ${DEMO_OBSERVERS[0]!.username}（特邀监督员）` : ''}`,
      config.seedPassword.generated
        ? `  初始密码:     ${config.seedPassword.value}   （随机生成，仅显示这一次；可用 SEED_PASSWORD 指定）`
        : '  初始密码:     SEED_PASSWORD 所设的值',
    );
  } else {
    lines.push('  示例账号:     admin · supervisor · head（有示例数据时还有 observer）（密码为首次启动时打印或 SEED_PASSWORD 所设的值）');
  }
  // The banner is for the person who started the server, not a log line: plain text on stdout.
  process.stdout.write(`${lines.filter((l) => l !== null).join('\n')}\n\n`);
}

/** Background jobs (overdue escalation, phone erasure, webhook delivery); returns a stopper. */
function startJobs(services: Services, logger: PinoLogger): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const job of services.jobs) {
    const t = setInterval(() => {
      // A failing job must not take the server down; it is retried on the next tick.
      Promise.resolve()
        .then(() => runJobOnce(services.db, services.clock, job))
        .catch((err: unknown) => logger.error({ err, job: job.name }, 'job failed; retried at its next tick'));
    }, job.everyMs);
    t.unref();
    timers.push(t);
  }
  return () => timers.forEach(clearInterval);
}

main().catch((err: unknown) => {
  createLogger('info').fatal({ err }, 'server failed to start');
  process.exit(1);
});
