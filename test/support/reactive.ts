import { MAPPING } from "./cluster.ts";

/** What the reactive charm-aws-iam left in a cluster, as its templates rendered it (src/templates/
 * aws-iam-deployment.yaml, src/templates/service.yaml, templates/certs.yaml; namespace kube-system), for
 * `kubectl apply` the way the old charm applied them. Placeholder certificate data only. */

export const OLD_IMAGE = "rocks.canonical.com:5000/cdk/aws-iam-authenticator:v0.4.0_ck1";

/** The CRD as the old charm had it: no status schema (issue 11 of the reference's §9.1). */
export const REACTIVE_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: iamidentitymappings.iamauthenticator.k8s.aws
spec:
  group: iamauthenticator.k8s.aws
  scope: Cluster
  names:
    plural: iamidentitymappings
    singular: iamidentitymapping
    kind: IAMIdentityMapping
    categories:
    - all
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required:
              - arn
              - username
              properties:
                arn:
                  type: string
                username:
                  type: string
                groups:
                  type: array
                  items:
                    type: string
      subresources:
        status: {}
`;

/** Two users' mappings, made by hand against the old charm's CRD. */
export const REACTIVE_MAPPINGS = `${MAPPING}---
apiVersion: iamauthenticator.k8s.aws/v1alpha1
kind: IAMIdentityMapping
metadata:
  name: ops-role
spec:
  arn: arn:aws:iam::123456789012:role/ops
  username: ops:{{SessionName}}
  groups: ["view"]
`;

/** The rest of aws-iam-deployment.yaml, service.yaml and certs.yaml, rendered with `clusterId`. */
export function reactiveObjects(clusterId: string): string {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  return `kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: aws-iam-authenticator
  labels:
    aws-iam: "true"
rules:
- apiGroups: [iamauthenticator.k8s.aws]
  resources: ["*"]
  verbs: ["*"]
- apiGroups: [""]
  resources: [events]
  verbs: [create, update, patch]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: aws-iam-authenticator
  namespace: kube-system
  labels:
    aws-iam: "true"
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: aws-iam-authenticator
  labels:
    aws-iam: "true"
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: aws-iam-authenticator
subjects:
- kind: ServiceAccount
  name: aws-iam-authenticator
  namespace: kube-system
---
apiVersion: v1
kind: ConfigMap
metadata:
  namespace: kube-system
  name: aws-iam-authenticator
  labels:
    aws-iam: "true"
    k8s-app: aws-iam-authenticator
data:
  config.yaml: |
    clusterID: ${clusterId}
---
apiVersion: v1
kind: Secret
metadata:
  name: aws-iam-certs
  namespace: kube-system
type: Opaque
data:
  cert.pem: ${b64("placeholder certificate\n")}
  key.pem: ${b64("placeholder key\n")}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  namespace: kube-system
  name: aws-iam-authenticator
  labels:
    k8s-app: aws-iam-authenticator
    aws-iam: "true"
spec:
  selector:
    matchLabels:
      k8s-app: aws-iam-authenticator
  replicas: 2
  template:
    metadata:
      labels:
        k8s-app: aws-iam-authenticator
        aws-iam: "true"
    spec:
      serviceAccountName: aws-iam-authenticator
      tolerations:
      - effect: NoSchedule
        key: node-role.kubernetes.io/master
      containers:
      - name: aws-iam-authenticator
        image: ${OLD_IMAGE}
        args:
        - server
        - --config=/etc/aws-iam-authenticator/config.yaml
        - --state-dir=/var/aws-iam-authenticator
        - --kubeconfig-pregenerated=true
        - --address=0.0.0.0
        - --feature-gates=IAMIdentityMappingCRD=true
        volumeMounts:
        - name: config
          mountPath: /etc/aws-iam-authenticator/
        - name: state
          mountPath: /var/aws-iam-authenticator/
          readOnly: true
      volumes:
      - name: config
        configMap:
          name: aws-iam-authenticator
      - name: state
        secret:
          secretName: aws-iam-certs
---
apiVersion: v1
kind: Service
metadata:
  name: aws-iam-authenticator
  namespace: kube-system
  labels:
    aws-iam: "true"
spec:
  selector:
    k8s-app: "aws-iam-authenticator"
  ports:
  - protocol: TCP
    port: 443
    targetPort: 21362
`;
}
