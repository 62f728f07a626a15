import type { ComponentType } from 'preact';
import { ROLES } from '../../shared/domain.js';
import type { SessionUser } from '../shared/api.js';
import { AccountPage } from './pages/AccountPage.js';
import { CaseDetailPage } from './pages/CaseDetailPage.js';
import { CasesPage } from './pages/CasesPage.js';
import { ChannelsPage } from './pages/ChannelsPage.js';
import { CodeKiosksPage } from './pages/CodeKiosksPage.js';
import { CodesPage } from './pages/CodesPage.js';
import { ComplaintEntryPage } from './pages/ComplaintEntryPage.js';
import { CredibilityPage } from './pages/CredibilityPage.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { DepartmentsPage } from './pages/DepartmentsPage.js';
import { GuidesPage } from './pages/GuidesPage.js';
import { HeldPage } from './pages/HeldPage.js';
import { HomePage } from './pages/HomePage.js';
import { IntegrationsPage } from './pages/IntegrationsPage.js';
import { MatterDetailPage } from './pages/MatterDetailPage.js';
import { MatterFiguresPage } from './pages/MatterFiguresPage.js';
import { MattersPage } from './pages/MattersPage.js';
import { MyObservationsPage, ObservationFormPage } from './pages/ObservationPages.js';
import { PaperEntryPage } from './pages/PaperEntryPage.js';
import { RatingsPage } from './pages/RatingsPage.js';
import { ReportsPage } from './pages/ReportsPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { SpotChecksPage } from './pages/SpotChecksPage.js';
import { SuggestionsPage } from './pages/SuggestionsPage.js';
import { TodoPage } from './pages/TodoPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { WebhooksPage } from './pages/WebhooksPage.js';

export type Role = SessionUser['role'];

export interface PageProps {
  user: SessionUser;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface RouteDef {
  path: string;
  page: ComponentType<PageProps>;
  /** Navigation label; routes without one are reachable by link only. */
  nav?: string;
  /** Who may open it; when omitted, any staff role (an observer only sees the routes that name theirs). */
  roles?: Role[];
}

// One table of pages: each feature adds its own lines here.
export const ROUTES: RouteDef[] = [
  { path: '/', page: HomePage, nav: '首页' },
  { path: '/dashboard', page: DashboardPage, nav: '统计' },
  { path: '/ratings', page: RatingsPage, nav: '评价' },
  { path: '/held', page: HeldPage, nav: '待核查评价', roles: ['supervisor', 'admin'] },
  { path: '/matter-figures', page: MatterFiguresPage },
  { path: '/cases', page: CasesPage, nav: '案件' },
  { path: '/cases/:id', page: CaseDetailPage },
  { path: '/matters', page: MattersPage, nav: '办件' },
  { path: '/matters/:projectNo', page: MatterDetailPage },
  { path: '/todo', page: TodoPage, nav: '待整改', roles: ['dept_head'] },
  { path: '/spot-checks', page: SpotChecksPage, nav: '好评抽查', roles: ['supervisor', 'admin'] },
  { path: '/credibility', page: CredibilityPage, nav: '可信度', roles: ['supervisor', 'admin'] },
  { path: '/reports', page: ReportsPage, nav: '数据上报', roles: ['supervisor', 'admin'] },
  { path: '/webhooks', page: WebhooksPage, nav: '消息推送', roles: ['admin'] },
  { path: '/integrations', page: IntegrationsPage, nav: '系统对接', roles: ['admin'] },
  { path: '/departments', page: DepartmentsPage, nav: '部门', roles: ['admin', 'supervisor'] },
  { path: '/codes', page: CodesPage, nav: '评议码' },
  { path: '/codes/:code/kiosks', page: CodeKiosksPage, roles: ['admin'] },
  { path: '/users', page: UsersPage, nav: '用户', roles: ['admin'] },
  { path: '/settings', page: SettingsPage, nav: '设置', roles: ['admin', 'supervisor'] },
  { path: '/account', page: AccountPage, roles: [...ROLES] },
  { path: '/paper', page: PaperEntryPage, nav: '录入问卷', roles: ['supervisor', 'admin'] },
  { path: '/guides', page: GuidesPage, nav: '办事指南' },
  { path: '/complaints/new', page: ComplaintEntryPage, nav: '录入投诉' },
  { path: '/suggestions', page: SuggestionsPage, nav: '金点子' },
  { path: '/channels', page: ChannelsPage, nav: '其他渠道', roles: ['dept_head', 'supervisor', 'admin'] },
  // 监督报告: a staff member's 一把手走流程; an observer's whole app (their landing page is the form).
  { path: '/walkthrough', page: ObservationFormPage, nav: '走流程', roles: ['dept_head', 'supervisor', 'admin'] },
  { path: '/', page: ObservationFormPage, nav: '提交监督报告', roles: ['observer'] },
  { path: '/observations', page: MyObservationsPage, nav: '我的报告', roles: ['observer'] },
  { path: '/observations', page: MyObservationsPage, roles: ['dept_head', 'supervisor', 'admin'] },
];
