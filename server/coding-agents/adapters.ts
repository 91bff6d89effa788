import { claudeCode } from './claude-code.ts';
import type { HookAdapter } from './model.ts';

/**
 * The coding agents the hub takes hooks from, by the name in `/integrations/<vendor>/hooks`.
 * Another agent (Codex, Gemini CLI) is one adapter (model.ts says what it does) and one line here.
 */
export const adapters: ReadonlyMap<string, HookAdapter> = new Map([[claudeCode.vendor, claudeCode]]);
