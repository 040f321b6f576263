/** Hook tool name → handler. A name not in this table is "command not found". */
import { actionFail, actionGet, actionLog, actionSet } from "./action-tools.ts";
import type { ToolHandler } from "./handler.ts";
import { closePort, goalState, networkGet, openedPorts, openPort } from "./network-tools.ts";
import { relationGet, relationIds, relationList, relationSet } from "./relation-tools.ts";
import {
  secretAdd,
  secretGet,
  secretGrant,
  secretIds,
  secretInfoGet,
  secretRemove,
  secretRevoke,
  secretSet,
} from "./secret-tools.ts";
import { stateDelete, stateGet, stateSet } from "./state-tools.ts";
import {
  applicationVersionSet,
  configGet,
  isLeader,
  jujuLog,
  leaderGet,
  leaderSet,
  statusGet,
  statusSet,
} from "./unit-tools.ts";

export type { ToolHandler } from "./handler.ts";

export const TOOLS: Readonly<Record<string, ToolHandler>> = {
  "relation-ids": relationIds,
  "relation-list": relationList,
  "relation-get": relationGet,
  "relation-set": relationSet,
  "config-get": configGet,
  "is-leader": isLeader,
  "status-set": statusSet,
  "status-get": statusGet,
  "application-version-set": applicationVersionSet,
  "juju-log": jujuLog,
  "leader-get": leaderGet,
  "leader-set": leaderSet,
  "secret-add": secretAdd,
  "secret-get": secretGet,
  "secret-set": secretSet,
  "secret-grant": secretGrant,
  "secret-revoke": secretRevoke,
  "secret-remove": secretRemove,
  "secret-ids": secretIds,
  "secret-info-get": secretInfoGet,
  "state-get": stateGet,
  "state-set": stateSet,
  "state-delete": stateDelete,
  "action-get": actionGet,
  "action-set": actionSet,
  "action-fail": actionFail,
  "action-log": actionLog,
  "goal-state": goalState,
  "network-get": networkGet,
  "open-port": openPort,
  "close-port": closePort,
  "opened-ports": openedPorts,
};

export const TOOL_NAMES: readonly string[] = Object.keys(TOOLS);
