import type { ComponentType } from 'preact';
import type { SessionUser } from '../shared/api.js';
import { DepartmentsPage } from './pages/DepartmentsPage.js';
import { HomePage } from './pages/HomePage.js';

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
  roles?: Role[];
}

// One table of pages: each feature adds its own lines here.
export const ROUTES: RouteDef[] = [
  { path: '/', page: HomePage, nav: '首页' },
  { path: '/departments', page: DepartmentsPage, nav: '部门', roles: ['admin', 'supervisor'] },
];
