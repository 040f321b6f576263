// decidePlan comes here; until then the old reconcile path.
export { APPLIED_HASH_KEY, imageVersion, reconcile } from "./reconcile.ts";
