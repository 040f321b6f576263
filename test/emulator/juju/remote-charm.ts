/** The contract between the emulated Juju model and the scripted stand-ins for
 * the charms on the other side of a relation (kubernetes-control-plane, easyrsa,
 * vault, ...). A stand-in never runs hook tools: the model shows it the
 * relation as the remote charm would see it and writes back what it returns,
 * exactly as Juju would commit that charm's relation-set calls. */

/** A relation databag: Juju stores every value as a string. */
export type Databag = Record<string, string>;

/** One relation as seen from the stand-in's side. */
export interface RelationView {
  readonly relationId: number;
  /** The stand-in's endpoint name on this relation (e.g. "client", "aws-iam", "juju-info"). */
  readonly endpoint: string;
  /** The stand-in application and its units (the ones in scope). */
  readonly app: string;
  readonly units: readonly string[];
  /** The application on the other side (normally aws-iam) and its units in scope. */
  readonly remoteApp: string;
  readonly remoteUnits: readonly string[];
  readonly appData: Readonly<Databag>;
  readonly unitData: Readonly<Record<string, Readonly<Databag>>>;
  readonly remoteAppData: Readonly<Databag>;
  readonly remoteUnitData: Readonly<Record<string, Readonly<Databag>>>;
  /** Root directory of the machine that hosts the given unit (subordinates share it with
   * their principal), for stand-ins that read files the charm wrote on the machine. */
  machineRoot(unit: string): string;
  /** Added by the emulator (optional so hand-built views stay valid): what happened. */
  readonly event?: RelationEvent;
  /** Added by the emulator: the remote units one of the stand-in's units can see
   * (for container scope, the subordinate on that unit's machine). */
  remoteUnitsOf?(unit: string): readonly string[];
}

/** The relation hook the stand-in is being shown, as Juju would have run it. */
export interface RelationEvent {
  readonly kind: "created" | "joined" | "changed" | "departed";
  /** The aws-iam side unit that joined/changed/departed (absent for app-data changes and created). */
  readonly remoteUnit?: string;
}

/** What a stand-in writes back: keys set to "" are deleted, as with relation-set. */
export interface RelationWrites {
  readonly appData?: Readonly<Databag>;
  readonly unitData?: Readonly<Record<string, Readonly<Databag>>>;
}

export interface RemoteCharm {
  /** Charm name, e.g. "easyrsa". */
  readonly charm: string;
  /** Called on relation-created/joined/changed/departed for this relation; may be async
   * (a stand-in may run a real tool such as easy-rsa). Return {} to write nothing. */
  onRelationEvent(view: RelationView): Promise<RelationWrites>;
  /** A copy that shares nothing with this one, for stand-ins that hold more than plain data (files on
   * disk); without it a copy of a model state clones the stand-in's fields (test/support/hook.ts). */
  clone?(): RemoteCharm;
}
