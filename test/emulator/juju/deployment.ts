/** Drives a deployment like Juju would: an event queue of hooks for our units and
 * relation events for the stand-ins, follow-up events after each commit
 * (relation-changed on the other side, leader-settings-changed, secret-changed),
 * the usual sequences, and settle() to a fixed point. */
import type { CharmMeta } from "./charm-meta.ts";
import { assertConsistent, configProblems } from "./consistency.ts";
import type { CommitSummary, HookSpec } from "./core.ts";
import type { HookExecutor, HookResult } from "./hook-runner.ts";
import { addressKeys, addUnitToState, type EmulatedModel } from "./model-builder.ts";
import type { ConfigValue, ModelState, RelationState } from "./model-state.ts";
import type { RelationEvent, RelationView, RelationWrites, RemoteCharm } from "./remote-charm.ts";
import { merge } from "./tools/relation-tools.ts";

export type QueuedEvent =
  | { readonly kind: "hook"; readonly spec: HookSpec }
  | {
      readonly kind: "remote";
      readonly app: string;
      readonly relationId: number;
      readonly event: RelationEvent;
    }
  /** A model change Juju makes between hooks (a unit entering/leaving scope, ...). */
  | { readonly kind: "apply"; readonly label: string; readonly apply: () => void };

export interface StepRecord {
  readonly index: number;
  readonly event: QueuedEvent;
  readonly description: string;
  readonly result?: HookResult;
  readonly writes?: RelationWrites;
}

export interface DeploymentOptions {
  readonly model: EmulatedModel;
  readonly executor: HookExecutor;
  /** Stand-ins by application name. */
  readonly standIns?: Readonly<Record<string, RemoteCharm>>;
  readonly onStep?: (step: StepRecord, model: EmulatedModel) => void;
  /** settle() gives up (throws) after this many steps. */
  readonly maxSteps?: number;
}

export function describeEvent(event: QueuedEvent): string {
  if (event.kind === "apply") return `(model) ${event.label}`;
  if (event.kind === "remote") {
    const who = event.event.remoteUnit ? `(${event.event.remoteUnit})` : "";
    return `${event.app} [stand-in] relation-${event.event.kind}${who} #${event.relationId}`;
  }
  const s = event.spec;
  if (s.action) return `${s.unit} action ${s.action.name}`;
  const who = s.remoteUnit ? `(${s.remoteUnit})` : s.remoteApp ? `(app ${s.remoteApp})` : "";
  return `${s.unit} ${s.hookName}${who}`;
}

export class Deployment {
  readonly model: EmulatedModel;
  readonly log: StepRecord[] = [];
  private executor: HookExecutor;
  private readonly standIns: Readonly<Record<string, RemoteCharm>>;
  private readonly onStep?: DeploymentOptions["onStep"];
  private readonly maxSteps: number;
  private readonly queue: QueuedEvent[] = [];
  /** `unit|relation|remote` of every departed queued: Juju never repeats one. */
  private readonly departed = new Set<string>();

  constructor(options: DeploymentOptions) {
    this.model = options.model;
    this.executor = options.executor;
    this.standIns = options.standIns ?? {};
    this.onStep = options.onStep;
    this.maxSteps = options.maxSteps ?? 2000;
    for (const app of Object.keys(this.standIns)) {
      if (!this.state.applications[app]?.standIn) throw new Error(`${app} is not a stand-in application`);
    }
  }

  get state(): ModelState {
    return this.model.state;
  }

  /** Runs later hooks with `executor` (e.g. set up in process, then go on through the built dispatch). */
  useExecutor(executor: HookExecutor): void {
    this.executor = executor;
  }

  /** The stand-ins by application (test/support/hook.ts copies them when it forks a state). */
  get standInCharms(): Readonly<Record<string, RemoteCharm>> {
    return this.standIns;
  }

  get pending(): readonly QueuedEvent[] {
    return this.queue;
  }

  private meta(app: string): CharmMeta {
    return this.model.metas[app]!;
  }

  private isOurs(unit: string): boolean {
    const app = this.state.units[unit]?.app;
    return app !== undefined && !this.state.applications[app]!.standIn;
  }

  endpointOf(rel: RelationState, app: string): string {
    return rel.endpoints.find((e) => e.app === app)!.endpoint;
  }

  /** Container scope pairs units on the same machine. */
  private sees(rel: RelationState, a: string, b: string): boolean {
    return rel.scope !== "container" || this.state.units[a]?.machineId === this.state.units[b]?.machineId;
  }

  // ---- queue -------------------------------------------------------------------------

  enqueue(...events: QueuedEvent[]): void {
    for (const event of events) {
      if (event.kind === "hook" && event.spec.hookName.endsWith("-relation-departed")) {
        const key = `${event.spec.unit}|${event.spec.relationId}|${event.spec.remoteUnit}`;
        if (this.departed.has(key)) continue;
        this.departed.add(key);
      }
      // Juju coalesces a relation-changed that is already pending for the same unit.
      const duplicate =
        event.kind === "hook" &&
        event.spec.hookName.endsWith("-relation-changed") &&
        this.queue.some(
          (q) =>
            q.kind === "hook" &&
            q.spec.unit === event.spec.unit &&
            q.spec.hookName === event.spec.hookName &&
            q.spec.relationId === event.spec.relationId &&
            q.spec.remoteUnit === event.spec.remoteUnit,
        );
      if (!duplicate) this.queue.push(event);
    }
  }

  hook(unit: string, hookName: string, extra: Omit<HookSpec, "unit" | "hookName"> = {}): QueuedEvent {
    return { kind: "hook", spec: { unit, hookName, ...extra } };
  }

  private relationHook(
    unit: string,
    rel: RelationState,
    kind: string,
    extra: Partial<HookSpec> = {},
  ): QueuedEvent {
    const app = this.state.units[unit]!.app;
    const other = rel.endpoints.find((e) => e.app !== app)?.app ?? app;
    return this.hook(unit, `${this.endpointOf(rel, app)}-relation-${kind}`, {
      relationId: rel.id,
      remoteApp: other,
      ...extra,
    });
  }

  /** Runs the next queued event; returns undefined when the queue is empty. */
  async step(): Promise<StepRecord | undefined> {
    const event = this.queue.shift();
    if (!event) return undefined;
    let record: StepRecord;
    const base = { index: this.log.length, event, description: describeEvent(event) };
    if (event.kind === "apply") {
      event.apply();
      record = base;
    } else if (event.kind === "remote") {
      const writes = await this.deliverToStandIn(event.app, event.relationId, event.event);
      record = { ...base, writes };
    } else {
      if (this.state.units[event.spec.unit]?.removed) return this.step();
      const result = await this.executor(this.model, event.spec);
      this.followUps(result.commit);
      record = { ...base, result };
    }
    this.log.push(record);
    this.onStep?.(record, this.model);
    return record;
  }

  /** Runs queued events until none is left; throws if that takes more than maxSteps. */
  async settle(maxSteps = this.maxSteps): Promise<StepRecord[]> {
    const done: StepRecord[] = [];
    while (this.queue.length > 0) {
      if (done.length >= maxSteps) {
        const next = this.queue.slice(0, 5).map(describeEvent).join("; ");
        throw new Error(`deployment did not settle within ${maxSteps} steps; next: ${next}`);
      }
      const record = await this.step();
      if (record) done.push(record);
    }
    return done;
  }

  // ---- follow-up events ------------------------------------------------------------

  private followUps(commit: CommitSummary): void {
    const unit = commit.hook.unit;
    const app = this.state.units[unit]!.app;
    if (commit.leaderSettingsChanged) {
      for (const other of this.state.applications[app]!.units) {
        if (other !== unit) this.enqueue(this.hook(other, "leader-settings-changed"));
      }
    }
    if (!commit.committed) return;
    for (const id of commit.unitDataChanged) this.notifyChange(this.relation(id), unit, app, false);
    for (const id of commit.appDataChanged) this.notifyChange(this.relation(id), unit, app, true);
    for (const secretId of commit.newRevisions) {
      const secret = this.state.secrets.find((s) => s.id === secretId);
      if (!secret) continue;
      for (const consumer of Object.keys(secret.consumers)) {
        const owner = secret.ownerUnit
          ? consumer === secret.ownerUnit
          : consumer.startsWith(`${secret.ownerApp}/`);
        if (!owner && this.isOurs(consumer)) {
          this.enqueue(
            this.hook(consumer, "secret-changed", {
              secretId,
              secretLabel: secret.consumers[consumer]?.label ?? "",
            }),
          );
        }
      }
    }
  }

  /** Data written by `writer` (a unit, or its app when appBag) is seen by the other side. */
  private notifyChange(rel: RelationState, writer: string, app: string, appBag: boolean): void {
    const notifiedApps = new Set<string>();
    for (const other of rel.units) {
      if (other === writer || this.state.units[other]?.removed) continue;
      const otherApp = this.state.units[other]!.app;
      const peer = rel.endpoints.length === 1;
      if (!peer && otherApp === app) continue;
      if (!appBag && !this.sees(rel, writer, other)) continue;
      if (this.state.applications[otherApp]!.standIn) {
        if (notifiedApps.has(otherApp)) continue;
        notifiedApps.add(otherApp);
        this.enqueue({
          kind: "remote",
          app: otherApp,
          relationId: rel.id,
          event: appBag ? { kind: "changed" } : { kind: "changed", remoteUnit: writer },
        });
      } else {
        this.enqueue(
          this.relationHook(other, rel, "changed", appBag ? { remoteApp: app } : { remoteUnit: writer }),
        );
      }
    }
  }

  relation(id: number): RelationState {
    const rel = this.state.relations.find((r) => r.id === id);
    if (!rel) throw new Error(`no relation ${id}`);
    return rel;
  }

  // ---- stand-ins --------------------------------------------------------------------

  viewFor(app: string, rel: RelationState, event?: RelationEvent): RelationView {
    const state = this.state;
    const mine = rel.units.filter((u) => state.units[u]?.app === app && !state.units[u]?.removed);
    const remoteApp = rel.endpoints.find((e) => e.app !== app)?.app ?? app;
    // During -departed the departing unit is no longer listed.
    const gone = event?.kind === "departed" ? event.remoteUnit : undefined;
    const theirs = rel.units.filter((u) => state.units[u]?.app === remoteApp && u !== gone);
    const pick = (units: string[]) =>
      Object.fromEntries(units.map((u) => [u, { ...(rel.unitData[u] ?? {}) }]));
    return {
      relationId: rel.id,
      endpoint: this.endpointOf(rel, app),
      app,
      units: mine,
      remoteApp,
      remoteUnits: theirs,
      appData: { ...(rel.appData[app] ?? {}) },
      unitData: pick(mine),
      remoteAppData: { ...(rel.appData[remoteApp] ?? {}) },
      remoteUnitData: pick([...theirs, ...rel.departed.filter((u) => u.startsWith(`${remoteApp}/`))]),
      machineRoot: (unit) => {
        const u = state.units[unit];
        if (!u) throw new Error(`unknown unit ${unit}`);
        return u.machineRoot;
      },
      ...(event ? { event } : {}),
      remoteUnitsOf: (unit) => theirs.filter((t) => this.sees(rel, unit, t)),
    };
  }

  private async deliverToStandIn(
    app: string,
    relationId: number,
    event: RelationEvent,
  ): Promise<RelationWrites> {
    const rel = this.relation(relationId);
    const standIn = this.standIns[app];
    if (!standIn || rel.broken) return {};
    const writes = await standIn.onRelationEvent(this.viewFor(app, rel, event));
    this.applyStandInWrites(app, relationId, writes);
    return writes;
  }

  /** Commits what a stand-in wrote and delivers relation-changed to our units that see it. */
  applyStandInWrites(app: string, relationId: number, writes: RelationWrites): void {
    const rel = this.relation(relationId);
    if (writes.appData) {
      const next = merge(rel.appData[app] ?? {}, writes.appData);
      if (JSON.stringify(next) !== JSON.stringify(rel.appData[app] ?? {})) {
        rel.appData[app] = next;
        for (const u of rel.units) {
          if (this.isOurs(u) && !this.state.units[u]!.removed) {
            this.enqueue(this.relationHook(u, rel, "changed", { remoteApp: app }));
          }
        }
      }
    }
    for (const [unit, bag] of Object.entries(writes.unitData ?? {})) {
      if (!unit.startsWith(`${app}/`)) throw new Error(`stand-in ${app} cannot write ${unit}'s databag`);
      const next = merge(rel.unitData[unit] ?? {}, bag);
      if (JSON.stringify(next) === JSON.stringify(rel.unitData[unit] ?? {})) continue;
      rel.unitData[unit] = next;
      for (const u of rel.units) {
        if (this.isOurs(u) && !this.state.units[u]!.removed && this.sees(rel, unit, u)) {
          this.enqueue(this.relationHook(u, rel, "changed", { remoteUnit: unit }));
        }
      }
    }
  }

  /** Shows the stand-in the relation again (after its own state changed) and settles. */
  async pokeStandIn(app: string, relationId: number): Promise<StepRecord[]> {
    this.enqueue({ kind: "remote", app, relationId, event: { kind: "changed" } });
    return this.settle();
  }

  // ---- sequences ------------------------------------------------------------------

  private peerRelationsOf(app: string): RelationState[] {
    return this.state.relations.filter(
      (r) => !r.broken && r.endpoints.length === 1 && r.endpoints[0]!.app === app,
    );
  }

  /** Peer relations exist once the application has a unit. */
  private ensurePeerRelations(app: string): void {
    for (const ep of Object.values(this.meta(app).endpoints)) {
      if (ep.role !== "peers") continue;
      if (this.peerRelationsOf(app).some((r) => r.endpoints[0]!.endpoint === ep.name)) continue;
      this.state.relations.push({
        id: this.state.nextRelationId++,
        interface: ep.interface,
        scope: "global",
        endpoints: [{ app, endpoint: ep.name }],
        appData: { [app]: {} },
        unitData: {},
        units: [],
        departed: [],
        broken: false,
      });
    }
  }

  private enterScope(rel: RelationState, unit: string): void {
    if (!rel.units.includes(unit)) rel.units.push(unit);
    rel.unitData[unit] = { ...addressKeys(this.state.units[unit]!.address), ...(rel.unitData[unit] ?? {}) };
    rel.departed = rel.departed.filter((u) => u !== unit);
  }

  /** Adds a unit of one of our apps and queues its setup: install → relation-created for
   * the relations it is in (peer first) → leader-elected | leader-settings-changed →
   * config-changed → start, then joined/changed with everything already in scope. */
  addUnit(app: string, options: { principal?: string } = {}): string {
    const unit = addUnitToState(this.state, app, options);
    this.ensurePeerRelations(app);
    const joins: QueuedEvent[] = [];
    const peers = this.peerRelationsOf(app);
    const others = this.state.relations.filter(
      (r) =>
        !r.broken &&
        r.endpoints.length === 2 &&
        r.endpoints.some((e) => e.app === app) &&
        (r.scope !== "container" || !options.principal || r.units.includes(options.principal)),
    );
    for (const rel of [...peers, ...others]) {
      this.enterScope(rel, unit);
      joins.push(...this.joinEvents(rel, unit));
    }
    const leader = this.state.applications[app]!.leader === unit;
    this.enqueue(
      this.hook(unit, "install"),
      {
        kind: "apply",
        label: `${unit} installed`,
        apply: () => {
          this.state.units[unit]!.installed = true;
        },
      },
      ...peers.map((rel) => this.relationHook(unit, rel, "created")),
      ...others.map((rel) => this.relationHook(unit, rel, "created")),
      this.hook(unit, leader ? "leader-elected" : "leader-settings-changed"),
      this.hook(unit, "config-changed"),
      this.hook(unit, "start"),
      ...joins,
    );
    return unit;
  }

  /** joined → changed in both directions between `unit` and everything it sees. */
  private joinEvents(rel: RelationState, unit: string): QueuedEvent[] {
    const events: QueuedEvent[] = [];
    const app = this.state.units[unit]!.app;
    const standInsNotified = new Set<string>();
    for (const other of rel.units) {
      if (other === unit || !this.sees(rel, unit, other) || this.state.units[other]?.removed) continue;
      const otherApp = this.state.units[other]!.app;
      // A unit hears only of counterparts: the other application's units, or its peers on a peer
      // relation (juju state/relationunit.go, RelationUnit.Watch: "notifies of changes to counterpart
      // units in the relation"). Siblings on a non-peer relation never join.
      if (rel.endpoints.length === 2 && otherApp === app) continue;
      events.push(
        this.relationHook(unit, rel, "joined", { remoteUnit: other }),
        this.relationHook(unit, rel, "changed", { remoteUnit: other }),
      );
      if (this.state.applications[otherApp]!.standIn) {
        if (standInsNotified.has(otherApp)) continue;
        standInsNotified.add(otherApp);
        events.push(
          { kind: "remote", app: otherApp, relationId: rel.id, event: { kind: "joined", remoteUnit: unit } },
          { kind: "remote", app: otherApp, relationId: rel.id, event: { kind: "changed", remoteUnit: unit } },
        );
      } else if (otherApp !== app || rel.endpoints.length === 1) {
        events.push(
          this.relationHook(other, rel, "joined", { remoteUnit: unit }),
          this.relationHook(other, rel, "changed", { remoteUnit: unit }),
        );
      }
    }
    return events;
  }

  /** `juju integrate a:x b:y`. A container relation to a subordinate app creates one
   * subordinate unit per principal unit, which then runs its setup. */
  async integrate(a: string, b: string): Promise<number> {
    const endpoints = [a, b].map((s) => {
      const [app, endpoint] = s.split(":");
      const ep = app && endpoint ? this.model.metas[app]?.endpoints[endpoint] : undefined;
      if (!ep) throw new Error(`unknown endpoint ${s}`);
      return { app: app!, endpoint: endpoint!, ep };
    });
    if (endpoints[0]!.ep.interface !== endpoints[1]!.ep.interface) {
      throw new Error(
        `cannot integrate ${a} (${endpoints[0]!.ep.interface}) with ${b} (${endpoints[1]!.ep.interface})`,
      );
    }
    const scope = endpoints.some((e) => e.ep.scope === "container") ? "container" : "global";
    const rel: RelationState = {
      id: this.state.nextRelationId++,
      interface: endpoints[0]!.ep.interface,
      scope,
      endpoints: endpoints.map(({ app, endpoint }) => ({ app, endpoint })),
      appData: Object.fromEntries(endpoints.map((e) => [e.app, {}])),
      unitData: {},
      units: [],
      departed: [],
      broken: false,
    };
    this.state.relations.push(rel);
    const sub = endpoints.find((e) => this.state.applications[e.app]!.subordinate && scope === "container");
    const principal = endpoints.find((e) => e !== sub);
    for (const { app } of endpoints) {
      if (this.standIns[app])
        this.enqueue({ kind: "remote", app, relationId: rel.id, event: { kind: "created" } });
    }
    if (sub && principal) {
      // The principal's units are in scope; each gets its subordinate unit.
      for (const p of this.state.applications[principal.app]!.units) this.enterScope(rel, p);
      for (const p of [...this.state.applications[principal.app]!.units]) {
        const existing = this.state.applications[sub.app]!.units.find(
          (u) => this.state.units[u]!.principal === p,
        );
        if (existing) {
          this.enterScope(rel, existing);
          this.enqueue(this.relationHook(existing, rel, "created"), ...this.joinEvents(rel, existing));
        } else {
          this.addUnit(sub.app, { principal: p });
        }
      }
      return rel.id;
    }
    for (const { app } of endpoints)
      for (const u of this.state.applications[app]!.units) this.enterScope(rel, u);
    for (const { app } of endpoints) {
      for (const u of this.state.applications[app]!.units) {
        if (this.isOurs(u)) this.enqueue(this.relationHook(u, rel, "created"));
      }
    }
    // joined/changed once per pair; ours first, stand-ins through joinEvents.
    const ours = rel.units.filter((u) => this.isOurs(u));
    const done = new Set<string>();
    for (const u of ours) {
      const events = this.joinEvents(rel, u).filter((e) => {
        if (e.kind !== "hook") return true;
        const key = [e.spec.unit, e.spec.remoteUnit].sort().join("|") + e.spec.hookName;
        if (done.has(key)) return false;
        done.add(key);
        return true;
      });
      this.enqueue(...events);
    }
    return rel.id;
  }

  /** `juju config app k=v`: config-changed on every unit. */
  async configure(app: string, values: Record<string, ConfigValue>): Promise<StepRecord[]> {
    assertConsistent(configProblems(this.meta(app), values));
    Object.assign(this.state.applications[app]!.config, values);
    for (const u of this.liveUnits(app)) this.enqueue(this.hook(u, "config-changed"));
    return this.settle();
  }

  /** `juju refresh`: upgrade-charm → config-changed → (leader-settings-changed) → start. */
  async upgrade(app: string): Promise<StepRecord[]> {
    const leader = this.state.applications[app]!.leader;
    for (const u of this.liveUnits(app)) {
      this.enqueue(this.hook(u, "upgrade-charm"), this.hook(u, "config-changed"));
      if (u !== leader) this.enqueue(this.hook(u, "leader-settings-changed"));
      this.enqueue(this.hook(u, "start"));
    }
    return this.settle();
  }

  async updateStatus(app: string): Promise<StepRecord[]> {
    for (const u of this.liveUnits(app)) this.enqueue(this.hook(u, "update-status"));
    return this.settle();
  }

  /** Leadership moves: leader-elected on the new leader, leader-settings-changed elsewhere. */
  async setLeader(unit: string): Promise<StepRecord[]> {
    const app = this.state.units[unit]!.app;
    this.state.applications[app]!.leader = unit;
    this.enqueue(this.hook(unit, "leader-elected"));
    for (const u of this.liveUnits(app))
      if (u !== unit) this.enqueue(this.hook(u, "leader-settings-changed"));
    return this.settle();
  }

  liveUnits(app: string): string[] {
    return this.state.applications[app]!.units.filter((u) => !this.state.units[u]!.removed);
  }

  /** Queues departed(remote) on each side for `leaving` and the units it sees. */
  private departEvents(rel: RelationState, leaving: string): QueuedEvent[] {
    const events: QueuedEvent[] = [];
    const notified = new Set<string>();
    for (const other of rel.units) {
      if (other === leaving || !this.sees(rel, leaving, other)) continue;
      for (const [observer, remote] of [
        [other, leaving],
        [leaving, other],
      ] as const) {
        const observerApp = this.state.units[observer]!.app;
        if (this.state.applications[observerApp]!.standIn) {
          if (notified.has(observerApp)) continue;
          notified.add(observerApp);
          events.push({
            kind: "remote",
            app: observerApp,
            relationId: rel.id,
            event: { kind: "departed", remoteUnit: remote },
          });
        } else if (rel.endpoints.length === 1 || observerApp !== this.state.units[remote]!.app) {
          events.push(
            this.relationHook(observer, rel, "departed", { remoteUnit: remote, departingUnit: leaving }),
          );
        }
      }
    }
    return events;
  }

  /** `juju remove-relation`: departed for every pair, then broken on each of our units. */
  async removeRelation(relationId: number): Promise<StepRecord[]> {
    const rel = this.relation(relationId);
    const ours = rel.units.filter((u) => this.isOurs(u));
    if (rel.scope === "container") {
      // Destroying a container relation destroys its subordinates: Juju marks them Dying at once.
      for (const u of ours) {
        const attachedElsewhere = this.state.relations.some(
          (r) => r.id !== rel.id && !r.broken && r.scope === "container" && r.units.includes(u),
        );
        if (this.state.units[u]!.principal && !attachedElsewhere) this.state.units[u]!.dying = true;
      }
    }
    const standIn = rel.units.filter((u) => !this.isOurs(u));
    for (const u of standIn) {
      this.enqueue(...this.departEvents(rel, u).filter((e) => e.kind === "hook"));
    }
    for (const u of ours) {
      for (const other of rel.units) {
        if (other !== u && this.isOurs(other) && this.sees(rel, u, other) && rel.endpoints.length === 2) {
          this.enqueue(this.relationHook(u, rel, "departed", { remoteUnit: other, departingUnit: other }));
        }
      }
    }
    const standInApps = new Set(standIn.map((u) => this.state.units[u]!.app));
    for (const app of standInApps) {
      for (const u of ours) {
        this.enqueue({ kind: "remote", app, relationId: rel.id, event: { kind: "departed", remoteUnit: u } });
      }
    }
    this.enqueue({
      kind: "apply",
      label: `relation ${rel.id} removed`,
      // By id: a dispatch hook replaces the state with what it read back, so `rel` may be stale by now.
      apply: () => {
        const live = this.relation(relationId);
        live.departed = [...new Set([...live.departed, ...live.units])];
        live.units = [];
        live.broken = true;
      },
    });
    for (const u of ours)
      this.enqueue(this.relationHook(u, rel, "broken", { remoteApp: this.otherApp(rel, u) }));
    // Removing the last container relation takes the subordinate units with it.
    const subs = ours.filter((u) => this.state.units[u]!.principal);
    if (rel.scope === "container") {
      for (const u of subs) {
        const stillAttached = this.state.relations.some(
          (r) => r !== rel && !r.broken && r.scope === "container" && r.units.includes(u),
        );
        if (!stillAttached) this.queueTeardown(u, [rel.id]);
      }
    }
    return this.settle();
  }

  private otherApp(rel: RelationState, unit: string): string {
    const app = this.state.units[unit]!.app;
    return rel.endpoints.find((e) => e.app !== app)?.app ?? app;
  }

  /** `juju remove-unit <principal>`: the principal goes Dying and takes its subordinates with it; each
   * subordinate departs everything (broken for non-peer relations), stops and is removed, then the
   * principal leaves. Juju refuses a subordinate (apiserver/facades/client/application/application.go,
   * DestroyUnit: `unit %q is a subordinate`); a principal leaving a container-scoped relation destroys
   * the subordinate there (state/relationunit.go, LeaveScope). */
  async removeUnit(unit: string): Promise<StepRecord[]> {
    const target = this.state.units[unit];
    if (!target || target.removed) throw new Error(`unit "${unit}" does not exist`);
    if (target.principal) throw new Error(`unit "${unit}" is a subordinate`);
    target.dying = true;
    const subordinates = Object.values(this.state.units).filter((u) => u.principal === unit && !u.removed);
    for (const sub of subordinates) this.queueTeardown(sub.name, []);
    if (this.isOurs(unit)) {
      this.queueTeardown(unit, []);
    } else {
      const app = target.app;
      this.enqueue({
        kind: "apply",
        label: `${unit} removed`,
        apply: () => {
          for (const rel of this.state.relations) {
            if (!rel.units.includes(unit)) continue;
            rel.units = rel.units.filter((u) => u !== unit);
            if (!rel.departed.includes(unit)) rel.departed.push(unit);
          }
          this.forgetUnit(unit, app);
        },
      });
    }
    return this.settle();
  }

  private queueTeardown(unit: string, alreadyBroken: number[]): void {
    // Juju marks the unit Dying as soon as its removal is asked for.
    this.state.units[unit]!.dying = true;
    const rels = this.state.relations.filter((r) => r.units.includes(unit) && !alreadyBroken.includes(r.id));
    for (const rel of rels) this.enqueue(...this.departEvents(rel, unit));
    for (const rel of rels) {
      this.enqueue({
        kind: "apply",
        label: `${unit} leaves relation ${rel.id}`,
        apply: () => {
          const live = this.relation(rel.id);
          live.units = live.units.filter((u) => u !== unit);
          if (!live.departed.includes(unit)) live.departed.push(unit);
        },
      });
      // Peer relations never get -broken.
      if (rel.endpoints.length === 2) {
        this.enqueue(this.relationHook(unit, rel, "broken", { remoteApp: this.otherApp(rel, unit) }));
      }
    }
    const app = this.state.units[unit]!.app;
    this.enqueue(this.hook(unit, "stop"), this.hook(unit, "remove"), {
      kind: "apply",
      label: `${unit} removed`,
      apply: () => this.forgetUnit(unit, app),
    });
  }

  private forgetUnit(unit: string, app: string): void {
    const application = this.state.applications[app]!;
    this.state.units[unit]!.removed = true;
    application.units = application.units.filter((u) => u !== unit);
    if (application.leader === unit) {
      const next = this.liveUnits(app)[0];
      if (next === undefined) {
        delete application.leader;
        return;
      }
      application.leader = next;
      // Stand-ins run no hooks.
      if (application.standIn) return;
      this.enqueue(this.hook(next, "leader-elected"));
      for (const u of this.liveUnits(app))
        if (u !== next) this.enqueue(this.hook(u, "leader-settings-changed"));
    }
  }

  /** `juju run unit action k=v`: runs after anything pending, returns its result. */
  async runAction(unit: string, name: string, params: Record<string, unknown> = {}): Promise<HookResult> {
    await this.settle();
    this.enqueue(this.hook(unit, "", { action: { name, params } }));
    const record = await this.step();
    await this.settle();
    return record!.result!;
  }

  /** Runs one hook now (after anything pending), then settles its follow-ups. */
  async runHook(
    unit: string,
    hookName: string,
    extra: Omit<HookSpec, "unit" | "hookName"> = {},
  ): Promise<HookResult> {
    await this.settle();
    this.enqueue(this.hook(unit, hookName, extra));
    const record = await this.step();
    await this.settle();
    return record!.result!;
  }
}
