/** A container image reference: registry[:port]/path[:tag][@sha256:digest]; no whitespace, no scheme. */
export const IMAGE_PATTERN =
  "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";
