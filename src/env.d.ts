declare namespace App {
  interface Locals {
    /** The signed-in agent, set by the middleware on workspace pages and actions. */
    agent?: import('./lib/server/auth/session').SignedInAgent;
    session?: import('./lib/server/auth/session').Session;
  }
}
