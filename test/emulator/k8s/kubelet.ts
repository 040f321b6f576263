/** A scripted kubelet: pod status per node, shaped like the real kubelet's (phase, conditions,
 * containerStatuses). Readiness can be delayed by a number of client observations ("polls").
 * Follows kubernetes/kubernetes: container states and reasons as pkg/kubelet/kubelet_pods.go
 * (convertToAPIContainerStatuses; "ContainerCreating" for a container not yet started) reports them;
 * waiting reasons "ErrImagePull"/"ImagePullBackOff" from pkg/kubelet/images/types.go and
 * "CrashLoopBackOff" from pkg/kubelet/container/sync_result.go (ErrCrashLoopBackOff). */
import { isObj, type Obj, str, timestamp } from "./json.ts";

export type PodBehaviour =
  /** Running and Ready; with afterPolls = N the first N client reads see it still starting. */
  | { state: "Ready"; afterPolls?: number }
  /** Stuck in ContainerCreating (Pending) forever. */
  | { state: "ContainerCreating" }
  | { state: "ErrImagePull" | "ImagePullBackOff"; message?: string }
  | { state: "CrashLoopBackOff"; restartCount?: number; exitCode?: number };

interface Container {
  name: string;
  image: string;
}

function containersOf(pod: Obj): Container[] {
  const spec = isObj(pod["spec"]) ? pod["spec"] : {};
  const cs = Array.isArray(spec["containers"]) ? spec["containers"].filter(isObj) : [];
  return cs.map((c) => ({ name: str(c["name"]) ?? "", image: str(c["image"]) ?? "" }));
}

function md(pod: Obj): Obj {
  return isObj(pod["metadata"]) ? pod["metadata"] : {};
}

/** Canonical image reference, as containerd reports it in pull errors. */
function fullImage(image: string): string {
  const first = image.split("/")[0]!;
  const hasRegistry =
    image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  let ref = hasRegistry ? image : `docker.io/${image.includes("/") ? image : `library/${image}`}`;
  if (!/[:@][^/]*$/.test(ref)) ref += ":latest";
  return ref;
}

type ContainerView = { ready: boolean; started: boolean; state: Obj; lastState: Obj; restartCount: number };

function containerView(
  b: PodBehaviour,
  ready: boolean,
  c: Container,
  pod: Obj,
  since: string,
): ContainerView {
  switch (b.state) {
    case "ErrImagePull":
      return {
        ready: false,
        started: false,
        restartCount: 0,
        lastState: {},
        state: {
          waiting: {
            reason: "ErrImagePull",
            message:
              b.message ??
              `failed to pull and unpack image "${fullImage(c.image)}": failed to resolve reference "${fullImage(c.image)}": ${fullImage(c.image)}: not found`,
          },
        },
      };
    case "ImagePullBackOff":
      return {
        ready: false,
        started: false,
        restartCount: 0,
        lastState: {},
        state: {
          waiting: {
            reason: "ImagePullBackOff",
            message: b.message ?? `Back-off pulling image "${c.image}"`,
          },
        },
      };
    case "CrashLoopBackOff": {
      const exitCode = b.exitCode ?? 1;
      return {
        ready: false,
        started: false,
        restartCount: b.restartCount ?? 5,
        lastState: {
          terminated: {
            exitCode,
            reason: "Error",
            startedAt: since,
            finishedAt: since,
            containerID: `containerd://${c.name}`,
          },
        },
        state: {
          waiting: {
            reason: "CrashLoopBackOff",
            message: `back-off 5m0s restarting failed container=${c.name} pod=${str(md(pod)["name"])}_${str(md(pod)["namespace"])}(${str(md(pod)["uid"])})`,
          },
        },
      };
    }
    default:
      if (ready)
        return {
          ready: true,
          started: true,
          restartCount: 0,
          lastState: {},
          state: { running: { startedAt: since } },
        };
      return {
        ready: false,
        started: false,
        restartCount: 0,
        lastState: {},
        state: { waiting: { reason: "ContainerCreating" } },
      };
  }
}

export function podStatus(pod: Obj, b: PodBehaviour, polls: number): Obj {
  const since = str(md(pod)["creationTimestamp"]) ?? timestamp();
  // afterPolls = N: reads 1..N see the pod starting, read N+1 sees it Ready.
  const ready = b.state === "Ready" && (!b.afterPolls || polls > b.afterPolls);
  const containers = containersOf(pod);
  const views = containers.map((c) => containerView(b, ready, c, pod, since));
  const running = views.some((v) => "running" in v.state) || b.state === "CrashLoopBackOff";
  const unready = containers.filter((_, i) => !views[i]!.ready).map((c) => c.name);
  const sandboxReady = b.state !== "ContainerCreating" && !(b.state === "Ready" && !ready);
  const previous =
    isObj(pod["status"]) && Array.isArray(pod["status"]["conditions"]) ? pod["status"]["conditions"] : [];
  const cond = (type: string, ok: boolean, reason?: string, message?: string): Obj => {
    const status = ok ? "True" : "False";
    const old = previous.find((c) => isObj(c) && c["type"] === type && c["status"] === status);
    return {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: isObj(old) ? old["lastTransitionTime"] : timestamp(),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  };
  const notReadyMsg = `containers with unready status: [${unready.join(" ")}]`;
  return {
    phase: running ? "Running" : "Pending",
    conditions: [
      cond("PodReadyToStartContainers", sandboxReady),
      cond("Initialized", true),
      cond(
        "Ready",
        unready.length === 0,
        unready.length ? "ContainersNotReady" : undefined,
        unready.length ? notReadyMsg : undefined,
      ),
      cond(
        "ContainersReady",
        unready.length === 0,
        unready.length ? "ContainersNotReady" : undefined,
        unready.length ? notReadyMsg : undefined,
      ),
      cond("PodScheduled", true),
    ],
    hostIP: "10.0.0.1",
    podIP: sandboxReady ? "10.1.0.2" : undefined,
    startTime: since,
    qosClass: "BestEffort",
    containerStatuses: containers.map((c, i) => ({
      name: c.name,
      image: c.image,
      imageID: views[i]!.started ? `${fullImage(c.image)}@sha256:${"0".repeat(64)}` : "",
      ...(views[i]!.started ? { containerID: `containerd://${c.name}` } : {}),
      ready: views[i]!.ready,
      started: views[i]!.started,
      restartCount: views[i]!.restartCount,
      state: views[i]!.state,
      lastState: views[i]!.lastState,
    })),
  };
}

export interface KubeletSnapshot {
  readonly scripts: ReadonlyMap<string, PodBehaviour>;
  readonly polls: ReadonlyMap<string, number>;
  readonly defaultBehaviour: PodBehaviour;
}

export class Kubelet {
  private readonly scripts = new Map<string, PodBehaviour>();
  /** Client observations per pod uid. */
  private readonly polls = new Map<string, number>();
  private fallback: PodBehaviour = { state: "Ready" };
  private changes = 0;

  /** Counts every change to what statusOf answers (scripts, polls, the default). */
  get version(): number {
    return this.changes;
  }

  get defaultBehaviour(): PodBehaviour {
    return this.fallback;
  }

  set defaultBehaviour(b: PodBehaviour) {
    this.fallback = b;
    this.changes++;
  }

  script(nodeName: string, b: PodBehaviour, podUids: string[]): void {
    this.changes++;
    this.scripts.set(nodeName, b);
    for (const uid of podUids) this.polls.delete(uid);
  }

  /** Scripts, poll counts and the default, for restore(). */
  snapshot(): KubeletSnapshot {
    return {
      scripts: new Map(this.scripts),
      polls: new Map(this.polls),
      defaultBehaviour: this.defaultBehaviour,
    };
  }

  restore(snapshot: KubeletSnapshot): void {
    this.changes++;
    this.scripts.clear();
    for (const [node, b] of snapshot.scripts) this.scripts.set(node, b);
    this.polls.clear();
    for (const [uid, n] of snapshot.polls) this.polls.set(uid, n);
    this.fallback = snapshot.defaultBehaviour;
  }

  behaviourFor(nodeName: string): PodBehaviour {
    return this.scripts.get(nodeName) ?? this.defaultBehaviour;
  }

  pollsOf(uid: string): number {
    return this.polls.get(uid) ?? 0;
  }

  observed(uid: string): void {
    this.changes++;
    this.polls.set(uid, this.pollsOf(uid) + 1);
  }

  /** The status this pod should show now (undefined for pods not bound to a node). */
  statusOf(pod: Obj): Obj | undefined {
    const spec = isObj(pod["spec"]) ? pod["spec"] : {};
    const node = str(spec["nodeName"]);
    if (!node) return undefined;
    return JSON.parse(
      JSON.stringify(podStatus(pod, this.behaviourFor(node), this.pollsOf(str(md(pod)["uid"]) ?? ""))),
    ) as Obj;
  }
}
