import type { ToolContext } from "../tool-context.ts";

/** One hook tool: returns stdout, or throws ToolError. */
export type ToolHandler = (ctx: ToolContext, args: readonly string[], stdin: string) => string;

export const FORMAT = { format: "string" } as const;
