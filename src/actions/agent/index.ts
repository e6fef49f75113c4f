/**
 * Actions of the agents' workspace, by feature (mirroring src/lib/server/). Each one checks who
 * calls it first (`requireAgent` with the permission it needs; the middleware has already
 * refused visitors without a session), validates the form, calls a service, and answers like
 * the request actions do: `ok` with the address to go to next (the page redirects, so a reload
 * never posts twice), or the messages to show next to each field and in the error summary.
 */
import { administrationActions } from './administration';
import { authActions } from './auth';
import { evaluationActions } from './evaluation';
import { helpActions } from './help';
import { intakeActions } from './intake';
import { mailboxActions } from './mailbox';
import { announcementActions } from './announcements';
import { chatActions } from './chat';
import { problemActions } from './problems';
import { profileActions } from './profile';
import { trainingActions } from './training';
import { requestsActions } from './requests';

export type { AgentOutcome } from './shared';

export const agentActions = {
  ...authActions,
  ...profileActions,
  ...requestsActions,
  ...intakeActions,
  ...administrationActions,
  ...mailboxActions,
  ...announcementActions,
  ...problemActions,
  ...evaluationActions,
  ...helpActions,
  ...trainingActions,
  ...chatActions,
};
