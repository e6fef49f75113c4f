import type { AgentRole } from '../../../../db/schema';

/** What an action or a page needs; checked before any handler does its work. */
export type Permission =
  | 'queue:read'
  | 'request:read'
  | 'request:reply'
  | 'request:note'
  | 'request:update'
  | 'request:merge'
  /** File a request for a resident (phone, counter, letter…) and record questions answered on the spot. */
  | 'request:file'
  | 'admin:agents'
  | 'admin:settings'
  | 'admin:saved-replies'
  | 'audit:read'
  | 'reports:read'
  | 'admin:surveys'
  | 'admin:privacy'
  /** Write help content and submit it for review. */
  | 'help:write'
  /** Publish and withdraw help content (administrators; agents too when the authority says so). */
  | 'help:publish';

const AGENT: Permission[] = ['queue:read', 'request:read', 'request:reply', 'request:note', 'request:update', 'request:merge', 'request:file', 'reports:read', 'help:write'];

export const ROLE_PERMISSIONS: Record<AgentRole, ReadonlySet<Permission>> = {
  agent: new Set(AGENT),
  admin: new Set<Permission>([...AGENT, 'admin:agents', 'admin:settings', 'admin:saved-replies', 'audit:read', 'admin:surveys', 'admin:privacy', 'help:publish']),
};

export const can = (agent: { role: AgentRole } | null | undefined, permission: Permission): boolean =>
  Boolean(agent && ROLE_PERMISSIONS[agent.role].has(permission));
