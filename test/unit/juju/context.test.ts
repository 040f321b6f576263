import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ContextError, parseHookContext } from "../../../src/juju/context.ts";

const BASE = { JUJU_UNIT_NAME: "aws-iam/2", JUJU_MODEL_NAME: "ck", JUJU_VERSION: "3.6.14" };

describe("parseHookContext", () => {
  it("given a relation hook environment then it parses the relation and the remote unit", () => {
    const context = parseHookContext({
      ...BASE,
      JUJU_DISPATCH_PATH: "hooks/certificates-relation-changed",
      JUJU_HOOK_NAME: "certificates-relation-changed",
      JUJU_RELATION: "certificates",
      JUJU_RELATION_ID: "certificates:7",
      JUJU_REMOTE_UNIT: "easyrsa/0",
      JUJU_REMOTE_APP: "easyrsa",
      JUJU_PRINCIPAL_UNIT: "kubernetes-control-plane/2",
    });
    assert.deepEqual(context, {
      dispatchPath: "hooks/certificates-relation-changed",
      kind: "hook",
      name: "certificates-relation-changed",
      unitName: "aws-iam/2",
      appName: "aws-iam",
      principalUnit: "kubernetes-control-plane/2",
      jujuVersion: "3.6.14",
      modelName: "ck",
      relation: {
        endpoint: "certificates",
        id: 7,
        ref: "certificates:7",
        remoteApp: "easyrsa",
        remoteUnit: "easyrsa/0",
        departingUnit: undefined,
      },
      actionId: undefined,
      secret: undefined,
    });
    assert.ok(Object.isFrozen(context));
  });

  it("given an action then the kind is action and the hook name is empty", () => {
    const context = parseHookContext({
      ...BASE,
      JUJU_DISPATCH_PATH: "actions/get-control-plane-config",
      JUJU_HOOK_NAME: "",
      JUJU_ACTION_UUID: "1",
    });
    assert.equal(context.kind, "action");
    assert.equal(context.name, "get-control-plane-config");
    assert.equal(context.actionId, "1");
  });

  it("given an old Juju without JUJU_DISPATCH_PATH then JUJU_HOOK_NAME decides", () => {
    assert.equal(parseHookContext({ ...BASE, JUJU_HOOK_NAME: "install" }).dispatchPath, "hooks/install");
  });

  it("given a secret hook then it parses id, label and revision", () => {
    const context = parseHookContext({
      ...BASE,
      JUJU_DISPATCH_PATH: "hooks/secret-remove",
      JUJU_SECRET_ID: "secret:abc",
      JUJU_SECRET_LABEL: "certs",
      JUJU_SECRET_REVISION: "3",
    });
    assert.deepEqual(context.secret, { id: "secret:abc", label: "certs", revision: 3 });
  });

  it("given no Juju environment then it fails with what is missing", () => {
    assert.throws(
      () => parseHookContext({}),
      (error: unknown) => {
        return error instanceof ContextError && /JUJU_UNIT_NAME is not set/.test(error.message);
      },
    );
  });

  it("given a dispatch path outside hooks/ and actions/ then it fails", () => {
    assert.throws(() => parseHookContext({ ...BASE, JUJU_DISPATCH_PATH: "../etc/passwd" }), ContextError);
  });
});
